package com.runwayrelay.domain.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.Attempt;
import com.runwayrelay.domain.AttemptOutcome;
import com.runwayrelay.domain.DueShards;
import com.runwayrelay.domain.RunwayStatus;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskRepository;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.WebhookDelivery;
import com.runwayrelay.domain.poll.SubmittedClaims;
import com.runwayrelay.domain.poll.SubmittedClaims.Claim;
import com.runwayrelay.domain.webhook.DeliveryStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SubmittedClaims} promises: a submitted, due, unleased task (or one whose lease
 * lapsed) is leased in one write that stores exactly {@link SubmittedClaims#leased} and holds it out
 * of the due window for its poll gap; any other task is refused with what is stored, unchanged; a
 * missing task is refused with nothing, and nothing is created.
 */
public abstract class SubmittedClaimsContract {
    // Millisecond instants: what the DynamoDB table keeps of leaseUntil and dueAt.
    protected static final Instant NOW = Instant.ofEpochMilli(Instant.parse("2026-11-21T06:00:00.123Z").toEpochMilli());
    protected static final Duration DEFAULT_GAP = Duration.ofSeconds(5);
    protected static final Instant LEASE = NOW.plus(DEFAULT_GAP);

    protected TaskRepository tasks;
    protected SubmittedClaims claims;

    /** The task store the claims work on (cases use fresh ids); called before every case. */
    protected abstract TaskRepository openTasks();

    /** The implementation under test, over the store {@link #openTasks} returned. */
    protected abstract SubmittedClaims claimsOver(TaskRepository tasks);

    @BeforeEach
    final void wire() {
        tasks = openTasks();
        claims = claimsOver(tasks);
    }

    private Task stored(Task.Builder builder) {
        Task task = builder.build();
        tasks.insert(task);
        return task;
    }

    private static Task.Builder submitted() {
        Instant created = NOW.minusSeconds(30);
        return Task.accepted(UUID.randomUUID().toString(), "app", "text_to_image", "gen4_image",
                        "{\"promptText\":\"a fox\"}", 5, created)
                .state(TaskState.SUBMITTED).version(3).runwayTaskId("rw-1").runwayStatus(RunwayStatus.RUNNING).progress(0.25)
                .attempts(List.of(new Attempt(1, "rw-1", created, AttemptOutcome.CREATED, null, null)))
                .callbackUrl("https://example.com/hook").metadataJson("{\"k\":1}")
                .dueAt(NOW.minusSeconds(1));
    }

    @Test
    void leasesInOneWrite_storingExactlyTheLeasedVersion() {
        Task task = stored(submitted());

        Claim.Taken taken = assertInstanceOf(Claim.Taken.class, claims.claim(task.id(), "run-1", NOW, DEFAULT_GAP));

        assertEquals(task, taken.before());
        assertEquals(SubmittedClaims.leased(task, "run-1", NOW, DEFAULT_GAP), taken.claimed());
        assertEquals(task.version() + 1, taken.claimed().version());
        assertEquals("run-1", taken.claimed().leaseOwner());
        assertEquals(LEASE, taken.claimed().leaseUntil());
        assertEquals(LEASE, taken.claimed().dueAt());
        assertEquals(NOW, taken.claimed().updatedAt());
        assertEquals(taken.claimed(), tasks.find(task.id()).orElseThrow(), "the store holds the leased version");
        Task next = taken.claimed().next(NOW.plusSeconds(1)).withoutLease().dueAt(NOW.plusSeconds(6)).build();
        assertTrue(tasks.replace(taken.claimed(), next), "later writes follow on from the claim's version");
    }

    @Test
    void holdsTheTaskForItsStoredPollGap() {
        Task task = stored(submitted().pollGap(Duration.ofMillis(27_250)));

        Claim.Taken taken = assertInstanceOf(Claim.Taken.class, claims.claim(task.id(), "run-1", NOW, DEFAULT_GAP));

        Instant held = NOW.plusMillis(27_250);
        assertEquals(held, taken.claimed().leaseUntil());
        assertEquals(held, taken.claimed().dueAt());
        assertEquals(taken.claimed(), tasks.find(task.id()).orElseThrow(), "the store holds the leased version");
    }

    @Test
    void takesTheTaskOutOfTheDueIndexWindowWhileLeased() {
        Task task = stored(submitted());

        claims.claim(task.id(), "run-1", NOW, DEFAULT_GAP);

        int shard = DueShards.shardOf(task.id(), tasks.shards());
        assertTrue(tasks.due(shard, LEASE.minusMillis(1), 100).stream().noneMatch(d -> d.taskId().equals(task.id())));
        assertTrue(tasks.due(shard, LEASE, 100).stream().anyMatch(d -> d.taskId().equals(task.id())));
    }

    @Test
    void refusesWithTheStoredTask_andChangesNothing_whenNotClaimable() {
        Task accepted = stored(submitted().state(TaskState.ACCEPTED));
        Task notDue = stored(submitted().dueAt(NOW.plusSeconds(5)));
        Task leased = stored(submitted().leaseOwner("other").leaseUntil(NOW.plusSeconds(20)));
        Task finished = stored(submitted().state(TaskState.FAILED)
                .webhook(new WebhookDelivery(DeliveryStatus.PENDING, "msg_1", "task.failed", 1, List.of(), NOW)));

        for (Task task : List.of(accepted, notDue, leased, finished)) {
            Claim.Refused refused = assertInstanceOf(Claim.Refused.class, claims.claim(task.id(), "run-1", NOW, DEFAULT_GAP));
            assertEquals(task, refused.current());
            assertEquals(task, tasks.find(task.id()).orElseThrow(), "unchanged");
        }
    }

    @Test
    void leasesAgain_whenTheLeaseLapsed() {
        Task task = stored(submitted().leaseOwner("dead").leaseUntil(NOW.minusSeconds(1)));

        Claim.Taken taken = assertInstanceOf(Claim.Taken.class, claims.claim(task.id(), "run-2", NOW, DEFAULT_GAP));

        assertEquals("run-2", taken.claimed().leaseOwner());
    }

    @Test
    void refusesWithNothing_andCreatesNothing_whenTheTaskDoesNotExist() {
        String id = UUID.randomUUID().toString();

        assertNull(assertInstanceOf(Claim.Refused.class, claims.claim(id, "run-1", NOW, DEFAULT_GAP)).current());
        assertTrue(tasks.find(id).isEmpty());
    }
}
