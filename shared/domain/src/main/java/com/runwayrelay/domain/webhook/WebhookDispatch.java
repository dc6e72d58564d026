package com.runwayrelay.domain.webhook;

import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskRepository;
import com.runwayrelay.domain.WebhookDelivery;
import com.runwayrelay.domain.WebhookDelivery.DeliveryAttempt;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.app.AppRepository;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The webhook use case: makes the attempt a task's delivery is due for, if any, and records it.
 *
 * <p>{@link #deliver} may be called for any task, any number of times, concurrently: on every
 * stream record of the task, and again when the poller wakes a pending retry by writing a new
 * version. It always re-reads the task and acts only when an attempt is due:
 * <ul>
 *   <li>the task is terminal, has a callback URL, wants the event ({@code Task.Request#announces}), and its delivery is either absent (the first
 *       attempt of a new event) or {@link DeliveryStatus#PENDING} with {@code nextAt} reached; or, in
 *       any state, its delivery is a pending started or progress event ({@link CourseEvents}), which
 *       goes first: a task's events are sent one at a time, in order ({@link #plan});</li>
 *   <li>the attempt is <em>claimed</em> first with a conditional write that pushes {@code nextAt}
 *       and {@code dueAt} one claim lease ahead, so a concurrent or replayed call finds nothing due
 *       and never sends twice at once, while a run that dies mid-send is retried by the poller once
 *       the lease lapses;</li>
 *   <li>the event is rendered and signed with every secret the app currently signs with (two
 *       during a rotation), sent, and the attempt (time, status, error) is written with the next
 *       state: {@link DeliveryStatus#DELIVERED} on 2xx; {@link DeliveryStatus#DISABLED} on 410, which
 *       also marks the app's webhook endpoint disabled; {@link DeliveryStatus#PENDING} with
 *       {@code nextAt = dueAt} per the {@link RetrySchedule} on any other failure;
 *       {@link DeliveryStatus#FAILED} once the schedule is exhausted or the target is refused.</li>
 * </ul>
 * A pending attempt due within {@link Settings#maxInPlaceWait()} is waited for in place (the
 * poller's one-minute tick is too coarse for the first, 5-second retry); later ones are left to
 * the poller, which finds them through the due index.
 *
 * <p>A task whose state maps to a different event than the one recorded (it ended anew, or its last
 * event was a started or progress event) gets a new event with the next sequence number and a new
 * {@code webhook-id}. Writes for a task still running leave its {@code dueAt} (the poller's read
 * schedule) alone.
 */
public final class WebhookDispatch {
    private static final int MAX_ROUNDS = 4;

    private final TaskRepository tasks;
    private final AppRepository apps;
    private final EventPayloads payloads;
    private final WebhookSender sender;
    private final Settings settings;
    private final Clock clock;
    private final Sleeper sleeper;
    private final RandomGenerator random;

    /**
     * Wires the use case.
     *
     * @param random jitter source for the retry schedule
     */
    public WebhookDispatch(TaskRepository tasks, AppRepository apps, EventPayloads payloads, WebhookSender sender,
                           Settings settings, Clock clock, Sleeper sleeper, RandomGenerator random) {
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.apps = Objects.requireNonNull(apps, "apps");
        this.payloads = Objects.requireNonNull(payloads, "payloads");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Makes the attempt due for this task, if any.
     *
     * @return what happened; {@link Result#NOT_DUE} when the thread was interrupted while waiting
     *         (the attempt stays in the due index)
     */
    public Result deliver(String taskId) {
        Objects.requireNonNull(taskId, "taskId");
        boolean waited = false;
        Result sent = null;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Optional<Task> found = tasks.find(taskId);
            if (found.isEmpty()) {
                return sent != null ? sent : Result.NOT_FOUND;
            }
            Task task = found.get();
            Instant now = clock.instant();
            Plan plan = plan(task, now);
            if (plan instanceof Plan.Nothing) {
                return sent != null ? sent : Result.NOTHING_TO_SEND;
            }
            if (plan instanceof Plan.Later later) {
                Duration wait = Duration.between(now, later.nextAt());
                if (waited || sent != null || wait.compareTo(settings.maxInPlaceWait()) > 0) {
                    keepDue(task, later.nextAt());
                    return sent != null ? sent : Result.NOT_DUE;
                }
                waited = true;
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Result.NOT_DUE;
                }
                continue;
            }
            Plan.Due due = (Plan.Due) plan;
            Optional<Result> outcome = attempt(task, due, now);
            if (outcome.isPresent()) {
                if (!followed(task, due.event().type()) || outcome.get() == Result.RETRY_SCHEDULED) {
                    return outcome.get();
                }
                // A started or progress event has ended: the task's next event (its end, when it has
                // ended meanwhile) may be due now, and is sent in this same call, after it; so may
                // task.delivered after an end event.
                sent = outcome.get();
                waited = true;
            }
        }
        return sent != null ? sent : Result.CONTENDED;
    }

    /** Whether an event of {@code type} may have a next event of the task due as soon as it has ended. */
    private static boolean followed(Task task, WebhookEventType type) {
        return type.precedesEnd() || type.ends() && task.request().announces(WebhookEventType.TASK_DELIVERED);
    }

    /**
     * Keeps an ended task in the due index until its pending attempt, so the poller wakes the
     * notifier then: the writer that ended the task may have taken it out while an earlier event
     * (started, progress) still held the delivery. A lost race is fine: the winner wrote a newer
     * version, whose stream record brings the task back here.
     */
    private void keepDue(Task task, Instant nextAt) {
        if (task.state().isTerminal() && (task.dueAt() == null || task.dueAt().isAfter(nextAt))) {
            tasks.replace(task, task.next(clock.instant()).dueAt(nextAt).build());
        }
    }

    /**
     * Where {@code candidate} belongs in the due index after a webhook write: an ended task stays in
     * it while its webhook has an attempt to make (at that attempt; now when one is due at once, such
     * as its end event after a started or progress event just ended) and leaves it otherwise. A task
     * still running keeps the poller's schedule, which the webhook never moves (the poller reads Runway
     * by it); its events are sent as its stream records come, and retries wait in place or for its next change.
     */
    private static Instant dueAfter(Task candidate, Instant now) {
        if (!candidate.state().isTerminal()) {
            return candidate.dueAt();
        }
        return switch (plan(candidate, now)) {
            case Plan.Nothing n -> null;
            case Plan.Later l -> l.nextAt();
            case Plan.Due d -> now;
        };
    }

    /** Empty when another writer changed the task first: the caller re-reads. */
    private Optional<Result> attempt(Task task, Plan.Due due, Instant now) {
        Optional<App> app = apps.find(task.appId());
        if (app.isEmpty()) {
            return finishUnsent(task, due, now, DeliveryStatus.FAILED,
                    "not sent: app " + task.appId() + " no longer exists");
        }
        if (app.get().webhookDisabled()) {
            return finishUnsent(task, due, now, DeliveryStatus.DISABLED,
                    "not sent: the app's webhook endpoint is disabled (an earlier delivery got 410 Gone)");
        }
        List<String> secrets = app.get().signingSecrets(now).stream().map(App.WebhookSecret::secret).toList();
        if (secrets.isEmpty()) {
            return finishUnsent(task, due, now, DeliveryStatus.FAILED,
                    "not sent: the app has no webhook signing secret");
        }
        URI target;
        try {
            target = new URI(task.request().callbackUrl());
        } catch (URISyntaxException e) {
            return finishUnsent(task, due, now, DeliveryStatus.FAILED, "not sent: the callback URL is not a valid URI");
        }
        Instant leaseUntil = now.plus(settings.claimLease());
        Task claimed = task.next(now)
                .webhook(new WebhookDelivery(DeliveryStatus.PENDING, due.event().messageId(),
                        due.event().type().wireName(), due.event().sequence(), due.attempts(), leaseUntil))
                .dueAt(task.state().isTerminal() ? leaseUntil : task.dueAt())
                .build();
        if (!tasks.replace(task, claimed)) {
            return Optional.empty();
        }
        SendOutcome outcome = send(claimed, due.event(), secrets, target);
        Result result = record(claimed, outcome);
        if (outcome instanceof SendOutcome.Gone) {
            disableEndpoint(task.appId());
        }
        return Optional.of(result);
    }

    private SendOutcome send(Task claimed, WebhookEvent event, List<String> secrets, URI target) {
        byte[] body = payloads.render(claimed, event);
        long timestamp = clock.instant().getEpochSecond();
        String signature;
        try {
            signature = WebhookSigner.signatureHeader(event.messageId(), timestamp, body, secrets);
        } catch (IllegalArgumentException e) {
            return new SendOutcome.Refused("not sent: " + e.getMessage());
        }
        return Objects.requireNonNull(sender.send(target, new WebhookMessage(event.messageId(), timestamp, signature,
                body)), "sender returned no outcome");
    }

    /** Writes the attempt onto the claimed version, rebasing onto a newer version while it still holds the claim. */
    private Result record(Task claimed, SendOutcome outcome) {
        Instant sentAt = claimed.updatedAt();
        Instant now = clock.instant();
        WebhookDelivery held = claimed.webhook();
        List<DeliveryAttempt> attempts = new ArrayList<>(held.attempts());
        attempts.add(new DeliveryAttempt(sentAt, outcome.httpStatus(), errorOf(outcome)));
        Next next = next(outcome, attempts.size(), now);
        WebhookDelivery delivery = new WebhookDelivery(next.status(), held.messageId(), held.eventType(),
                held.sequence(), attempts, next.nextAt());
        Task current = claimed;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Task recorded = current.next(now).webhook(delivery).build();
            if (tasks.replace(current, recorded.toBuilder().dueAt(dueAfter(recorded, now)).build())) {
                break;
            }
            Optional<Task> reread = tasks.find(claimed.id());
            if (reread.isEmpty() || !stillHeld(reread.get().webhook(), held)) {
                break;
            }
            current = reread.get();
        }
        return next.result();
    }

    private static boolean stillHeld(WebhookDelivery now, WebhookDelivery held) {
        return now != null && Objects.equals(now.messageId(), held.messageId())
                && now.status() == DeliveryStatus.PENDING
                && now.attempts().size() == held.attempts().size();
    }

    private Next next(SendOutcome outcome, int attemptsMade, Instant now) {
        return switch (outcome) {
            case SendOutcome.Delivered d -> new Next(DeliveryStatus.DELIVERED, null, Result.DELIVERED);
            case SendOutcome.Gone g -> new Next(DeliveryStatus.DISABLED, null, Result.DISABLED);
            case SendOutcome.Refused r -> new Next(DeliveryStatus.FAILED, null, Result.FAILED);
            case SendOutcome.Retryable r -> settings.schedule().delayAfter(attemptsMade, r.retryAfter(), random)
                    .map(delay -> new Next(DeliveryStatus.PENDING, now.plus(delay), Result.RETRY_SCHEDULED))
                    .orElse(new Next(DeliveryStatus.FAILED, null, Result.FAILED));
        };
    }

    private static String errorOf(SendOutcome outcome) {
        return switch (outcome) {
            case SendOutcome.Delivered d -> null;
            case SendOutcome.Gone g -> "410 Gone: the endpoint asked for no more webhooks; webhooks are now disabled for the app";
            case SendOutcome.Refused r -> r.error();
            case SendOutcome.Retryable r -> r.error();
        };
    }

    /** Ends a delivery without sending; the reason is recorded as an attempt with status 0. */
    private Optional<Result> finishUnsent(Task task, Plan.Due due, Instant now, DeliveryStatus status, String reason) {
        List<DeliveryAttempt> attempts = new ArrayList<>(due.attempts());
        attempts.add(new DeliveryAttempt(now, 0, reason));
        Task finished = task.next(now)
                .webhook(new WebhookDelivery(status, due.event().messageId(), due.event().type().wireName(),
                        due.event().sequence(), attempts, null))
                .build();
        finished = finished.toBuilder().dueAt(dueAfter(finished, now)).build();
        if (!tasks.replace(task, finished)) {
            return Optional.empty();
        }
        return Optional.of(status == DeliveryStatus.DISABLED ? Result.DISABLED : Result.FAILED);
    }

    private void disableEndpoint(String appId) {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Optional<App> found = apps.find(appId);
            if (found.isEmpty() || found.get().webhookDisabled()) {
                return;
            }
            App a = found.get();
            App disabled = a.withWebhookDisabled();
            if (apps.replace(a, disabled)) {
                return;
            }
        }
    }

    /**
     * What, if anything, is to be sent for this version of the task. The task's events go out in
     * order, one at a time: a started or progress event still being delivered is finished first
     * (whatever the task's state); once it has ended, an ended task's end event follows with the next
     * sequence number. {@code task.delivered} comes after the end event (or in its place when the app
     * did not ask for the end), once the task's delivery outcomes are recorded; nothing comes after it.
     */
    static Plan plan(Task task, Instant now) {
        WebhookDelivery current = task.webhook();
        Optional<WebhookEventType> held = current == null || current.eventType() == null ? Optional.empty()
                : WebhookEventType.ofWireName(current.eventType());
        if (held.isPresent() && !held.get().ends()) {
            if (!current.status().isFinal()) {
                return pending(task, current, held.get(), now);
            }
            if (!held.get().precedesEnd() || !task.state().isTerminal()) {
                return new Plan.Nothing();
            }
            WebhookEventType end = WebhookEventType.of(task.state()).orElseThrow();
            return task.request().announces(end)
                    ? Plan.Due.first(task.id(), end, Math.max(1, current.sequence() + 1), now)
                    : delivered(task, Math.max(1, current.sequence() + 1), now);
        }
        if (!task.state().isTerminal()) {
            return new Plan.Nothing();
        }
        WebhookEventType type = WebhookEventType.of(task.state()).orElseThrow();
        if (!task.request().announces(type)) {
            // No callback, or the app left this event out of relay.webhookEvents (it may still want task.delivered).
            return delivered(task, current == null ? 1 : Math.max(1, current.sequence() + 1), now);
        }
        if (current == null) {
            return Plan.Due.first(task.id(), type, 1, now);
        }
        if (current.messageId() != null && current.eventType() != null
                && !current.eventType().equals(type.wireName())) {
            return Plan.Due.first(task.id(), type, Math.max(1, current.sequence() + 1), now);
        }
        if (current.status().isFinal()) {
            // The end event has ended: task.delivered follows it once the deliveries have their outcomes.
            return delivered(task, Math.max(1, current.sequence() + 1), now);
        }
        return pending(task, current, type, now);
    }

    /**
     * {@code task.delivered} as the task's next event, with {@code sequence}, when it is due
     * ({@link CourseEvents#deliveredDue}); the caller knows that no event before it is still to send.
     * Once it is in the slot nothing follows it, so it is sent once.
     */
    private static Plan delivered(Task task, long sequence, Instant now) {
        return CourseEvents.deliveredDue(task)
                ? Plan.Due.first(task.id(), WebhookEventType.TASK_DELIVERED, sequence, now) : new Plan.Nothing();
    }

    /**
     * The event the notifier would derive for this ended task now and has not written yet (its end
     * event after a started or progress event, {@code task.delivered} after its end event), as the
     * pending delivery to write into the free slot; empty when the slot holds a pending delivery or
     * nothing follows. The poller writes it when it finds such a task in the due index: the notifier
     * derives and sends these in the call that ended the event before, and a run stopped between
     * the two writes would otherwise leave a task nothing wakes (only a pending delivery passes the
     * notifier's stream filter).
     */
    public static Optional<WebhookDelivery> underivedNext(Task task, Instant now) {
        if (!task.state().isTerminal() || task.webhook() == null || !task.webhook().status().isFinal()) {
            return Optional.empty();
        }
        if (plan(task, now) instanceof Plan.Due due && due.attempts().isEmpty()) {
            return Optional.of(new WebhookDelivery(DeliveryStatus.PENDING, due.event().messageId(),
                    due.event().type().wireName(), due.event().sequence(), List.of(), now));
        }
        return Optional.empty();
    }

    /** The pending delivery {@code current} of an event of {@code type}: due now, or later. */
    private static Plan pending(Task task, WebhookDelivery current, WebhookEventType type, Instant now) {
        if (current.nextAt() != null && current.nextAt().isAfter(now)) {
            return new Plan.Later(current.nextAt());
        }
        long sequence = Math.max(1, current.sequence());
        String messageId = current.messageId() != null ? current.messageId()
                : WebhookEvent.messageIdOf(task.id(), sequence);
        Instant timestamp = current.attempts().isEmpty() ? now : current.attempts().get(0).at();
        return new Plan.Due(new WebhookEvent(messageId, type, sequence, timestamp), current.attempts());
    }

    sealed interface Plan {
        /** No webhook for this task, or its delivery has ended. */
        record Nothing() implements Plan {
        }

        /** An attempt is pending but not due before {@code nextAt}. */
        record Later(Instant nextAt) implements Plan {
        }

        /** An attempt is due now. */
        record Due(WebhookEvent event, List<DeliveryAttempt> attempts) implements Plan {
            static Due first(String taskId, WebhookEventType type, long sequence, Instant now) {
                return new Due(new WebhookEvent(WebhookEvent.messageIdOf(taskId, sequence), type, sequence, now), List.of());
            }
        }
    }

    private record Next(DeliveryStatus status, Instant nextAt, Result result) {
    }

    /** What {@link #deliver} did. */
    public enum Result {
        /** No such task. */
        NOT_FOUND,
        /** The task has no webhook to send: not terminal, no callback URL, or its delivery has ended. */
        NOTHING_TO_SEND,
        /** An attempt is pending for later (or another run holds the claim). */
        NOT_DUE,
        /** Sent and answered 2xx. */
        DELIVERED,
        /** Sent and failed; the next attempt is scheduled. */
        RETRY_SCHEDULED,
        /** Given up: schedule exhausted, target refused, no app or no signing secret. */
        FAILED,
        /** The endpoint answered 410 now, or the app's endpoint was already disabled. */
        DISABLED,
        /** Other writers kept changing the task; the stream or the poller brings it back. */
        CONTENDED
    }

    /**
     * Tuning of the use case.
     *
     * @param schedule       delays between attempts
     * @param claimLease     how long a claimed attempt is protected from other runs; must exceed the
     *                       longest send (the sender's timeout) with a margin
     * @param maxInPlaceWait the longest wait for a pending attempt done inside the call rather than left to the poller
     */
    public record Settings(RetrySchedule schedule, Duration claimLease, Duration maxInPlaceWait) {
        public Settings {
            Objects.requireNonNull(schedule, "schedule");
            Objects.requireNonNull(claimLease, "claimLease");
            Objects.requireNonNull(maxInPlaceWait, "maxInPlaceWait");
            if (maxInPlaceWait.isNegative()) {
                throw new IllegalArgumentException("maxInPlaceWait must be >= 0");
            }
            if (claimLease.compareTo(maxInPlaceWait) <= 0) {
                throw new IllegalArgumentException("claimLease must be longer than maxInPlaceWait, "
                        + "or a waiting run could take over a live claim");
            }
        }

        /** The standard schedule, a 2-minute claim lease and in-place waits of up to 10 seconds. */
        public static Settings standard() {
            return new Settings(RetrySchedule.standard(), Duration.ofMinutes(2), Duration.ofSeconds(10));
        }
    }

    /** Waits; {@code Thread::sleep} in production, a clock-advancing fake in tests. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }
}
