package com.runwayrelay.domain.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.runwayrelay.domain.memory.ManualClock;
import com.runwayrelay.domain.workflow.PublishedWorkflows.Group;
import com.runwayrelay.domain.workflow.PublishedWorkflows.Listing;
import com.runwayrelay.domain.workflow.PublishedWorkflows.Lookup;
import com.runwayrelay.domain.workflow.PublishedWorkflows.Version;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class CachedPublishedWorkflowsTest {
    private static final Duration TTL = Duration.ofSeconds(30);

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-04T11:00:00Z"));
    /** What Runway was asked, in order. */
    private final List<String> asked = new ArrayList<>();
    /** Runway's next list answers; the version count grows with each answer when none is queued. */
    private final Deque<Listing> listAnswers = new ArrayDeque<>();
    /** Runway's next lookup answers; a workflow is found, with the call count in its JSON, when none is queued. */
    private final Deque<Lookup> getAnswers = new ArrayDeque<>();

    private final PublishedWorkflows runway = new PublishedWorkflows() {
        @Override
        public Listing list() {
            asked.add("list");
            Listing queued = listAnswers.poll();
            return queued != null ? queued : listed(asked.size());
        }

        @Override
        public Lookup get(String workflowId) {
            asked.add("get " + workflowId);
            Lookup queued = getAnswers.poll();
            return queued != null ? queued : new Lookup.Found("{\"id\":\"" + workflowId + "\",\"call\":" + asked.size() + "}");
        }
    };

    private static Listing.Listed listed(int version) {
        return new Listing.Listed(List.of(new Group("Product shots", List.of(new Version("wf-" + version, "2026-05-02", version)))));
    }

    private CachedPublishedWorkflows cache(Duration ttl, int maxEntries, int maxChars) {
        return new CachedPublishedWorkflows(runway, clock, ttl, maxEntries, maxChars);
    }

    @Test
    void reusesTheListForItsTimeToLive_thenAsksRunwayAgain() {
        CachedPublishedWorkflows workflows = cache(TTL, 10, 1000);

        assertEquals(listed(1), workflows.list());
        clock.advance(TTL.minusMillis(1));
        assertEquals(listed(1), workflows.list());
        clock.advance(Duration.ofMillis(1));
        assertEquals(listed(2), workflows.list(), "a version published meanwhile shows once the list expired");
        assertEquals(List.of("list", "list"), asked);
    }

    @Test
    void reusesEachWorkflowForItsTimeToLive_byId() {
        CachedPublishedWorkflows workflows = cache(TTL, 10, 1000);

        Lookup first = workflows.get("wf-a");
        workflows.get("wf-b");
        clock.advance(Duration.ofSeconds(10));
        assertEquals(first, workflows.get("wf-a"));
        clock.advance(Duration.ofSeconds(20));
        assertEquals(new Lookup.Found("{\"id\":\"wf-a\",\"call\":3}"), workflows.get("wf-a"));
        assertEquals(List.of("get wf-a", "get wf-b", "get wf-a"), asked);
    }

    @Test
    void keepsNoMissNorOutage_soTheNextCallAsksRunwayAgain() {
        CachedPublishedWorkflows workflows = cache(TTL, 10, 1000);
        Listing.Unavailable down = new Listing.Unavailable("Runway is rate limiting", Duration.ofSeconds(7));
        listAnswers.add(down);
        getAnswers.add(new Lookup.NotFound());
        getAnswers.add(new Lookup.Unavailable("Runway is unreachable", null));

        assertEquals(down, workflows.list());
        assertEquals(listed(2), workflows.list());
        assertInstanceOf(Lookup.NotFound.class, workflows.get("wf-new"));
        assertInstanceOf(Lookup.Unavailable.class, workflows.get("wf-new"));
        assertInstanceOf(Lookup.Found.class, workflows.get("wf-new"), "published just after an app looked for it");
        assertEquals(List.of("list", "list", "get wf-new", "get wf-new", "get wf-new"), asked);
    }

    @Test
    void dropsAnExpiredWorkflow_whenRunwayNoLongerHasIt() {
        CachedPublishedWorkflows workflows = cache(TTL, 10, 1000);
        workflows.get("wf-a");
        clock.advance(TTL);
        getAnswers.add(new Lookup.NotFound());

        assertInstanceOf(Lookup.NotFound.class, workflows.get("wf-a"));
        assertInstanceOf(Lookup.Found.class, workflows.get("wf-a"));
        assertEquals(3, asked.size());
    }

    @Test
    void asksRunwayEveryTime_whenTheTimeToLiveIsZero() {
        CachedPublishedWorkflows workflows = cache(Duration.ZERO, 10, 1000);

        workflows.list();
        workflows.list();
        workflows.get("wf-a");
        workflows.get("wf-a");

        assertEquals(List.of("list", "list", "get wf-a", "get wf-a"), asked);
    }

    @Test
    void holdsAtMostMaxEntriesWorkflows_emptyingItselfWhenFull() {
        CachedPublishedWorkflows workflows = cache(TTL, 2, 1000);

        workflows.get("wf-a");
        workflows.get("wf-b");
        workflows.get("wf-c");
        workflows.get("wf-c");
        workflows.get("wf-a");

        assertEquals(List.of("get wf-a", "get wf-b", "get wf-c", "get wf-a"), asked,
                "the third workflow emptied the cache, so wf-a was asked again and wf-c was not");
    }

    @Test
    void neverKeepsAWorkflowLargerThanMaxChars() {
        String id = "wf-a";
        int size = new Lookup.Found("{\"id\":\"" + id + "\",\"call\":1}").json().length();
        CachedPublishedWorkflows small = cache(TTL, 10, size - 1);

        small.get(id);
        small.get(id);

        assertEquals(List.of("get wf-a", "get wf-a"), asked);
        CachedPublishedWorkflows fits = cache(TTL, 10, size);
        fits.get(id);
        fits.get(id);
        assertEquals(3, asked.size(), "a workflow of exactly maxChars is kept");
    }

    @Test
    void refusesANegativeTimeToLiveOrAnEmptyBound() {
        assertThrows(IllegalArgumentException.class, () -> cache(Duration.ofSeconds(-1), 10, 1000));
        assertThrows(IllegalArgumentException.class, () -> cache(TTL, 0, 1000));
        assertThrows(IllegalArgumentException.class, () -> cache(TTL, 10, 0));
    }
}
