package com.runwayrelay.domain.gateway;

import com.runwayrelay.domain.AttemptOutcome;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.runway.WorkflowRuns;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Per-app daily credit budgets and active-task slots.
 *
 * <p>Every task is admitted once ({@link #admit}): its estimated credits are added to the app's
 * usage of the UTC day it was submitted, and it takes one of the app's active-task slots — both
 * atomically, and only when the budget and the slot limit allow. When its Runway work is over it
 * is settled once ({@link #settle}): the day's usage moves from the estimate to the actual cost
 * (zero for a create Runway rejected, or a task cancelled before it finished) and the slot is
 * freed. Settling is idempotent per task, so a caller that is unsure whether it already settled
 * simply settles again.
 *
 * <p>A create that may have made a Runway task nobody can see (an ambiguous create) is counted
 * as a <em>possible orphan</em> ({@link #reserveOrphan}): its estimate joins the day's usage for
 * good, since nobody can tell whether Runway billed it, and the day's possible-orphan counters.
 */
public interface UsageLedger {

    /** Reserves the credits and a slot, or says which limit is in the way. */
    Admission admit(Reservation reservation);

    /** Adjusts the reservation to the actual cost and frees the slot; a repeat changes nothing. */
    void settle(Settlement settlement);

    /**
     * Counts a possible orphan: adds its credits to the day's usage and to the day's possible-orphan
     * counters. Nothing settles them later. With {@link OrphanReservation#dailyBudget()} set, only
     * when the day's budget can hold them (a retry that would otherwise overspend is not made);
     * without, always (the credits were already reserved by the task, which is settled at zero
     * next). Idempotent per task and attempt: a repeat changes nothing and answers
     * {@link Admission.Admitted}.
     *
     * @return {@link Admission.Admitted}, or {@link Admission.OverBudget} when the budget cannot hold it
     */
    Admission reserveOrphan(OrphanReservation reservation);

    /** Frees a slot without touching credits (a slot whose task vanished or can never finish). */
    void freeSlot(String appId, ActiveSlot slot);

    /** The slots an app holds now. */
    List<ActiveSlot> activeSlots(String appId);

    /** An app's usage of one UTC day; zeros when it used nothing. */
    DailyUsage usage(String appId, LocalDate day);

    /**
     * An app's usage of each UTC day from {@code from} to {@code to} (both included), oldest first;
     * zeros for days it used nothing. Adapters read the days in batches; this default reads one at a time.
     *
     * @throws IllegalArgumentException when {@code from} is after {@code to}
     */
    default List<DailyUsage> usage(String appId, LocalDate from, LocalDate to) {
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("from must not be after to");
        }
        return from.datesUntil(to.plusDays(1)).map(day -> usage(appId, day)).toList();
    }

    /** The UTC day an instant falls on: the day a task's credits count against. */
    static LocalDate dayOf(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }

    /**
     * A task asking to be admitted.
     *
     * @param appId          the app
     * @param taskId         the task
     * @param model          the model (counted per model in the day's usage)
     * @param at             when it was submitted: the task's {@code createdAt}
     * @param credits        credits to reserve
     * @param dailyBudget    the app's daily budget
     * @param maxActiveTasks the app's slot limit
     */
    record Reservation(String appId, String taskId, String model, Instant at, long credits, long dailyBudget,
                       int maxActiveTasks) {
        public Reservation {
            Objects.requireNonNull(appId, "appId");
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(at, "at");
            if (credits < 0 || dailyBudget < 0 || maxActiveTasks < 1) {
                throw new IllegalArgumentException("credits and dailyBudget must be >= 0, maxActiveTasks >= 1");
            }
        }

        /** The slot this task takes. */
        public ActiveSlot slot() {
            return new ActiveSlot(taskId, at);
        }

        /** The day the credits count against. */
        public LocalDate day() {
            return dayOf(at);
        }
    }

    /**
     * A task whose Runway work is over.
     *
     * @param appId           the app
     * @param taskId          the task
     * @param reservedAt      the task's {@code createdAt} (identifies the day and the slot)
     * @param reservedCredits what was reserved at admission: the task's {@code estimatedCredits}
     * @param actualCredits   what it really cost
     * @param model           the task's model (its credits are counted per model too), or null
     */
    record Settlement(String appId, String taskId, Instant reservedAt, long reservedCredits, long actualCredits,
                      String model) {
        public Settlement {
            Objects.requireNonNull(appId, "appId");
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(reservedAt, "reservedAt");
            if (reservedCredits < 0 || actualCredits < 0) {
                throw new IllegalArgumentException("credits must be >= 0");
            }
        }

        /** A settlement without a model (counted in the day's total only). */
        public Settlement(String appId, String taskId, Instant reservedAt, long reservedCredits, long actualCredits) {
            this(appId, taskId, reservedAt, reservedCredits, actualCredits, null);
        }

        /** The settlement of {@code task} at {@code actualCredits}. */
        public static Settlement of(Task task, long actualCredits) {
            return new Settlement(task.appId(), task.id(), task.createdAt(), task.request().estimatedCredits(), actualCredits,
                    task.request().model());
        }

        /** The settlement of {@code task} at {@link #creditsOf(Task)}. */
        public static Settlement of(Task task) {
            return of(task, creditsOf(task));
        }

        /**
         * What a task that ended (or is being ended from the state it is in) counts against its app's
         * budget; the one rule every settler uses, so whichever settles first settles the same amount:
         * the cost Runway reported; else, when Runway finished the task ({@code OUTPUT_READY},
         * {@code ARCHIVED}, or an attempt that {@code SUCCEEDED}), the estimate; else, for a
         * {@code FAILED} task of which Runway created a task whose cost is unknown (it may have been
         * charged), the estimate; else, for a workflow run of which Runway created an invocation, the
         * estimate (its ceiling: Runway has no cancel for an invocation, so it runs on and is charged);
         * else nothing (no Runway task was created, or it was cancelled, which Runway refunds).
         */
        public static long creditsOf(Task task) {
            if (task.runway().actualCredits() != null) {
                return task.runway().actualCredits();
            }
            boolean finishedByRunway = task.state() == TaskState.OUTPUT_READY || task.state() == TaskState.ARCHIVED
                    || task.runway().attempts().stream().anyMatch(a -> a.is(AttemptOutcome.SUCCEEDED));
            boolean created = task.runway().attempts().stream().anyMatch(a -> a.runwayTaskId() != null);
            boolean runsOn = created && WorkflowRuns.isRun(task.request().endpoint());
            return finishedByRunway || runsOn || created && task.state() == TaskState.FAILED
                    ? task.request().estimatedCredits() : 0;
        }

        /** The slot the task held. */
        public ActiveSlot slot() {
            return new ActiveSlot(taskId, reservedAt);
        }

        /** The day its credits count against. */
        public LocalDate day() {
            return dayOf(reservedAt);
        }
    }

    /**
     * A create that may have made a billed Runway task the gateway cannot see.
     *
     * @param appId       the app
     * @param taskId      the task whose create it was
     * @param attempt     the attempt's number on the task (with the task, identifies the orphan)
     * @param at          the task's {@code createdAt}: the day the credits count against
     * @param credits     the estimate to count
     * @param dailyBudget the limit the day's usage must stay within, or null to count unconditionally
     * @param model       the task's model (the credits are counted per model too), or null
     */
    record OrphanReservation(String appId, String taskId, int attempt, Instant at, long credits, Long dailyBudget,
                             String model) {
        /** A possible orphan without a model (counted in the day's total only). */
        public OrphanReservation(String appId, String taskId, int attempt, Instant at, long credits, Long dailyBudget) {
            this(appId, taskId, attempt, at, credits, dailyBudget, null);
        }

        public OrphanReservation {
            Objects.requireNonNull(appId, "appId");
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(at, "at");
            if (credits < 0 || attempt < 1 || (dailyBudget != null && dailyBudget < 0)) {
                throw new IllegalArgumentException("credits and dailyBudget must be >= 0, attempt >= 1");
            }
        }

        /** The day the credits count against. */
        public LocalDate day() {
            return dayOf(at);
        }
    }

    /**
     * One active-task slot.
     *
     * @param taskId     the task holding it
     * @param admittedAt when it was taken (the task's {@code createdAt})
     */
    record ActiveSlot(String taskId, Instant admittedAt) {
        public ActiveSlot {
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(admittedAt, "admittedAt");
        }

        /** The stored form, {@code <taskId>@<epoch millis>}. */
        public String token() {
            return taskId + "@" + admittedAt.toEpochMilli();
        }

        /** Parses {@link #token()}. */
        public static ActiveSlot parse(String token) {
            int at = token.lastIndexOf('@');
            if (at <= 0) {
                throw new IllegalArgumentException("not a slot token: " + token);
            }
            return new ActiveSlot(token.substring(0, at), Instant.ofEpochMilli(Long.parseLong(token.substring(at + 1))));
        }
    }

    /**
     * An app's usage of one UTC day.
     *
     * @param day          the day
     * @param usedCredits  credits reserved for unfinished tasks plus credits charged for finished ones
     * @param tasks        tasks admitted that day
     * @param tasksByModel the same, per model
     * @param possibleOrphans       creates that day's tasks made that may have a billed Runway task nobody
     *                              can see ({@link #reserveOrphan})
     * @param possibleOrphanCredits their estimated credits, included in {@code usedCredits}
     * @param creditsByModel        {@code usedCredits} per model, as far as it was counted per model: days
     *                              written before per-model credits existed have none, and credits of
     *                              tasks without a model are in no model's count
     */
    record DailyUsage(LocalDate day, long usedCredits, long tasks, Map<String, Long> tasksByModel,
                      long possibleOrphans, long possibleOrphanCredits, Map<String, Long> creditsByModel) {
        public DailyUsage {
            Objects.requireNonNull(day, "day");
            tasksByModel = Map.copyOf(tasksByModel);
            creditsByModel = creditsByModel == null ? Map.of() : Map.copyOf(creditsByModel);
        }

        /** A day without possible orphans nor per-model credits. */
        public DailyUsage(LocalDate day, long usedCredits, long tasks, Map<String, Long> tasksByModel) {
            this(day, usedCredits, tasks, tasksByModel, 0, 0, Map.of());
        }

        /** A day without per-model credits. */
        public DailyUsage(LocalDate day, long usedCredits, long tasks, Map<String, Long> tasksByModel,
                          long possibleOrphans, long possibleOrphanCredits) {
            this(day, usedCredits, tasks, tasksByModel, possibleOrphans, possibleOrphanCredits, Map.of());
        }
    }

    /** How an admission ended. */
    sealed interface Admission {
        /** Credits reserved and slot taken. */
        record Admitted() implements Admission {
        }

        /**
         * The day's budget cannot cover the request; nothing was reserved.
         *
         * @param usedCredits      the day's usage before this request
         * @param dailyBudget      the app's budget
         * @param requestedCredits what this request needed
         */
        record OverBudget(long usedCredits, long dailyBudget, long requestedCredits) implements Admission {
            /** Credits still available today (never negative). */
            public long remainingCredits() {
                return Math.max(0, dailyBudget - usedCredits);
            }
        }

        /** Every slot is taken; nothing was reserved. */
        record TooManyActive(int activeTasks, int maxActiveTasks) implements Admission {
        }
    }
}
