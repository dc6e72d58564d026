package com.runwayrelay.archiver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.runwayrelay.aws.config.ConfigurationException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Assertions;

class ArchiverHandlerTest {

    @Test
    void handsTheEventToTheBatchFunction_andReturnsItsAnswer() {
        DynamodbEvent event = Fixtures.outputReadyEvent();
        StreamsEventResponse answer = new StreamsEventResponse(List.of(new StreamsEventResponse.BatchItemFailure("1")));
        AtomicReference<DynamodbEvent> seen = new AtomicReference<>();

        StreamsEventResponse response = new ArchiverHandler(e -> {
            seen.set(e);
            return answer;
        }).handleRequest(event, null);

        assertSame(event, seen.get());
        assertSame(answer, response);
    }

    @Test
    void failsAtInit_namingTheMissingConfiguration() {
        ConfigurationException e = Assertions.assertThrows(ConfigurationException.class,
                () -> ArchiverFunction.fromEnvironment(Map.of("AWS_REGION", "us-east-1")));

        assertEquals(true, e.getMessage().contains("RELAY_BUCKET is not set"), e.getMessage());
    }
}
