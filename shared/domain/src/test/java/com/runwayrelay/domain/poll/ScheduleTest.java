package com.runwayrelay.domain.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.runwayrelay.domain.Attempt;
import com.runwayrelay.domain.AttemptOutcome;
import com.runwayrelay.domain.RunwayStatus;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.runway.RunwayGateway.RunwayTask;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

class ScheduleTest {
    private static final Instant NOW = Instant.parse("2026-11-21T06:00:00Z");
    private final PollPolicy policy = PollPolicy.builder().build();
    private final Schedule noJitter = new Schedule(policy, () -> 0.0);

    private static Task startedAgo(Duration age) {
        Instant started = NOW.minus(age);
        return Task.accepted("t", "app", "image_to_video", "gen4.5", "{}", 5, started)
                .state(TaskState.SUBMITTED).runwayTaskId("rw")
                .attempts(List.of(new Attempt(1, "rw", started, AttemptOutcome.CREATED, null, null))).build();
    }

    private static RunwayTask status(String status, Double progress) {
        return new RunwayTask("rw", RunwayStatus.fromWire(status), progress, List.of(), null, null, null);
    }

    private Duration wait(Schedule schedule, Duration age, String status, Double progress) {
        return Duration.between(NOW, schedule.nextRead(startedAgo(age), status(status, progress), NOW));
    }

    @Test
    void readsAYoungTaskEvery5Seconds() {
        assertEquals(Duration.ofSeconds(5), wait(noJitter, Duration.ofSeconds(10), "PENDING", null));
    }

    @Test
    void readsALongRunningTaskLessOften_upToTheMaximum() {
        assertEquals(Duration.ofSeconds(15), wait(noJitter, Duration.ofMinutes(3), "RUNNING", null));
        assertEquals(Duration.ofSeconds(30), wait(noJitter, Duration.ofMinutes(20), "RUNNING", null));
    }

    @Test
    void estimatesTheTimeLeftFromProgress() {
        // Half done after a minute: about a minute left, read again in a third of it.
        assertEquals(Duration.ofSeconds(20), wait(noJitter, Duration.ofMinutes(1), "RUNNING", 0.5));
        // Nearly done: back to the minimum.
        assertEquals(Duration.ofSeconds(5), wait(noJitter, Duration.ofMinutes(4), "RUNNING", 0.99));
    }

    private static Task task(String id, Instant started, RunwayStatus lastSeen) {
        return Task.accepted(id, "app", "image_to_video", "gen4.5", "{}", 5, started)
                .state(TaskState.SUBMITTED).runwayTaskId("rw-" + id).runwayStatus(lastSeen)
                .attempts(List.of(new Attempt(1, "rw-" + id, started, AttemptOutcome.CREATED, null, null))).build();
    }

    /** The wait after reading {@code count} tasks (t0, t1, ...) THROTTLED at {@code at}; returns the last one's. */
    private static Duration throttledReads(Schedule schedule, int count, Instant at, RunwayStatus lastSeen) {
        Duration wait = null;
        for (int i = 0; i < count; i++) {
            wait = Duration.between(at, schedule.nextRead(task("t" + i, NOW, lastSeen), status("THROTTLED", null), at));
        }
        return wait;
    }

    @Test
    void readsAFewThrottledTasksAtTheMinimumInterval() {
        // Default budget 50 requests/s, half of it for THROTTLED reads: 3 tasks need far less than one read per 5 s.
        assertEquals(Duration.ofSeconds(5), throttledReads(noJitter, 3, NOW, RunwayStatus.PENDING));
    }

    @Test
    void spreadsThrottledReadsOverHalfTheRequestBudget() {
        Schedule schedule = new Schedule(policy.toBuilder().requestsPerSecond(2).build(), () -> 0.0);

        // 1 read/s for THROTTLED tasks: 12 of them are read every 12 s.
        assertEquals(Duration.ofSeconds(12), throttledReads(schedule, 12, NOW, null));
    }

    @Test
    void manyThrottledTasksStayAtTheThrottledInterval() {
        Schedule schedule = new Schedule(policy.toBuilder().requestsPerSecond(2).build(), () -> 0.0);

        assertEquals(Duration.ofSeconds(30), throttledReads(schedule, 500, NOW, null));
    }

    @Test
    void aThrottledIntervalIsJitteredUpwards() {
        Schedule fullJitter = new Schedule(policy, () -> 1.0);

        assertEquals(Duration.ofSeconds(6), throttledReads(fullJitter, 1, NOW, null));
    }

    @Test
    void forgetsThrottledTasksNotSeenForAWindow_andThoseThatStarted() {
        Schedule schedule = new Schedule(policy.toBuilder().requestsPerSecond(2).build(), () -> 0.0);
        throttledReads(schedule, 20, NOW, null);
        Instant later = NOW.plusSeconds(2);
        schedule.nextRead(task("t0", NOW, RunwayStatus.THROTTLED), status("RUNNING", null), later);
        // t0 started; 19 are left, and this read of t1 is one of them.
        assertEquals(Duration.ofSeconds(19), Duration.between(later,
                schedule.nextRead(task("t1", NOW, RunwayStatus.THROTTLED), status("THROTTLED", null), later)));

        // 36 s (the interval and its most jitter) after the first reads, only t1 was seen since.
        Instant afterWindow = NOW.plusSeconds(37);
        assertEquals(Duration.ofSeconds(5), Duration.between(afterWindow,
                schedule.nextRead(task("t2", NOW, RunwayStatus.THROTTLED), status("THROTTLED", null), afterWindow)));
    }

    @Test
    void aFinishedTaskNoLongerCountsAsThrottled() {
        Schedule schedule = new Schedule(policy.toBuilder().requestsPerSecond(2).build(), () -> 0.0);
        throttledReads(schedule, 20, NOW, null);
        for (int i = 0; i < 5; i++) {
            schedule.finished("t" + i);
        }

        assertEquals(Duration.ofSeconds(15), Duration.between(NOW,
                schedule.nextRead(task("t9", NOW, RunwayStatus.THROTTLED), status("THROTTLED", null), NOW)));
    }

    @Test
    void aTaskThrottledBeforeTheRunWaitsTheThrottledInterval_untilTheRunHasWatchedAWindow_whenNothingIsCounted() {
        assertEquals(Duration.ofSeconds(30), throttledReads(noJitter, 1, NOW, RunwayStatus.THROTTLED));
        Instant later = NOW.plusSeconds(36);
        assertEquals(Duration.ofSeconds(5), Duration.between(later, noJitter.nextRead(
                task("other", NOW, RunwayStatus.THROTTLED), status("THROTTLED", null), later)));
    }

    /** A schedule whose count of the active tasks answers {@code active} and is counted in {@code asked}. */
    private Schedule countingActive(long active, AtomicInteger asked) {
        return new Schedule(policy, () -> 0.0, () -> {
            asked.incrementAndGet();
            return active;
        });
    }

    private Duration inheritedRead(Schedule schedule, String id, Instant at) {
        return Duration.between(at, schedule.nextRead(task(id, NOW, RunwayStatus.THROTTLED), status("THROTTLED", null), at));
    }

    @Test
    void aTaskThrottledBeforeTheRun_isReadAtTheIntervalTheActiveTasksAllow() {
        // Half of 50 requests/s: 10 active tasks need a read per 0.4 s (the 5 s minimum stands), 250 one per 10 s,
        // 2000 one per 80 s (the 30 s maximum stands).
        assertEquals(Duration.ofSeconds(5), inheritedRead(countingActive(10, new AtomicInteger()), "t", NOW));
        assertEquals(Duration.ofSeconds(10), inheritedRead(countingActive(250, new AtomicInteger()), "t", NOW));
        assertEquals(Duration.ofSeconds(30), inheritedRead(countingActive(2000, new AtomicInteger()), "t", NOW));
    }

    @Test
    void countsTheActiveTasksOncePerRun_onlyWhenATaskThrottledBeforeTheRunIsRead() {
        AtomicInteger asked = new AtomicInteger();
        Schedule schedule = countingActive(250, asked);

        wait(schedule, Duration.ofMinutes(1), "RUNNING", null);
        throttledReads(schedule, 3, NOW, RunwayStatus.PENDING);
        assertEquals(0, asked.get(), "no task THROTTLED before the run: nothing counted");

        for (int i = 0; i < 5; i++) {
            assertEquals(Duration.ofSeconds(10), inheritedRead(schedule, "old" + i, NOW.plusSeconds(i)));
        }
        assertEquals(1, asked.get());
    }

    @Test
    void aTaskThrottledBeforeTheRun_keepsTheBoundOnLaterReads_untilTheRunHasWatchedAWindow() {
        Schedule schedule = countingActive(250, new AtomicInteger());
        inheritedRead(schedule, "old", NOW);

        // Read again 10 s on, the run has seen one THROTTLED task; the active tasks still set the pace.
        assertEquals(Duration.ofSeconds(10), inheritedRead(schedule, "old", NOW.plusSeconds(10)));
        // Past the window the run's own count does: one task, the minimum interval.
        assertEquals(Duration.ofSeconds(5), inheritedRead(schedule, "old", NOW.plusSeconds(37)));
    }

    @Test
    void theRunsOwnCountStands_whenItExceedsTheActiveTasksCounted() {
        Schedule schedule = new Schedule(policy.toBuilder().requestsPerSecond(2).build(), () -> 0.0, () -> 3);
        throttledReads(schedule, 12, NOW, RunwayStatus.PENDING);

        // Twelve seen THROTTLED within the window, though only three were active when counted.
        assertEquals(Duration.ofSeconds(13), inheritedRead(schedule, "old", NOW));
    }

    @Test
    void aFailedCountKeepsTheThrottledInterval_andIsNotRetriedInTheRun() {
        AtomicInteger asked = new AtomicInteger();
        LongSupplier failing = () -> {
            asked.incrementAndGet();
            throw new IllegalStateException("ProvisionedThroughputExceeded");
        };
        Schedule schedule = new Schedule(policy, () -> 0.0, failing);

        assertEquals(Duration.ofSeconds(30), inheritedRead(schedule, "a", NOW));
        assertEquals(Duration.ofSeconds(30), inheritedRead(schedule, "b", NOW.plusSeconds(1)));
        assertEquals(1, asked.get());
    }

    @Test
    void countsTheAgeOfATaskFromWhenAnEarlierRunSawItLeaveThrottled() {
        Instant submitted = NOW.minus(Duration.ofMinutes(10));
        Task running = task("t", submitted, RunwayStatus.RUNNING).toBuilder()
                .waitedUntil(NOW.minus(Duration.ofMinutes(2))).build();

        // Running for two minutes of its ten: read every 10 s, not every 30 s.
        assertEquals(Duration.ofSeconds(10), Duration.between(NOW,
                noJitter.nextRead(running, status("RUNNING", null), NOW)));
        // An instant from an earlier attempt (before this one started) is no help.
        Task retried = running.toBuilder().attempts(List.of(
                new Attempt(1, "rw-old", submitted, AttemptOutcome.FAILED, null, null),
                new Attempt(2, "rw-t", NOW.minus(Duration.ofMinutes(1)), AttemptOutcome.CREATED, null, null))).build();
        assertEquals(Duration.ofSeconds(5), Duration.between(NOW,
                new Schedule(policy, () -> 0.0).nextRead(retried, status("RUNNING", null), NOW)));
    }

    @Test
    void tellsWhenATaskLeftThrottled_forTheWriteThatRecordsIt() {
        Schedule schedule = new Schedule(policy, () -> 0.0);
        Instant later = NOW.plusSeconds(8);
        schedule.nextRead(task("seen", NOW, RunwayStatus.PENDING), status("THROTTLED", null), NOW);
        schedule.nextRead(task("seen", NOW, RunwayStatus.THROTTLED), status("RUNNING", null), later);
        schedule.nextRead(task("earlier", NOW, RunwayStatus.THROTTLED), status("RUNNING", null), later);
        schedule.nextRead(task("pending", NOW, RunwayStatus.PENDING), status("PENDING", null), later);
        schedule.nextRead(task("never", NOW, RunwayStatus.RUNNING), status("RUNNING", null), later);
        schedule.nextRead(task("seen", NOW, RunwayStatus.RUNNING), status("RUNNING", null), later.plusSeconds(5));
        schedule.nextRead(task("pending", NOW, RunwayStatus.PENDING), status("RUNNING", null), later.plusSeconds(5));

        assertEquals(later, schedule.waitedUntil("seen"), "the first read that found it started, not a later one");
        assertEquals(later, schedule.waitedUntil("earlier"), "THROTTLED in an earlier run: the read that found it started");
        assertEquals(later.plusSeconds(5), schedule.waitedUntil("pending"), "PENDING at the last read: this read found it started");
        assertNull(schedule.waitedUntil("never"));
    }

    @Test
    void countsTheAgeOfAStartedTaskFromTheFirstReadThatFoundItPastThrottled() {
        Instant submitted = NOW.minus(Duration.ofMinutes(5));
        Task task = task("t", submitted, RunwayStatus.THROTTLED);
        noJitter.nextRead(task, status("THROTTLED", null), NOW);

        // Throttled for five minutes, then found running a minute later: read as a new task (every 5 s), not every 30 s.
        Instant minuteLater = NOW.plusSeconds(60);
        assertEquals(Duration.ofSeconds(5), Duration.between(minuteLater,
                noJitter.nextRead(task, status("RUNNING", null), minuteLater)));
        // Two minutes after that read: a twelfth of two minutes.
        Instant threeMinutesLater = NOW.plusSeconds(180);
        assertEquals(Duration.ofSeconds(10), Duration.between(threeMinutesLater, noJitter.nextRead(
                task("t", submitted, RunwayStatus.RUNNING), status("RUNNING", null), threeMinutesLater)));
    }

    @Test
    void aLowProgressRightAfterThrottledPromisesLittleTimeLeft() {
        Task task = task("t", NOW.minusSeconds(20), RunwayStatus.PENDING);
        noJitter.nextRead(task, status("THROTTLED", null), NOW);

        // Seen THROTTLED 6 s ago, now 7 % done: it started within those 6 s, and has run for less. Counting its age
        // from the THROTTLED read would put 81 s left and the next read 27 s away; it has run no longer than 0 s here.
        Instant later = NOW.plusSeconds(6);
        assertEquals(Duration.ofSeconds(5), Duration.between(later, noJitter.nextRead(
                task("t", NOW.minusSeconds(20), RunwayStatus.THROTTLED), status("RUNNING", 0.07), later)));
    }

    @Test
    void aLowProgressRightAfterPendingPromisesLittleTimeLeft() {
        // Submitted 5.4 s ago and PENDING at the last read; now 10 % done. Counted from the submit it would have run
        // 5.4 s, so 48.6 s would be left and the next read 16.2 s away; it started since the PENDING read.
        Task task = task("t", NOW.minusMillis(5_400), RunwayStatus.PENDING);

        assertEquals(Duration.ofSeconds(5), Duration.between(NOW, noJitter.nextRead(task, status("RUNNING", 0.1), NOW)));
        // Five seconds on, at 60 %: 5 s of running, about 3.3 s left, the minimum again (not a third of 48 s).
        Instant later = NOW.plusSeconds(5);
        assertEquals(Duration.ofSeconds(5), Duration.between(later, noJitter.nextRead(
                task("t", NOW.minusMillis(5_400), RunwayStatus.RUNNING), status("RUNNING", 0.6), later)));
    }

    @Test
    void aTaskStillPendingCountsItsAgeFromItsStart() {
        Schedule schedule = new Schedule(policy, () -> 0.0);
        Task pending = task("t", NOW.minus(Duration.ofMinutes(3)), RunwayStatus.PENDING);

        assertEquals(Duration.ofSeconds(15), Duration.between(NOW, schedule.nextRead(pending, status("PENDING", null), NOW)));
        assertNull(schedule.waitedUntil("t"));
    }

    @Test
    void countsTheAgeOfATaskThrottledInAnEarlierRunFromTheReadThatFoundItStarted() {
        Instant submitted = NOW.minus(Duration.ofMinutes(5));
        Schedule newRun = new Schedule(policy, () -> 0.0);

        assertEquals(Duration.ofSeconds(5), Duration.between(NOW,
                newRun.nextRead(task("t", submitted, RunwayStatus.THROTTLED), status("RUNNING", null), NOW)));
        Instant later = NOW.plusSeconds(120);
        assertEquals(Duration.ofSeconds(10), Duration.between(later,
                newRun.nextRead(task("t", submitted, RunwayStatus.RUNNING), status("RUNNING", null), later)));
    }

    @Test
    void aTaskNeverThrottledCountsItsAgeFromItsStart() {
        Schedule schedule = new Schedule(policy, () -> 0.0);
        throttledReads(schedule, 5, NOW, null);

        assertEquals(Duration.ofSeconds(25), wait(schedule, Duration.ofMinutes(5), "RUNNING", null));
    }

    @Test
    void addsUpTo20PercentJitter_neverLess() {
        Schedule fullJitter = new Schedule(policy, () -> 1.0);

        assertEquals(Duration.ofSeconds(6), wait(fullJitter, Duration.ofSeconds(10), "PENDING", null));
    }

    @Test
    void backsOffBetweenTheBaseAndThreeTimesThePreviousWait_capped() {
        Schedule low = new Schedule(policy, () -> 0.0);
        Schedule high = new Schedule(policy, () -> 1.0);

        assertEquals(Duration.ofSeconds(10), low.backoff(null, null));
        assertEquals(Duration.ofSeconds(30), high.backoff(null, null));
        assertEquals(Duration.ofSeconds(120), high.backoff(Duration.ofSeconds(40), null));
        assertEquals(Duration.ofMinutes(10), high.backoff(Duration.ofMinutes(9), null));
    }

    @Test
    void backsOffAtLeastAsLongAsRunwayAsked() {
        assertEquals(Duration.ofSeconds(45), noJitter.backoff(null, Duration.ofSeconds(45)));
        assertEquals(Duration.ofSeconds(10), noJitter.backoff(null, Duration.ofMillis(100)));
    }
}
