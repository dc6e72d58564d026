package com.runwayrelay.domain.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.gateway.UsageLedger.Admission;
import com.runwayrelay.domain.gateway.UsageLedger.Reservation;
import com.runwayrelay.domain.gateway.memory.InMemoryUsageLedger;
import com.runwayrelay.domain.memory.InMemoryTaskRepository;
import com.runwayrelay.domain.memory.ManualClock;
import com.runwayrelay.domain.runway.TaskCreation;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class AdmissionControlTest {
    private static final Instant T0 = Instant.parse("2026-11-21T06:00:00Z");
    private final ManualClock clock = new ManualClock(T0);
    private final InMemoryUsageLedger ledger = new InMemoryUsageLedger();
    private final InMemoryTaskRepository tasks = new InMemoryTaskRepository(4);
    private final AdmissionControl admissions = new AdmissionControl(ledger, tasks, clock);

    private Reservation reservation(String taskId) {
        return new Reservation("app", taskId, "gen4_image", clock.instant(), 10, 1000, 1);
    }

    private Task stored(String taskId, TaskState state, String reason, Long actual) {
        Task task = Task.accepted(taskId, "app", "text_to_image", "gen4_image", "{}", 10, T0).build();
        Task next = task.toBuilder().state(state).stateReason(reason).actualCredits(actual).build();
        tasks.insert(next);
        return next;
    }

    @Test
    void admits_whenASlotIsFree() {
        assertEquals(new Admission.Admitted(), admissions.admit(reservation("t1")));
    }

    @Test
    void staysFull_whileTheSlotsTaskIsActive() {
        admissions.admit(reservation("t1"));
        stored("t1", TaskState.SUBMITTED, null, null);
        assertEquals(new Admission.TooManyActive(1, 1), admissions.admit(reservation("t2")));
    }

    @Test
    void settlesAFinishedTaskAtItsCost_andAdmits() {
        admissions.admit(reservation("t1"));
        stored("t1", TaskState.ARCHIVED, null, 4L);
        assertEquals(new Admission.Admitted(), admissions.admit(reservation("t2")));
        assertEquals(14, ledger.usage("app", LocalDate.parse("2026-11-21")).usedCredits());
    }

    @Test
    void settlesAFailedTaskRunwayNeverCreatedAtNothing_asThePollerWould() {
        admissions.admit(reservation("t1"));
        stored("t1", TaskState.FAILED, null, null);
        assertEquals(new Admission.Admitted(), admissions.admit(reservation("t2")));
        assertEquals(10, ledger.usage("app", LocalDate.parse("2026-11-21")).usedCredits(), "t1 counts 0, t2 its 10");
    }

    @Test
    void freesTheSlotOfAnAmbiguousCreate_keepingItsCredits() {
        admissions.admit(reservation("t1"));
        stored("t1", TaskState.ACCEPTED, TaskCreation.AMBIGUOUS, null);
        assertEquals(new Admission.Admitted(), admissions.admit(reservation("t2")));
        assertEquals(20, ledger.usage("app", LocalDate.parse("2026-11-21")).usedCredits());
    }

    @Test
    void freesASlotWithoutTask_onlyOnceItIsOld() {
        admissions.admit(reservation("t1"));
        assertInstanceOf(Admission.TooManyActive.class, admissions.admit(reservation("t2")));
        clock.advance(AdmissionControl.ORPHAN_AGE.plus(Duration.ofSeconds(1)));
        assertEquals(new Admission.Admitted(), admissions.admit(reservation("t3")));
    }

    @Test
    void overBudgetIsReportedWithoutReclaiming() {
        Reservation big = new Reservation("app", "t9", "gen4_image", T0, 2000, 1000, 1);
        assertEquals(new Admission.OverBudget(0, 1000, 2000), admissions.admit(big));
    }
}
