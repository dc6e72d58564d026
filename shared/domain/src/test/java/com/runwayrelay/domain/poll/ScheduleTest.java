package com.runwayrelay.domain.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.runwayrelay.domain.Attempt;
import com.runwayrelay.domain.AttemptOutcome;
import com.runwayrelay.domain.RunwayStatus;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.runway.RunwayGateway.RunwayTask;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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

    @Test
    void readsAThrottledTaskEvery30Seconds() {
        assertEquals(Duration.ofSeconds(30), wait(noJitter, Duration.ofSeconds(1), "THROTTLED", null));
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
