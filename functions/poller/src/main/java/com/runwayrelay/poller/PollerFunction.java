package com.runwayrelay.poller;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.runwayrelay.aws.config.Env;
import java.util.Map;
import java.util.function.BiFunction;

/** Composition root of the poller: reads the configuration and wires the use case, once. */
public final class PollerFunction {
    private PollerFunction() {
    }

    public static BiFunction<ScheduledEvent, Context, Map<String, Object>> fromEnvironment(Map<String, String> env) {
        PollerConfig config = PollerConfig.from(new Env(env));
        // The poll loop lands with the Poller issue; until then a run claims nothing.
        return (event, context) -> Map.of("claimed", 0, "runSeconds", config.runSeconds().toSeconds());
    }
}
