package com.runwayrelay.domain.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.memory.InMemoryTaskRepository;
import com.runwayrelay.domain.poll.SubmittedClaims.Claim;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SubmittedClaimsTest {
    private static final Instant NOW = Instant.parse("2026-11-21T06:00:00Z");
    private static final Duration DEFAULT_GAP = Duration.ofSeconds(5);
    private static final Instant LEASE = NOW.plus(DEFAULT_GAP);
    private final InMemoryTaskRepository repo = new InMemoryTaskRepository(4);
    private final SubmittedClaims claims = SubmittedClaims.over(repo);

    private Task stored(Task.Builder builder) {
        Task task = builder.build();
        repo.insert(task);
        return task;
    }

    private static Task.Builder submitted(String id) {
        return Task.accepted(id, "app", "text_to_image", "gen4_image", "{}", 5, NOW.minusSeconds(30))
                .state(TaskState.SUBMITTED).runwayTaskId("rw-" + id).dueAt(NOW.minusSeconds(1));
    }

    @Test
    void leasesADueSubmittedTask_andTakesItOutOfTheDueWindow() {
        Task task = stored(submitted("a"));

        Claim claim = claims.claim("a", "run-1", NOW, DEFAULT_GAP);

        Claim.Taken taken = assertInstanceOf(Claim.Taken.class, claim);
        assertEquals(task, taken.before());
        assertEquals(taken.claimed(), repo.find("a").orElseThrow());
        assertEquals(task.version() + 1, taken.claimed().version());
        assertEquals("run-1", taken.claimed().leaseOwner());
        assertEquals(LEASE, taken.claimed().leaseUntil());
        assertEquals(LEASE, taken.claimed().dueAt());
        assertEquals(NOW, taken.claimed().updatedAt());
    }

    @Test
    void holdsATaskForItsOwnPollGap_whenItHasOne() {
        stored(submitted("g").pollGap(Duration.ofSeconds(27)));

        Claim.Taken taken = assertInstanceOf(Claim.Taken.class, claims.claim("g", "run-1", NOW, DEFAULT_GAP));

        assertEquals(NOW.plusSeconds(27), taken.claimed().leaseUntil());
        assertEquals(NOW.plusSeconds(27), taken.claimed().dueAt());
        assertEquals(taken.claimed(), repo.find("g").orElseThrow());
    }

    @Test
    void refusesWithTheStoredTask_whenItIsNotASubmittedDueUnleasedTask() {
        Task accepted = stored(submitted("b").state(TaskState.ACCEPTED));
        Task later = stored(submitted("c").dueAt(NOW.plusSeconds(5)));
        Task leased = stored(submitted("d").leaseOwner("other").leaseUntil(NOW.plusSeconds(9)));

        for (Task task : new Task[]{accepted, later, leased}) {
            Claim.Refused refused = assertInstanceOf(Claim.Refused.class, claims.claim(task.id(), "run-1", NOW, DEFAULT_GAP));
            assertEquals(task, refused.current());
            assertEquals(task, repo.find(task.id()).orElseThrow(), "unchanged");
        }
    }

    @Test
    void refusesWithNothing_whenTheTaskDoesNotExist() {
        assertNull(assertInstanceOf(Claim.Refused.class, claims.claim("missing", "run-1", NOW, DEFAULT_GAP)).current());
    }

    @Test
    void leasesATaskWhoseLeaseLapsed() {
        stored(submitted("e").leaseOwner("dead").leaseUntil(NOW.minusSeconds(1)));

        assertInstanceOf(Claim.Taken.class, claims.claim("e", "run-1", NOW, DEFAULT_GAP));
    }
}
