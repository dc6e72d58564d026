package com.runwayrelay.archiver;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import java.util.HashMap;
import java.util.Map;

/** The {@code events/archiver} fixture, and records derived from it for other tasks. */
final class Fixtures {
    static final String OUTPUT_READY = "../../events/archiver/dynamodb-output-ready.json";

    private Fixtures() {
    }

    static DynamodbEvent outputReadyEvent() {
        return EventLoader.loadEvent(OUTPUT_READY, DynamodbEvent.class);
    }

    /** The fixture's record, rewritten for {@code taskId} with its own sequence number. */
    static DynamodbStreamRecord recordFor(DynamodbStreamRecord template, String taskId, String sequenceNumber) {
        DynamodbStreamRecord record = outputReadyEvent().getRecords().get(0);
        AttributeValue pk = new AttributeValue().withS("task#" + taskId);
        record.getDynamodb().setKeys(Map.of("pk", pk));
        Map<String, AttributeValue> image = new HashMap<>(template.getDynamodb().getNewImage());
        image.put("pk", pk);
        image.put("id", new AttributeValue().withS(taskId));
        record.getDynamodb().setNewImage(image);
        record.getDynamodb().setSequenceNumber(sequenceNumber);
        record.setEventID(sequenceNumber);
        return record;
    }
}
