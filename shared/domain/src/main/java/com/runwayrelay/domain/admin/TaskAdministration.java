package com.runwayrelay.domain.admin;

import com.runwayrelay.domain.ArchiveRecord;
import com.runwayrelay.domain.InvalidCursorException;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskListing;
import com.runwayrelay.domain.TaskPage;
import com.runwayrelay.domain.TaskQuery;
import com.runwayrelay.domain.TaskRepository;
import com.runwayrelay.domain.WebhookDelivery;
import com.runwayrelay.domain.gateway.ArchiveAccess;
import com.runwayrelay.domain.gateway.TaskCancellation;
import com.runwayrelay.domain.webhook.DeliveryStatus;
import com.runwayrelay.domain.webhook.WebhookEvent;
import com.runwayrelay.domain.webhook.CourseEvents;
import com.runwayrelay.domain.webhook.WebhookEventType;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The operator's task use cases: list across apps, show one with everything known, cancel, and
 * redeliver its webhook.
 *
 * <p>A redelivery is a state change the notifier already acts on: the task's delivery is set back to
 * {@link DeliveryStatus#PENDING}, due now, with the same {@code webhook-id}, event type and sequence and
 * its earlier attempts kept. That write reaches the notifier through the table's stream (its "a delivery
 * is pending" filter), and the poller through the due index should the stream record be lost; the
 * notifier then makes one attempt, and retries it by the usual schedule from the attempts already made
 * (a delivery whose schedule was used up gets that one attempt).
 */
public final class TaskAdministration {
    private static final int TRIES = 5;

    private final TaskRepository tasks;
    private final TaskListing listing;
    private final TaskCancellation cancellation;
    private final ArchiveAccess archive;
    private final Clock clock;

    public TaskAdministration(TaskRepository tasks, TaskListing listing, TaskCancellation cancellation,
                              ArchiveAccess archive, Clock clock) {
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.listing = Objects.requireNonNull(listing, "listing");
        this.cancellation = Objects.requireNonNull(cancellation, "cancellation");
        this.archive = Objects.requireNonNull(archive, "archive");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** One page of tasks, newest first; a cursor not issued for this query is {@link Listing.InvalidCursor}. */
    public Listing list(TaskQuery query) {
        try {
            return new Listing.Listed(listing.list(query));
        } catch (InvalidCursorException e) {
            return new Listing.InvalidCursor(e.getMessage());
        }
    }

    /** The task with everything the gateway knows, and a fresh link per archived output. */
    public Shown show(String taskId) {
        return tasks.find(taskId)
                .<Shown>map(task -> new Shown.Found(new TaskDetails(task, task.archive().records().stream()
                        .map(r -> new ArchivedOutput(r, archive.link(r.key(), task.request().linkTtl())))
                        .toList())))
                .orElseGet(Shown.NotFound::new);
    }

    /**
     * Cancels an unfinished task of any app, as the app's own delete would cancel it (Runway first,
     * then the conditional write, then settlement), but leaves it visible to the app.
     *
     * @see TaskCancellation#cancelForOperator
     */
    public TaskCancellation.Outcome cancel(String taskId) {
        return cancellation.cancelForOperator(taskId);
    }

    /** Sends the task's webhook again, with the same {@code webhook-id}; see the class comment. */
    public Redelivery redeliver(String taskId) {
        for (int attempt = 0; attempt < TRIES; attempt++) {
            Task task = tasks.find(taskId).orElse(null);
            if (task == null) {
                return new Redelivery.NotFound();
            }
            if (!task.state().isTerminal()) {
                return new Redelivery.NotEnded(task);
            }
            if (!task.request().announces(WebhookEventType.of(task.state()).orElseThrow()) && !holdsDelivered(task)) {
                return new Redelivery.NoCallback(task);
            }
            WebhookDelivery current = task.webhook();
            if (current != null && current.status() == DeliveryStatus.PENDING) {
                return new Redelivery.AlreadyPending(task);
            }
            Instant now = clock.instant();
            Task written = task.next(now).webhook(pending(task, current, now)).dueAt(now).build();
            if (tasks.replace(task, written)) {
                return new Redelivery.Scheduled(written);
            }
        }
        return new Redelivery.Busy();
    }

    /** Whether the task's last event is a {@code task.delivered} the app asked for (it may have left out the end event). */
    private static boolean holdsDelivered(Task task) {
        return task.webhook() != null && WebhookEventType.TASK_DELIVERED.wireName().equals(task.webhook().eventType())
                && task.request().announces(WebhookEventType.TASK_DELIVERED);
    }

    /** The delivery set back to pending: same event when there was one, else the task's first event. */
    private static WebhookDelivery pending(Task task, WebhookDelivery current, Instant now) {
        if (current != null && current.eventType() != null && WebhookEventType.ofWireName(current.eventType())
                .map(WebhookEventType::precedesEnd).orElse(false)) {
            // The last event was a started or progress event: the end event is the one to (re)send.
            return CourseEvents.next(task, WebhookEventType.of(task.state()).orElseThrow(), now);
        }
        if (current == null || current.messageId() == null) {
            String type = WebhookEventType.of(task.state()).orElseThrow().wireName();
            long sequence = current == null ? 1 : Math.max(1, current.sequence());
            return new WebhookDelivery(DeliveryStatus.PENDING, WebhookEvent.messageIdOf(task.id(), sequence),
                    type, sequence, current == null ? List.of() : current.attempts(), now);
        }
        return new WebhookDelivery(DeliveryStatus.PENDING, current.messageId(), current.eventType(),
                current.sequence(), current.attempts(), now);
    }

    /**
     * A task with everything known about it: the task itself carries the request, attempts, Runway
     * status, webhook delivery and attempts, and state history.
     *
     * @param task    the stored task
     * @param outputs its archived outputs, each with a fresh link
     */
    public record TaskDetails(Task task, List<ArchivedOutput> outputs) {
        public TaskDetails {
            Objects.requireNonNull(task, "task");
            outputs = List.copyOf(outputs);
        }
    }

    /**
     * One archived output.
     *
     * @param record the stored record (key, size, SHA-256, content type)
     * @param link   a fresh pre-signed link to it
     */
    public record ArchivedOutput(ArchiveRecord record, ArchiveAccess.Link link) {
    }

    /** What a list request found. */
    public sealed interface Listing {
        /** The page. */
        record Listed(TaskPage page) implements Listing {
        }

        /** The cursor was not issued for this query; nothing was read. */
        record InvalidCursor(String message) implements Listing {
        }
    }

    /** What a show request found. */
    public sealed interface Shown {
        /** The task. */
        record Found(TaskDetails details) implements Shown {
        }

        /** No task with that id. */
        record NotFound() implements Shown {
        }
    }

    /** What became of a redelivery request. */
    public sealed interface Redelivery {
        /** The delivery is pending again, due now; {@code task} as written. */
        record Scheduled(Task task) implements Redelivery {
        }

        /** No task with that id. */
        record NotFound() implements Redelivery {
        }

        /** The task has not ended, so it has no webhook yet; nothing changed. */
        record NotEnded(Task task) implements Redelivery {
        }

        /** The task has no callback URL, or its {@code relay.webhookEvents} leave out the event of its end; nothing changed. */
        record NoCallback(Task task) implements Redelivery {
        }

        /** A delivery is already under way or scheduled; nothing changed. */
        record AlreadyPending(Task task) implements Redelivery {
        }

        /** The task kept changing under the request; try again. */
        record Busy() implements Redelivery {
        }
    }
}
