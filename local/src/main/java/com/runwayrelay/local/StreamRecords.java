package com.runwayrelay.local;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * Turns DynamoDB Streams records read with the SDK into what Lambda hands a stream-triggered
 * function: {@link DynamodbEvent.DynamodbStreamRecord}s, and the JSON form Lambda matches
 * {@code FilterCriteria} against (attribute values as {@code {"S": "..."}}, numbers as strings).
 */
final class StreamRecords {
    private static final Base64.Encoder BASE64 = Base64.getEncoder();

    private StreamRecords() {
    }

    /** The record as a Lambda event record from {@code eventSourceArn}. */
    static DynamodbEvent.DynamodbStreamRecord toLambda(Record record, String eventSourceArn) {
        DynamodbEvent.DynamodbStreamRecord out = new DynamodbEvent.DynamodbStreamRecord();
        out.setEventID(record.eventID());
        out.setEventName(record.eventNameAsString());
        out.setEventVersion(record.eventVersion());
        out.setEventSource(record.eventSource());
        out.setAwsRegion(record.awsRegion());
        out.setEventSourceARN(eventSourceArn);
        var sdk = record.dynamodb();
        StreamRecord stream = new StreamRecord();
        if (sdk.approximateCreationDateTime() != null) {
            stream.setApproximateCreationDateTime(Date.from(sdk.approximateCreationDateTime()));
        }
        if (sdk.hasKeys()) {
            stream.setKeys(toLambda(sdk.keys()));
        }
        if (sdk.hasNewImage()) {
            stream.setNewImage(toLambda(sdk.newImage()));
        }
        if (sdk.hasOldImage()) {
            stream.setOldImage(toLambda(sdk.oldImage()));
        }
        stream.setSequenceNumber(sdk.sequenceNumber());
        stream.setSizeBytes(sdk.sizeBytes());
        if (sdk.streamViewTypeAsString() != null) {
            stream.setStreamViewType(StreamViewType.fromValue(sdk.streamViewTypeAsString()));
        }
        out.setDynamodb(stream);
        return out;
    }

    /** An item or key map with Lambda's attribute value type. */
    static Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> toLambda(
            Map<String, AttributeValue> item) {
        Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> out = new LinkedHashMap<>();
        item.forEach((name, value) -> out.put(name, toLambda(value)));
        return out;
    }

    /** One attribute value with Lambda's type; every DynamoDB type is carried over. */
    static com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue toLambda(AttributeValue value) {
        var out = new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue();
        switch (value.type()) {
            case S -> out.setS(value.s());
            case N -> out.setN(value.n());
            case B -> out.setB(ByteBuffer.wrap(value.b().asByteArray()));
            case SS -> out.setSS(new ArrayList<>(value.ss()));
            case NS -> out.setNS(new ArrayList<>(value.ns()));
            case BS -> out.setBS(value.bs().stream().map(b -> ByteBuffer.wrap(b.asByteArray())).toList());
            case M -> out.setM(toLambda(value.m()));
            case L -> out.setL(value.l().stream().map(StreamRecords::toLambda).toList());
            case NUL -> out.setNULL(true);
            case BOOL -> out.setBOOL(value.bool());
            case UNKNOWN_TO_SDK_VERSION -> throw new IllegalArgumentException("attribute value of a type this SDK does not know: " + value);
        }
        return out;
    }

    /** The record in the JSON shape Lambda's event filtering sees. */
    static JsonNode toFilterJson(Record record, String eventSourceArn) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        putIfPresent(out, "eventID", record.eventID());
        putIfPresent(out, "eventName", record.eventNameAsString());
        putIfPresent(out, "eventVersion", record.eventVersion());
        putIfPresent(out, "eventSource", record.eventSource());
        putIfPresent(out, "awsRegion", record.awsRegion());
        putIfPresent(out, "eventSourceARN", eventSourceArn);
        var sdk = record.dynamodb();
        ObjectNode dynamodb = out.putObject("dynamodb");
        if (sdk.approximateCreationDateTime() != null) {
            dynamodb.put("ApproximateCreationDateTime", sdk.approximateCreationDateTime().getEpochSecond());
        }
        if (sdk.hasKeys()) {
            dynamodb.set("Keys", toJson(sdk.keys()));
        }
        if (sdk.hasNewImage()) {
            dynamodb.set("NewImage", toJson(sdk.newImage()));
        }
        if (sdk.hasOldImage()) {
            dynamodb.set("OldImage", toJson(sdk.oldImage()));
        }
        putIfPresent(dynamodb, "SequenceNumber", sdk.sequenceNumber());
        if (sdk.sizeBytes() != null) {
            dynamodb.put("SizeBytes", sdk.sizeBytes());
        }
        putIfPresent(dynamodb, "StreamViewType", sdk.streamViewTypeAsString());
        return out;
    }

    private static ObjectNode toJson(Map<String, AttributeValue> item) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        item.forEach((name, value) -> out.set(name, toJson(value)));
        return out;
    }

    private static JsonNode toJson(AttributeValue value) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        switch (value.type()) {
            case S -> out.put("S", value.s());
            case N -> out.put("N", value.n());
            case B -> out.put("B", BASE64.encodeToString(value.b().asByteArray()));
            case SS -> strings(out.putArray("SS"), value.ss());
            case NS -> strings(out.putArray("NS"), value.ns());
            case BS -> strings(out.putArray("BS"), value.bs().stream().map(SdkBytes::asByteArray).map(BASE64::encodeToString).toList());
            case M -> out.set("M", toJson(value.m()));
            case L -> {
                ArrayNode list = out.putArray("L");
                value.l().forEach(element -> list.add(toJson(element)));
            }
            case NUL -> out.put("NULL", true);
            case BOOL -> out.put("BOOL", value.bool());
            case UNKNOWN_TO_SDK_VERSION -> throw new IllegalArgumentException("attribute value of a type this SDK does not know: " + value);
        }
        return out;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    private static void putIfPresent(ObjectNode node, String name, String value) {
        if (value != null) {
            node.put(name, value);
        }
    }
}
