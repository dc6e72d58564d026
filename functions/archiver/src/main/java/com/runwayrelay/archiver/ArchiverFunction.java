package com.runwayrelay.archiver;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.runwayrelay.aws.config.Env;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Composition root of the archiver: reads the configuration and wires the use case, once. */
public final class ArchiverFunction {
    private ArchiverFunction() {
    }

    public static Function<DynamodbEvent, StreamsEventResponse> fromEnvironment(Map<String, String> env) {
        ArchiverConfig.from(new Env(env));
        // Not built yet: report every record as failed so the stream retries it and, after the
        // bounded retries, parks it in the on-failure queue; nothing is dropped silently.
        return event -> new StreamsEventResponse(event.getRecords().stream()
                .map(r -> new StreamsEventResponse.BatchItemFailure(r.getDynamodb().getSequenceNumber()))
                .toList());
    }
}
