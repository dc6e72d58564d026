package com.runwayrelay.domain.poll;

import com.runwayrelay.domain.Attempt;
import com.runwayrelay.domain.AttemptOutcome;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskRepository;
import com.runwayrelay.domain.TaskRepository.DueTask;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.WebhookDelivery;
import com.runwayrelay.domain.gateway.UsageLedger;
import com.runwayrelay.domain.metrics.Metrics;
import com.runwayrelay.domain.metrics.RelayMetric;
import com.runwayrelay.domain.runway.RunwayGateway;
import com.runwayrelay.domain.runway.TaskCreation;
import com.runwayrelay.domain.webhook.DeliveryStatus;
import com.runwayrelay.domain.webhook.WebhookDispatch;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;

/**
 * One poller invocation: until the claim deadline, reads the due index of every shard (never
 * the table), leases each due task with a conditional write and advances it on a virtual
 * thread; at most {@link PollPolicy#concurrency()} at once and at most
 * {@link PollPolicy#requestsPerSecond()} requests to Runway.
 *
 * <p><b>Leases.</b> A claim writes {@code leaseOwner}, {@code leaseUntil} and moves
 * {@code dueAt} to {@code leaseUntil}: the task leaves the due window while it is worked on, so
 * a concurrent run neither reads nor polls it, and it comes back by itself when the lease lapses
 * (a run that died mid-task loses nothing). A SUBMITTED task is held for its poll gap (at least
 * {@link PollPolicy#minInterval()}), so a read that finds nothing new needs no second write: the
 * task is due again when the lease lapses (see {@link TaskAdvancer}); other tasks for
 * {@link PollPolicy#lease()}. The claim is a conditional write (on the version
 * read; for a SUBMITTED task, through {@link SubmittedClaims}, on the task being due and unleased
 * at the moment of the write), so of two runs that see the same task only one holds it. The
 * step's result is written conditional on the claim's version and clears the lease.
 *
 * <p><b>Finished tasks</b> are in the index only while a webhook retry is pending: when it is
 * due, the run only wakes the notifier (a new version with {@code dueAt = now +}
 * {@link PollPolicy#webhookRewake()}; its stream record triggers the notifier) and never sends
 * webhooks itself. Other finished tasks found in the index are taken out of it. OUTPUT_READY
 * tasks belong to the archiver and are left alone.
 *
 * <p><b>Budgets.</b> When the poller ends a task (FAILED, CANCELLED, EXPIRED) it settles the app's
 * reservation at the actual cost; see {@link #settledCredits(Task)}.
 *
 * <p>Instances hold no per-run state and may run again (a warm Lambda container).
 */
public final class Poller {
    /** Retry jitter: fresh OS bytes in every draw, also after a SnapStart restore (docs/decisions.md). */
    private static final SecureRandom JITTER = new SecureRandom();
    /** A task due for longer than this counts as stuck unless the poller is told otherwise. */
    public static final Duration DEFAULT_STUCK_AFTER = Duration.ofMinutes(10);
    /** EXPIRED: the app's deadline passed. */
    public static final String DEADLINE_EXCEEDED = "RELAY.DEADLINE_EXCEEDED";
    /** FAILED: Runway answered 404 for a task the gateway did not cancel. */
    public static final String RUNWAY_TASK_GONE = "RELAY.RUNWAY_TASK_GONE";
    /** FAILED: Runway refused or could not take the create for {@link PollPolicy#maxCreateTries()} tries. */
    public static final String RUNWAY_UNAVAILABLE = "RELAY.RUNWAY_UNAVAILABLE";
    /** FAILED: a SUBMITTED task without a Runway task id (should not happen). */
    public static final String NO_RUNWAY_TASK = "RELAY.NO_RUNWAY_TASK";
    /** FAILED: the most Runway tasks allowed were created (used when the last one left no code). */
    public static final String ATTEMPTS_EXHAUSTED = "RELAY.ATTEMPTS_EXHAUSTED";

    /** After the hard stop, how long interrupted workers get to release their leases. */
    private static final Duration RELEASE_GRACE = Duration.ofSeconds(2);

    private final TaskRepository tasks;
    private final SubmittedClaims claims;
    private final RunwayGateway runway;
    private final UsageLedger ledger;
    private final PollPolicy policy;
    private final Clock clock;
    private final PollLog log;
    private final DoubleSupplier random;
    private final RunWaits waits;
    private final Metrics metrics;
    private final Duration stuckAfter;

    /**
     * @param ledger settles a task's credits when the poller ends it (FAILED, CANCELLED, EXPIRED); an
     *               ARCHIVED task is settled by the archiver
     */
    public Poller(TaskRepository tasks, RunwayGateway runway, UsageLedger ledger, PollPolicy policy, Clock clock,
                  PollLog log) {
        this(tasks, SubmittedClaims.over(tasks), runway, ledger, policy, clock, log);
    }

    /**
     * As {@link #Poller(TaskRepository, RunwayGateway, UsageLedger, PollPolicy, Clock, PollLog)}, with
     * a store-specific way to lease SUBMITTED tasks in one step.
     */
    public Poller(TaskRepository tasks, SubmittedClaims claims, RunwayGateway runway, UsageLedger ledger,
                  PollPolicy policy, Clock clock, PollLog log) {
        // SecureRandom, not ThreadLocalRandom: a SnapStart snapshot freezes the latter's seeder, so every restored
        // environment would draw the same jitter; SecureRandom mixes fresh OS bytes into each draw.
        this(tasks, claims, runway, ledger, policy, clock, log, JITTER::nextDouble);
    }

    Poller(TaskRepository tasks, RunwayGateway runway, UsageLedger ledger, PollPolicy policy, Clock clock,
           PollLog log, DoubleSupplier random) {
        this(tasks, SubmittedClaims.over(tasks), runway, ledger, policy, clock, log, random);
    }

    Poller(TaskRepository tasks, SubmittedClaims claims, RunwayGateway runway, UsageLedger ledger,
           PollPolicy policy, Clock clock, PollLog log, DoubleSupplier random) {
        this(tasks, claims, runway, ledger, policy, clock, log, random, RunWaits.REAL);
    }

    /** As above, with the run's waits chosen by a test (recorded instead of slept). */
    Poller(TaskRepository tasks, RunwayGateway runway, UsageLedger ledger, PollPolicy policy, Clock clock,
           PollLog log, DoubleSupplier random, RunWaits waits) {
        this(tasks, SubmittedClaims.over(tasks), runway, ledger, policy, clock, log, random, waits);
    }

    private Poller(TaskRepository tasks, SubmittedClaims claims, RunwayGateway runway, UsageLedger ledger,
                   PollPolicy policy, Clock clock, PollLog log, DoubleSupplier random, RunWaits waits) {
        this(tasks, claims, runway, ledger, policy, clock, log, random, waits, Metrics.none(), DEFAULT_STUCK_AFTER);
    }

    /**
     * As {@link #Poller(TaskRepository, SubmittedClaims, RunwayGateway, UsageLedger, PollPolicy, Clock, PollLog)},
     * recording {@link RelayMetric#POLL_LAG} for every claim and {@link RelayMetric#STUCK_TASKS} once per run.
     *
     * @param stuckAfter how long past its due time a task in the due index counts as stuck
     */
    public Poller(TaskRepository tasks, SubmittedClaims claims, RunwayGateway runway, UsageLedger ledger,
                  PollPolicy policy, Clock clock, PollLog log, Metrics metrics, Duration stuckAfter) {
        this(tasks, claims, runway, ledger, policy, clock, log, JITTER::nextDouble,
                RunWaits.REAL, metrics, stuckAfter);
    }

    /** As above, with the randomness and the run's waits chosen by a test. */
    Poller(TaskRepository tasks, SubmittedClaims claims, RunwayGateway runway, UsageLedger ledger,
           PollPolicy policy, Clock clock, PollLog log, DoubleSupplier random, RunWaits waits, Metrics metrics,
           Duration stuckAfter) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.stuckAfter = Objects.requireNonNull(stuckAfter, "stuckAfter");
        if (stuckAfter.isNegative() || stuckAfter.isZero()) {
            throw new IllegalArgumentException("stuckAfter must be positive, got " + stuckAfter);
        }
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.claims = Objects.requireNonNull(claims, "claims");
        this.runway = Objects.requireNonNull(runway, "runway");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.log = Objects.requireNonNull(log, "log");
        this.random = Objects.requireNonNull(random, "random");
        this.waits = Objects.requireNonNull(waits, "waits");
    }

    /**
     * Works until {@code claimUntil}, then lets the tasks in hand finish until {@code hardStop};
     * those still unfinished are interrupted and their leases released ({@code dueAt} restored).
     *
     * @param runId      the lease owner written on claimed tasks; unique per run (e.g. the Lambda request id)
     * @param claimUntil no task is claimed from this instant on
     * @param hardStop   the latest the run may take, at or after {@code claimUntil}
     */
    public RunSummary run(String runId, Instant claimUntil, Instant hardStop) {
        return run(runId, claimUntil, hardStop, false);
    }

    /** As {@link #run(String, Instant, Instant)}; with {@code untilIdle}, also ends once nothing is due or in hand. */
    RunSummary run(String runId, Instant claimUntil, Instant hardStop, boolean untilIdle) {
        Objects.requireNonNull(runId, "runId");
        if (hardStop.isBefore(claimUntil)) {
            throw new IllegalArgumentException("hardStop must not be before claimUntil");
        }
        long startedNanos = System.nanoTime();
        Run run = new Run(runId, claimUntil, untilIdle);
        ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
        try {
            run.dispatch(workers);
        } finally {
            workers.shutdown();
            try {
                if (!workers.awaitTermination(untilMillis(hardStop), TimeUnit.MILLISECONDS)) {
                    workers.shutdownNow();
                    workers.awaitTermination(RELEASE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                workers.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        metrics.record(RelayMetric.STUCK_TASKS, run.stuck.get());
        return run.counters.summary(runId, Duration.ofNanos(System.nanoTime() - startedNanos));
    }

    /** The credits a task the poller ended is settled at: {@link UsageLedger.Settlement#creditsOf(Task)}, the one rule. */
    public static long settledCredits(Task task) {
        return UsageLedger.Settlement.creditsOf(task);
    }

    private long untilMillis(Instant instant) {
        return Math.max(0, Duration.between(clock.instant(), instant).toMillis());
    }

    /** The state of one run. */
    private final class Run {
        private final String runId;
        private final Instant claimUntil;
        private final boolean untilIdle;
        private final RunCounters counters = new RunCounters();
        private final TaskAdvancer advancer;
        private final Semaphore permits = new Semaphore(policy.concurrency());
        private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
        /** Tasks this run need not look at again before the instant given (in hand elsewhere, rescheduled). */
        private final Map<String, Instant> notBefore = new ConcurrentHashMap<>();
        /** The most entries one sweep found due for longer than {@code stuckAfter}. */
        private final AtomicInteger stuck = new AtomicInteger();

        Run(String runId, Instant claimUntil, boolean untilIdle) {
            this.runId = runId;
            this.claimUntil = claimUntil;
            this.untilIdle = untilIdle;
            PacedRunway paced = new PacedRunway(runway, TokenBucket.perSecond(policy.requestsPerSecond(), waits), counters);
            this.advancer = new TaskAdvancer(tasks, paced, ledger, policy, new Schedule(policy, random, this::countActive),
                    clock, log, counters, runId);
        }

        /** The due index's entries, for the schedule's bound on THROTTLED tasks; a failure is logged like a sweep's. */
        private long countActive() {
            try {
                return tasks.countActive();
            } catch (RuntimeException e) {
                log.problem(runId, "due-index count", e);
                throw e;
            }
        }

        /**
         * Sweeps: one page of due entries from every shard, merged soonest-due first so no shard
         * waits behind another's re-due tasks, each dispatched when a permit frees up. A page is
         * larger than the concurrency, so entries still in hand never fill it. When no page was
         * full, everything due has been seen, and the next sweep waits {@link PollPolicy#idlePause()}:
         * tasks that fall due meanwhile wait that long instead of the index being queried in a loop.
         * A sweep that started nothing new waits as well.
         */
        void dispatch(ExecutorService workers) {
            while (clock.instant().isBefore(claimUntil)) {
                Sweep sweep = sweep(clock.instant());
                int dispatched = 0;
                for (DueTask due : sweep.due()) {
                    Instant wait = notBefore.get(due.taskId());
                    if (inFlight.contains(due.taskId()) || (wait != null && wait.isAfter(clock.instant()))) {
                        continue;
                    }
                    if (!acquirePermit()) {
                        return;
                    }
                    inFlight.add(due.taskId());
                    dispatched++;
                    workers.execute(() -> work(due.taskId()));
                }
                if (dispatched == 0 && untilIdle && inFlight.isEmpty()) {
                    return;
                }
                // A full page is swept again at once, unless it held nothing new to start (only tasks
                // already in hand): sweeping again before those are claimed would spin on the index.
                if ((!sweep.full() || dispatched == 0) && !pause(policy.idlePause())) {
                    return;
                }
            }
        }

        /** One page per shard, merged by due time; {@code full} when some shard may have more. */
        private record Sweep(List<DueTask> due, boolean full) {
        }

        private Sweep sweep(Instant now) {
            int limit = policy.pageSize() + policy.concurrency();
            List<DueTask> due = new ArrayList<>();
            boolean full = false;
            for (int shard = 0; shard < tasks.shards(); shard++) {
                try {
                    List<DueTask> page = tasks.due(shard, now, limit);
                    full |= page.size() >= limit;
                    due.addAll(page);
                } catch (RuntimeException e) {
                    log.problem(runId, "due-index shard " + shard, e);
                }
            }
            due.sort(Comparator.comparing(DueTask::dueAt));
            Instant stuckBefore = now.minus(stuckAfter);
            int stuckNow = (int) due.stream().filter(entry -> entry.dueAt().isBefore(stuckBefore)).count();
            stuck.accumulateAndGet(stuckNow, Math::max);
            return new Sweep(due, full);
        }

        private boolean acquirePermit() {
            try {
                return permits.tryAcquire(untilMillis(claimUntil), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        private boolean pause(Duration pause) {
            long millis = Math.min(pause.toMillis(), untilMillis(claimUntil));
            if (millis <= 0) {
                // Less than a millisecond of claiming time left: sleeping 0 ms would spin on the index.
                return false;
            }
            try {
                waits.idle().sleep(Duration.ofMillis(millis));
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        private void work(String taskId) {
            counters.started();
            try {
                handle(taskId);
            } catch (RuntimeException e) {
                counters.failed.increment();
                log.problem(runId, taskId, e);
            } finally {
                counters.finished();
                inFlight.remove(taskId);
                permits.release();
            }
        }

        private void handle(String taskId) {
            Instant now = clock.instant();
            if (!now.isBefore(claimUntil)) {
                skip(taskId, claimUntil);
                return;
            }
            SubmittedClaims.Claim claim = claims.claim(taskId, runId, now, policy.minInterval());
            if (claim instanceof SubmittedClaims.Claim.Taken taken) {
                counters.claimed.increment();
                advanceClaimed(taken.before(), taken.claimed());
                return;
            }
            handleOther(taskId, ((SubmittedClaims.Claim.Refused) claim).current(), now);
        }

        /** A task the one-step claim refused: not SUBMITTED, not due, leased, or gone. */
        private void handleOther(String taskId, Task seen, Instant now) {
            if (seen == null || seen.dueAt() == null || seen.dueAt().isAfter(now)) {
                skip(taskId, seen == null ? null : seen.dueAt());
                return;
            }
            if (seen.leaseUntil() != null && seen.leaseUntil().isAfter(now)) {
                skip(taskId, seen.leaseUntil());
                return;
            }
            if (seen.state().isTerminal()) {
                finished(seen, now);
                return;
            }
            if (seen.state() == TaskState.OUTPUT_READY) {
                skip(taskId, claimUntil);
                return;
            }
            Instant creatingUntil = possiblyCreatingUntil(seen);
            if (creatingUntil.isAfter(now)) {
                skip(taskId, creatingUntil);
                return;
            }
            Task claimed = seen.state() == TaskState.SUBMITTED
                    ? SubmittedClaims.leased(seen, runId, now, policy.minInterval())
                    : SubmittedClaims.leased(seen, runId, now, now.plus(policy.lease()));
            if (!TaskAdvancer.replaced(tasks, seen, claimed)) {
                skip(taskId, null);
                return;
            }
            counters.claimed.increment();
            advanceClaimed(seen, claimed);
        }

        private void advanceClaimed(Task seen, Task claimed) {
            if (seen.dueAt() != null) {
                Duration lag = Duration.between(seen.dueAt(), clock.instant());
                metrics.record(RelayMetric.POLL_LAG, Math.max(0, lag.toMillis()) / 1000.0);
            }
            AtomicReference<Task> current = new AtomicReference<>(claimed);
            boolean settled = false;
            try {
                TaskAdvancer.Outcome outcome = advancer.advance(current, previousWait(seen));
                settled = true;
                switch (outcome) {
                    case ADVANCED -> {
                        counters.advanced.increment();
                        log.stepped(runId, current.get());
                    }
                    case UNCHANGED -> {
                        counters.advanced.increment();
                        counters.unchanged.increment();
                        log.stepped(runId, current.get());
                    }
                    case UNAVAILABLE -> counters.failed.increment();
                    case LOST -> counters.skipped.increment();
                }
            } catch (RuntimeException e) {
                if (!Thread.interrupted()) {
                    // Left to its lease: the task is due again when the lease lapses.
                    settled = true;
                    counters.failed.increment();
                    log.problem(runId, claimed.id(), e);
                }
            } finally {
                if (!settled) {
                    release(current.get(), seen.dueAt());
                }
                Task last = current.get();
                notBefore.put(claimed.id(), last.dueAt() != null ? last.dueAt() : claimUntil);
            }
        }

        /** Hands an unfinished task back: no lease, due when it was due before the claim. */
        private void release(Task held, Instant dueAt) {
            Thread.interrupted();
            if (held.leaseOwner() == null) {
                return;
            }
            Task released = held.next(clock.instant()).withoutLease().dueAt(dueAt).build();
            if (TaskAdvancer.replaced(tasks, held, released)) {
                counters.released.increment();
            }
        }

        /** A finished task in the index: wake the notifier when its webhook retry is due, else drop the entry. */
        private void finished(Task seen, Instant now) {
            Optional<WebhookDelivery> underived = WebhookDispatch.underivedNext(seen, now);
            if (underived.isPresent()) {
                // The notifier stopped between an event's end and the next one's first write: write it, pending.
                Task woken = seen.next(now).webhook(underived.get()).dueAt(now.plus(policy.webhookRewake()))
                        .withoutLease().build();
                if (TaskAdvancer.replaced(tasks, seen, woken)) {
                    counters.woken.increment();
                    notBefore.put(seen.id(), woken.dueAt());
                } else {
                    skip(seen.id(), null);
                }
                return;
            }
            WebhookDelivery webhook = seen.webhook();
            boolean pending = webhook != null && webhook.status() == DeliveryStatus.PENDING;
            Instant nextAt = pending && webhook.nextAt() != null ? webhook.nextAt() : now;
            if (pending && !nextAt.isAfter(now)) {
                Task woken = seen.next(now).dueAt(now.plus(policy.webhookRewake())).withoutLease().build();
                if (TaskAdvancer.replaced(tasks, seen, woken)) {
                    counters.woken.increment();
                    notBefore.put(seen.id(), woken.dueAt());
                } else {
                    skip(seen.id(), null);
                }
                return;
            }
            Task cleared = seen.next(now).dueAt(pending ? nextAt : null).withoutLease().build();
            if (TaskAdvancer.replaced(tasks, seen, cleared)) {
                counters.cleared.increment();
                notBefore.put(seen.id(), pending ? nextAt : claimUntil);
            } else {
                skip(seen.id(), null);
            }
        }

        private void skip(String taskId, Instant until) {
            counters.skipped.increment();
            if (until != null) {
                notBefore.put(taskId, until);
            }
        }

        /**
         * Until when an ACCEPTED task may still be in the hands of the submit function (just
         * written, or its create in flight): claiming it then would make submit's own write fail.
         */
        private Instant possiblyCreatingUntil(Task task) {
            if (task.state() != TaskState.ACCEPTED || TaskCreation.AMBIGUOUS.equals(task.stateReason())) {
                return Instant.MIN;
            }
            Attempt last = task.lastAttempt();
            if (last == null) {
                return task.createdAt().plus(policy.inFlightGrace());
            }
            if (last.is(AttemptOutcome.IN_FLIGHT) && last.startedAt() != null) {
                return last.startedAt().plus(policy.inFlightGrace());
            }
            return Instant.MIN;
        }

        /**
         * The wait that preceded this step, when it was a backoff after Runway was unavailable: the
         * task's {@link Task.RunwaySide#backoff()}; for a task written before that was recorded, read
         * from its reason and schedule as it was then.
         */
        private static Duration previousWait(Task seen) {
            if (seen.runway().backoff() != null) {
                return seen.runway().backoff();
            }
            if (seen.stateReason() == null || !seen.stateReason().startsWith(TaskAdvancer.UNAVAILABLE_PREFIX)
                    || seen.dueAt() == null || seen.dueAt().isBefore(seen.updatedAt())) {
                return null;
            }
            return Duration.between(seen.updatedAt(), seen.dueAt());
        }
    }
}
