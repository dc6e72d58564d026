package com.runwayrelay.domain.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.runwayrelay.domain.TaskState;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WebhookEventTypeTest {

    @Test
    void mapsEachTerminalStateToItsEvent_andOthersToNone() {
        assertEquals(Optional.of("task.succeeded"), WebhookEventType.of(TaskState.ARCHIVED).map(WebhookEventType::wireName));
        assertEquals(Optional.of("task.failed"), WebhookEventType.of(TaskState.FAILED).map(WebhookEventType::wireName));
        assertEquals(Optional.of("task.cancelled"), WebhookEventType.of(TaskState.CANCELLED).map(WebhookEventType::wireName));
        assertEquals(Optional.of("task.cancelled"), WebhookEventType.of(TaskState.EXPIRED).map(WebhookEventType::wireName));
        for (TaskState state : TaskState.values()) {
            assertEquals(state.isTerminal(), WebhookEventType.of(state).isPresent(), state.name());
        }
    }

    @Test
    void messageIdsAreStablePerTaskAndSequence_andContainNoDot() {
        String id = WebhookEvent.messageIdOf("0b6f3d1e-4c2a-4f8e-9d3b-7a1c2e5f6a90", 1);

        assertEquals("msg_0b6f3d1e4c2a4f8e9d3b7a1c2e5f6a90_1", id);
        assertEquals(id, WebhookEvent.messageIdOf("0b6f3d1e-4c2a-4f8e-9d3b-7a1c2e5f6a90", 1));
        assertEquals("msg_ab_2", WebhookEvent.messageIdOf("a.b", 2));
    }
}
