package com.runwayrelay.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PollerScheduleTest {

    @Test
    void event_isTheTemplateInputWithTheSchedulerPlaceholdersFilledIn() {
        FunctionSpec.Schedule schedule = StackTemplate.fromClasspath().function("PollerFunction").schedules().getFirst();
        Instant now = Instant.parse("2026-11-21T06:31:00.456Z");

        ScheduledEvent first = PollerSchedule.event(schedule, now);
        ScheduledEvent second = PollerSchedule.event(schedule, now);

        assertEquals("Scheduled Event", first.getDetailType());
        assertEquals("aws.scheduler", first.getSource());
        assertEquals("0", first.getVersion());
        assertEquals(Instant.parse("2026-11-21T06:31:00Z").toEpochMilli(), first.getTime().getMillis());
        assertFalse(first.getId().contains("<"), first.getId());
        assertNotEquals(first.getId(), second.getId(), "each run has its own execution id");
        assertTrue(first.getResources().getFirst().startsWith("arn:aws:scheduler:"), first.getResources().toString());
        assertTrue(first.getDetail().isEmpty());
    }

    @Test
    void event_hasTheSchedulerShape_whenTheTemplateSetsNoInput() {
        ScheduledEvent event = PollerSchedule.event(new FunctionSpec.Schedule("Every", "rate(1 minute)", null), Instant.parse("2026-01-01T00:00:00Z"));

        assertEquals("Scheduled Event", event.getDetailType());
        assertEquals("aws.scheduler", event.getSource());
        assertEquals(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli(), event.getTime().getMillis());
    }
}
