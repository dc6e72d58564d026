package com.runwayrelay.notifier;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.util.function.Function;

/**
 * Lambda entry point fed by the table's DynamoDB stream, filtered in {@code template.yaml}.
 * Reports partial batch failures ({@code ReportBatchItemFailures}) instead of failing the batch.
 */
public final class NotifierHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
    private final Function<DynamodbEvent, StreamsEventResponse> batch;

    /** Used by the Lambda runtime: wires everything from the process environment. */
    public NotifierHandler() {
        this(NotifierFunction.fromEnvironment(System.getenv()));
    }

    /** Used by tests and the local stack. */
    public NotifierHandler(Function<DynamodbEvent, StreamsEventResponse> batch) {
        this.batch = batch;
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        return batch.apply(event);
    }
}
