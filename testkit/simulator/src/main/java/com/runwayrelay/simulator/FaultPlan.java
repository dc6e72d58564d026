package com.runwayrelay.simulator;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/** Scripted one-shot faults, then the configured random ones; decisions repeat for a given seed. */
final class FaultPlan {
    private static final int[] SERVER_ERRORS = {500, 502, 503};

    private final SimulatorConfig config;
    private final Random random;
    private final List<Scripted> scripted = new ArrayList<>();

    FaultPlan(SimulatorConfig config) {
        this.config = config;
        this.random = new Random(config.seed() * 31 + 7);
    }

    synchronized void add(String method, String pathPrefix, Fault fault) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(pathPrefix, "pathPrefix");
        Objects.requireNonNull(fault, "fault");
        scripted.add(new Scripted(method, pathPrefix, fault));
    }

    /** The fault for this request, or null. Scripted faults match first and are consumed. */
    synchronized Fault next(String method, String path) {
        for (Iterator<Scripted> it = scripted.iterator(); it.hasNext(); ) {
            Scripted s = it.next();
            if ((s.method.equals("*") || s.method.equalsIgnoreCase(method)) && path.startsWith(s.pathPrefix)) {
                it.remove();
                return s.fault;
            }
        }
        if (!path.startsWith("/v1/")) {
            return null;
        }
        if (config.resetRate() > 0 && random.nextDouble() < config.resetRate()) {
            return Fault.resetBeforeProcessing();
        }
        if (config.rate429() > 0 && random.nextDouble() < config.rate429()) {
            return Fault.status(429, Map.of());
        }
        if (config.rate5xx() > 0 && random.nextDouble() < config.rate5xx()) {
            return Fault.status(SERVER_ERRORS[random.nextInt(SERVER_ERRORS.length)], Map.of());
        }
        if (config.resetAfterRate() > 0 && random.nextDouble() < config.resetAfterRate()) {
            return Fault.resetAfterRequest();
        }
        if (config.slowRate() > 0 && random.nextDouble() < config.slowRate()) {
            return Fault.delay(config.slowDuration());
        }
        return null;
    }

    /** Whether a random truncation hits this output download ({@link SimulatorConfig#truncateRate()}). */
    synchronized boolean truncateDownload() {
        return config.truncateRate() > 0 && random.nextDouble() < config.truncateRate();
    }

    private record Scripted(String method, String pathPrefix, Fault fault) {
    }
}
