package com.runwayrelay.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import com.runwayrelay.domain.webhook.WebhookEventType;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TaskRequestTest {
    private static final Instant T0 = Instant.parse("2026-12-03T08:00:00Z");

    private static Task.Builder accepted() {
        return Task.accepted("t1", "app1", "text_to_image", "gen4_image", "{}", 5, T0);
    }

    @Test
    void keepsTheLinkLifetimeThroughEveryLaterVersion_whenTheAppAskedForOne() {
        Task task = accepted().linkTtl(Duration.ofMinutes(10)).build();
        Task later = task.next(T0.plusSeconds(5)).state(TaskState.SUBMITTED).build();

        assertEquals(Duration.ofMinutes(10), later.request().linkTtl());
    }

    @Test
    void hasNoLinkLifetime_whenTheAppAskedForNone() {
        assertNull(accepted().build().request().linkTtl());
    }

    @Test
    void acceptsTheBoundsThemselves_andRefusesALifetimeOutsideThem() {
        assertEquals(Task.Request.MIN_LINK_TTL, accepted().linkTtl(Task.Request.MIN_LINK_TTL).build().request().linkTtl());
        assertEquals(Task.Request.MAX_LINK_TTL, accepted().linkTtl(Task.Request.MAX_LINK_TTL).build().request().linkTtl());
        assertThrows(IllegalArgumentException.class, () -> accepted().linkTtl(Duration.ofSeconds(59)).build());
        assertThrows(IllegalArgumentException.class,
                () -> accepted().linkTtl(Task.Request.MAX_LINK_TTL.plusSeconds(1)).build());
    }

    @Test
    void announcesTheThreeEnds_whenNoneWereChosen_onlyTheChosenOnesOtherwise_andNoneWithoutCallback() {
        Task.Request every = accepted().callbackUrl("https://hooks.example.com/x").build().request();
        Task.Request chosen = accepted().callbackUrl("https://hooks.example.com/x")
                .webhookEvents(Set.of(WebhookEventType.TASK_FAILED)).build().request();
        Task.Request none = accepted().callbackUrl("https://hooks.example.com/x").webhookEvents(Set.of()).build().request();
        Task.Request noCallback = accepted().webhookEvents(Set.of(WebhookEventType.TASK_FAILED)).build().request();

        for (WebhookEventType type : WebhookEventType.values()) {
            assertEquals(WebhookEventType.DEFAULT.contains(type), every.announces(type), type::toString);
            assertEquals(type == WebhookEventType.TASK_FAILED, chosen.announces(type), type::toString);
            assertFalse(none.announces(type), type::toString);
            assertFalse(noCallback.announces(type), type::toString);
        }
    }
}
