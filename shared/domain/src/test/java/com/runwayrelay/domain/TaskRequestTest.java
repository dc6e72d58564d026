package com.runwayrelay.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
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
}
