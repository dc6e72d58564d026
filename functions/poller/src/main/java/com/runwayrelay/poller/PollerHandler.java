package com.runwayrelay.poller;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Lambda entry point invoked every minute by EventBridge Scheduler with a scheduled-event-shaped
 * input (see {@code template.yaml}). Returns the run's summary.
 */
public final class PollerHandler implements RequestHandler<ScheduledEvent, Map<String, Object>> {
    private final BiFunction<ScheduledEvent, Context, Map<String, Object>> poller;

    /** Used by the Lambda runtime: wires everything from the process environment. */
    public PollerHandler() {
        this(PollerFunction.fromEnvironment(System.getenv()));
    }

    /** Used by tests and the local stack. */
    public PollerHandler(BiFunction<ScheduledEvent, Context, Map<String, Object>> poller) {
        this.poller = poller;
    }

    @Override
    public Map<String, Object> handleRequest(ScheduledEvent event, Context context) {
        return poller.apply(event, context);
    }
}
