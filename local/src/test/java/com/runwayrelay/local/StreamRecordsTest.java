package com.runwayrelay.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

class StreamRecordsTest {
    private static final SdkBytes BYTES = SdkBytes.fromString("hi", StandardCharsets.UTF_8);

    private static Map<String, AttributeValue> everyType() {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("s", AttributeValue.fromS("text"));
        item.put("n", AttributeValue.fromN("12.5"));
        item.put("b", AttributeValue.fromB(BYTES));
        item.put("ss", AttributeValue.fromSs(List.of("a", "b")));
        item.put("ns", AttributeValue.fromNs(List.of("1", "2")));
        item.put("bs", AttributeValue.fromBs(List.of(BYTES)));
        item.put("m", AttributeValue.fromM(Map.of("inner", AttributeValue.fromS("x"))));
        item.put("l", AttributeValue.fromL(List.of(AttributeValue.fromN("1"), AttributeValue.fromS("y"))));
        item.put("null", AttributeValue.fromNul(true));
        item.put("bool", AttributeValue.fromBool(false));
        return item;
    }

    private static Record record() {
        return Record.builder().eventID("id-1").eventName(OperationType.MODIFY).eventVersion("1.1").eventSource("aws:dynamodb")
                .awsRegion("us-east-1")
                .dynamodb(StreamRecord.builder()
                        .approximateCreationDateTime(Instant.ofEpochSecond(1_795_329_120))
                        .keys(Map.of("pk", AttributeValue.fromS("task#1")))
                        .newImage(everyType())
                        .sequenceNumber("4200000000001")
                        .sizeBytes(321L)
                        .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)
                        .build())
                .build();
    }

    @Test
    void toLambda_carriesEveryFieldAndAttributeType() {
        DynamodbEvent.DynamodbStreamRecord out = StreamRecords.toLambda(record(), "arn:stream");

        assertEquals("id-1", out.getEventID());
        assertEquals("MODIFY", out.getEventName());
        assertEquals("aws:dynamodb", out.getEventSource());
        assertEquals("us-east-1", out.getAwsRegion());
        assertEquals("arn:stream", out.getEventSourceARN());
        assertEquals("4200000000001", out.getDynamodb().getSequenceNumber());
        assertEquals(321L, out.getDynamodb().getSizeBytes());
        assertEquals("NEW_AND_OLD_IMAGES", out.getDynamodb().getStreamViewType());
        assertEquals(1_795_329_120_000L, out.getDynamodb().getApproximateCreationDateTime().getTime());
        assertEquals("task#1", out.getDynamodb().getKeys().get("pk").getS());
        assertNull(out.getDynamodb().getOldImage());

        var image = out.getDynamodb().getNewImage();
        assertEquals("text", image.get("s").getS());
        assertEquals("12.5", image.get("n").getN());
        assertArrayEquals(BYTES.asByteArray(), image.get("b").getB().array());
        assertEquals(List.of("a", "b"), image.get("ss").getSS());
        assertEquals(List.of("1", "2"), image.get("ns").getNS());
        assertArrayEquals(BYTES.asByteArray(), image.get("bs").getBS().getFirst().array());
        assertEquals("x", image.get("m").getM().get("inner").getS());
        assertEquals("1", image.get("l").getL().get(0).getN());
        assertEquals("y", image.get("l").getL().get(1).getS());
        assertTrue(image.get("null").getNULL());
        assertFalse(image.get("bool").getBOOL());
    }

    @Test
    void toFilterJson_rendersAttributeValuesAsLambdaFilteringSeesThem() {
        JsonNode json = StreamRecords.toFilterJson(record(), "arn:stream");

        assertEquals("MODIFY", json.path("eventName").asText());
        assertEquals("arn:stream", json.path("eventSourceARN").asText());
        JsonNode image = json.path("dynamodb").path("NewImage");
        assertEquals("text", image.path("s").path("S").asText());
        assertTrue(image.path("n").path("N").isTextual(), "numbers stay strings, as in the event");
        assertEquals("aGk=", image.path("b").path("B").asText());
        assertEquals("[\"a\",\"b\"]", image.path("ss").path("SS").toString());
        assertEquals("x", image.path("m").path("M").path("inner").path("S").asText());
        assertEquals("y", image.path("l").path("L").get(1).path("S").asText());
        assertTrue(image.path("null").path("NULL").asBoolean());
        assertTrue(image.path("bool").path("BOOL").isBoolean());
        assertEquals("4200000000001", json.path("dynamodb").path("SequenceNumber").asText());
        assertTrue(json.path("dynamodb").path("OldImage").isMissingNode());
    }
}
