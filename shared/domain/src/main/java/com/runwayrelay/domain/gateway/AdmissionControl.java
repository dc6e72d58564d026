package com.runwayrelay.domain.gateway;

import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskRepository;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.gateway.UsageLedger.ActiveSlot;
import com.runwayrelay.domain.gateway.UsageLedger.Admission;
import com.runwayrelay.domain.gateway.UsageLedger.Reservation;
import com.runwayrelay.domain.gateway.UsageLedger.Settlement;
import com.runwayrelay.domain.runway.TaskCreation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Admits tasks through the {@link UsageLedger}, reclaiming leaked slots when the app seems full.
 *
 * <p>A slot can outlive its task's work: a crash between admission and the task's first write
 * leaves a slot with no task; a task can end without being settled; an ambiguous create never
 * ends. When an admission finds every slot taken, the slots are checked against the tasks: those
 * whose task is finished are settled (at {@link Settlement#creditsOf}), those whose task
 * is missing (after {@link #ORPHAN_AGE}) or ambiguous are freed, and the admission is tried once
 * more.
 */
public final class AdmissionControl {
    /** A slot without a task is reclaimed only after this long (its task may be being written). */
    public static final Duration ORPHAN_AGE = Duration.ofMinutes(5);

    private final UsageLedger ledger;
    private final TaskRepository tasks;
    private final Clock clock;

    public AdmissionControl(UsageLedger ledger, TaskRepository tasks, Clock clock) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Admits the task, reclaiming leaked slots first if every slot is taken. */
    public Admission admit(Reservation reservation) {
        Admission first = ledger.admit(reservation);
        if (!(first instanceof Admission.TooManyActive) || reclaimLeakedSlots(reservation.appId()) == 0) {
            return first;
        }
        return ledger.admit(reservation);
    }

    /** Frees the slots of an app whose tasks no longer need them; returns how many. */
    int reclaimLeakedSlots(String appId) {
        Instant now = clock.instant();
        int freed = 0;
        for (ActiveSlot slot : ledger.activeSlots(appId)) {
            Task task = tasks.find(slot.taskId()).orElse(null);
            if (task == null) {
                if (slot.admittedAt().plus(ORPHAN_AGE).isBefore(now)) {
                    ledger.freeSlot(appId, slot);
                    freed++;
                }
            } else if (task.state().isTerminal()) {
                ledger.settle(Settlement.of(task));
                freed++;
            } else if (task.state() == TaskState.ACCEPTED && TaskCreation.AMBIGUOUS.equals(task.stateReason())) {
                ledger.freeSlot(appId, slot);
                freed++;
            }
        }
        return freed;
    }
}
