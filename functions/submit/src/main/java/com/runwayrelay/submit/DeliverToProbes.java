package com.runwayrelay.submit;

import com.runwayrelay.domain.Violation;
import com.runwayrelay.domain.delivery.DeliverTo;
import com.runwayrelay.domain.delivery.DeliveryTargetProbe;
import com.runwayrelay.domain.delivery.DeliveryTargetProbe.Probe;
import com.runwayrelay.domain.media.MediaKind;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The submit-time probe of {@code relay.deliverTo}: each URL (a template's expansion for output 0)
 * is asked once, all at the same time, whether it redirects ({@link DeliveryTargetProbe}). A 3xx
 * refuses the submission with {@value #CODE} at the URL's path; any other answer, and no answer at
 * all, accept it (see {@link Probe}). Runs only on a request that passed every other check, so a
 * refused request makes no outbound call.
 */
final class DeliverToProbes {
    /** The issue code of a URL that answered with a redirect. */
    static final String CODE = "redirecting_url";

    private final DeliveryTargetProbe probe;

    DeliverToProbes(DeliveryTargetProbe probe) {
        this.probe = Objects.requireNonNull(probe, "probe");
    }

    /** The violations of {@code deliverTo}'s URLs that redirect; empty when none does. */
    List<Violation> redirects(DeliverTo deliverTo, MediaKind outputs) {
        List<Target> targets = new ArrayList<>();
        if (deliverTo.template() != null) {
            targets.add(new Target(DeliverTo.expand(deliverTo.template(), 0, extension(outputs)),
                    List.of(RelayOptions.FIELD, DeliverToOption.FIELD, "template"), "relay.deliverTo.template"));
        } else {
            for (int i = 0; i < deliverTo.urls().size(); i++) {
                targets.add(new Target(deliverTo.urls().get(i), List.of(RelayOptions.FIELD, DeliverToOption.FIELD, i, "url"),
                        "relay.deliverTo[" + i + "].url"));
            }
        }
        List<Probe> probes = probeAll(targets);
        List<Violation> violations = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            if (probes.get(i) instanceof Probe.Redirected redirected) {
                Target target = targets.get(i);
                violations.add(new Violation(target.path(), CODE, target.name() + ": the storage answered a HEAD with"
                        + " HTTP " + redirected.httpStatus() + " (a redirect); the gateway never follows redirects when it"
                        + " delivers, so pass the URL the storage redirects to (for S3, a pre-signed URL of the bucket's"
                        + " own region)"));
            }
        }
        return violations;
    }

    private List<Probe> probeAll(List<Target> targets) {
        if (targets.size() == 1) {
            return List.of(probeOne(targets.get(0)));
        }
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Probe>> running = targets.stream().map(t -> threads.submit(() -> probeOne(t))).toList();
            List<Probe> probes = new ArrayList<>();
            for (Future<Probe> future : running) {
                probes.add(future.get());
            }
            return probes;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while probing relay.deliverTo", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("probing relay.deliverTo failed", e.getCause());
        }
    }

    private Probe probeOne(Target target) {
        return Objects.requireNonNull(probe.probe(URI.create(target.url())), "probe returned nothing");
    }

    /** The extension output 0 most likely has, for a template's probe: the storage sees a plausible key. */
    static String extension(MediaKind outputs) {
        if (outputs == null) {
            return "bin";
        }
        return switch (outputs) {
            case IMAGE -> "png";
            case VIDEO -> "mp4";
            case AUDIO -> "mp3";
        };
    }

    private record Target(String url, List<Object> path, String name) {
    }
}
