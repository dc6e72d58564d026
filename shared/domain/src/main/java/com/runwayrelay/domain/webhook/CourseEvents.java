package com.runwayrelay.domain.webhook;

import com.runwayrelay.domain.RunwayStatus;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.WebhookDelivery;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The rule by which a writer adds an event to a task's webhook: the task holds one delivery at a
 * time ({@link Task#webhook()}), and a new event takes it only when the one before has ended
 * (delivered, failed, disabled) or there was none. The new event is written by the same conditional
 * write as the change it announces, so it is never lost, and its id is derived from the task and its
 * sequence number ({@link WebhookEvent#messageIdOf}), so every retry sends the same {@code webhook-id}.
 * One slot, filled in order, is what keeps a task's events in order: the notifier sends an event only
 * after the one before it has ended.
 *
 * <p>{@link #afterRead} is the poller's part: {@code task.started} the first time Runway reports the
 * task RUNNING, {@code task.progress} when the progress changed, at most one per
 * {@code progressInterval} and never while the task's previous event is still being delivered (a
 * progress seen then is not announced; the next change is). The end events are added by the writer
 * that ends the task, or derived by the notifier once a started or progress event before them has
 * ended ({@link WebhookDispatch}). {@code task.delivered} comes last: added by the writer that records
 * the task's delivery outcomes when the slot allows ({@link #deliveredMayTakeSlot}), else derived by
 * the notifier once the end event has ended.
 */
public final class CourseEvents {
    /** The interval between two progress events of a task when the deployment sets none. */
    public static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofSeconds(30);

    private CourseEvents() {
    }

    /** Whether a new event may take the task's webhook slot: it is empty, or its event's delivery has ended. */
    public static boolean slotFree(Task task) {
        return task.webhook() == null || task.webhook().status().isFinal();
    }

    /**
     * The delivery of {@code type} as the task's next event: pending and due at {@code now}, with the
     * next sequence number (1 for the task's first event) and the id derived from it.
     */
    public static WebhookDelivery next(Task task, WebhookEventType type, Instant now) {
        long sequence = task.webhook() == null ? 1 : Math.max(1, task.webhook().sequence() + 1);
        return new WebhookDelivery(DeliveryStatus.PENDING, WebhookEvent.messageIdOf(task.id(), sequence),
                type.wireName(), sequence, List.of(), now);
    }

    /**
     * Whether {@code task} has a {@code task.delivered} event to send once the slot is its: it was
     * archived, every delivery of its outputs into the app's storage ({@code relay.deliverTo}) has a
     * recorded outcome ({@link Task#deliveries()} is written once, all outcomes together), and the app
     * asked for the event. Whether it was sent already is the slot's business: the event follows the
     * task's end event, and nothing follows it.
     */
    public static boolean deliveredDue(Task task) {
        return task.state() == TaskState.ARCHIVED && !task.deliveries().isEmpty()
                && task.request().announces(WebhookEventType.TASK_DELIVERED);
    }

    /**
     * Whether the writer that records the task's delivery outcomes may add the {@code task.delivered}
     * event in the same write ({@link #next}): it is {@link #deliveredDue}, the slot is free, and the
     * event before it in order is out of the way: the slot holds the task's end event (delivered or
     * given up), or the app did not ask for the end event. Otherwise the notifier derives the event
     * once the end event has ended ({@link WebhookDispatch}).
     */
    public static boolean deliveredMayTakeSlot(Task task) {
        if (!deliveredDue(task) || !slotFree(task)) {
            return false;
        }
        if (!task.request().announces(WebhookEventType.TASK_SUCCEEDED)) {
            return task.webhook() == null || !WebhookEventType.TASK_DELIVERED.wireName().equals(task.webhook().eventType());
        }
        return task.webhook() != null && WebhookEventType.TASK_SUCCEEDED.wireName().equals(task.webhook().eventType());
    }

    /**
     * The event a read of the Runway task announces, if any, as the delivery to write with the read.
     *
     * @param task             the task as stored before the read (its Runway status and progress are the
     *                         previous read's)
     * @param seen             the status Runway reported now
     * @param progress         the progress Runway reported now, or null
     * @param progressInterval the shortest time between two progress events of the task
     * @return empty when the read announces nothing the app asked for, or the task's webhook slot is busy
     */
    public static Optional<WebhookDelivery> afterRead(Task task, RunwayStatus seen, Double progress, Instant now,
                                                      Duration progressInterval) {
        Objects.requireNonNull(progressInterval, "progressInterval");
        if (!RunwayStatus.RUNNING.equals(seen) || !slotFree(task)) {
            return Optional.empty();
        }
        Task.Request request = task.request();
        if (task.webhook() == null && request.announces(WebhookEventType.TASK_STARTED)) {
            // The first event a task can have: no webhook yet means no RUNNING was announced before.
            return Optional.of(next(task, WebhookEventType.TASK_STARTED, now));
        }
        if (!request.announces(WebhookEventType.TASK_PROGRESS) || progress == null
                || progress.equals(task.runway().progress())) {
            return Optional.empty();
        }
        Instant last = lastProgressEvent(task.webhook());
        if (last != null && now.isBefore(last.plus(progressInterval))) {
            return Optional.empty();
        }
        return Optional.of(next(task, WebhookEventType.TASK_PROGRESS, now));
    }

    /**
     * When the task's latest progress event was made, or null when its latest event is of another kind
     * (a started event comes before any progress event, so no earlier progress event exists then).
     * The first attempt's time stands for it once sent, the due time before.
     */
    private static Instant lastProgressEvent(WebhookDelivery current) {
        if (current == null || !WebhookEventType.TASK_PROGRESS.wireName().equals(current.eventType())) {
            return null;
        }
        return current.attempts().isEmpty() ? current.nextAt() : current.attempts().get(0).at();
    }
}
