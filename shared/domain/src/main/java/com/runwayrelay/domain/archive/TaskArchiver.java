package com.runwayrelay.domain.archive;

import com.runwayrelay.domain.ArchiveRecord;
import com.runwayrelay.domain.RunwayStatus;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskRepository;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.WebhookDelivery;
import com.runwayrelay.domain.archive.OutputSource.Download;
import com.runwayrelay.domain.gateway.UsageLedger;
import com.runwayrelay.domain.media.MediaKind;
import com.runwayrelay.domain.metrics.Metrics;
import com.runwayrelay.domain.metrics.RelayMetric;
import com.runwayrelay.domain.runway.RunwayGateway;
import com.runwayrelay.domain.runway.RunwayGateway.ReadOutcome;
import com.runwayrelay.domain.webhook.DeliveryStatus;
import com.runwayrelay.domain.webhook.WebhookEvent;
import com.runwayrelay.domain.webhook.CourseEvents;
import com.runwayrelay.domain.webhook.WebhookEventType;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The archive use case: copies an OUTPUT_READY task's outputs into the {@link ArchiveStore} and
 * marks it ARCHIVED, or FAILED when they can never be archived.
 *
 * <p>{@link #archive} may be called for any task, any number of times (stream records are
 * delivered at least once): it re-reads the task and works only while it is OUTPUT_READY, and
 * every state change is a conditional write, so a replay stores the same objects under the same
 * keys and makes no second transition.
 *
 * <p>One call is one attempt. It is recorded on the task before any download (see
 * {@link ArchiveAttempts}), so runs cut off by a timeout count too. An attempt that fails on
 * something that may pass (a reset connection, a truncated body, a 5xx, the store failing)
 * records why and answers {@link Result#RETRY}: the caller reports the stream record as failed
 * and the stream delivers it again. The attempt after the last allowed one fails the task with
 * {@link ArchiveFailures#RETRIES_EXHAUSTED}. What can never pass fails the task at once with its
 * own {@link ArchiveFailures code}: a link outside the host allowlist (checked for every output
 * before anything is fetched), a redirect, an unexpected media type, an output over the size cap,
 * a task Runway no longer knows.
 *
 * <p>Output links expire. A link whose expiry, read from the link, is near or past, or that the
 * host refuses with 401/403/404/410, is replaced once per attempt by a fresh one from Runway
 * ({@link RunwayGateway#get}).
 *
 * <p>On ARCHIVED the task gets one {@link ArchiveRecord} per output (key, size, SHA-256, type),
 * loses its expiring Runway links, and, when it has a callback URL, a pending
 * {@code task.succeeded} webhook due now (FAILED: {@code task.failed}); then its credits are
 * settled in the {@link UsageLedger}. When the task ends FAILED, or another transition wins the
 * final write (the app cancelled meanwhile), every object under the task's key prefix is deleted.
 *
 * <p>Thread-safe if its ports are; holds no per-call state.
 */
public final class TaskArchiver {
    private static final int MAX_ROUNDS = 4;
    private static final long MIB = 1024 * 1024;

    private final TaskRepository tasks;
    private final RunwayGateway runway;
    private final OutputSource source;
    private final ArchiveStore store;
    private final UsageLedger ledger;
    private final OutputKinds kinds;
    private final OutputHosts hosts;
    private final ArchiveSettings settings;
    private final Clock clock;
    private final Metrics metrics;

    public TaskArchiver(TaskRepository tasks, RunwayGateway runway, OutputSource source, ArchiveStore store,
                        UsageLedger ledger, OutputKinds kinds, OutputHosts hosts, ArchiveSettings settings, Clock clock) {
        this(tasks, runway, source, store, ledger, kinds, hosts, settings, clock, Metrics.none());
    }

    /**
     * As the constructor above, recording {@link RelayMetric#ARCHIVE_BYTES} and
     * {@link RelayMetric#ARCHIVE_THROUGHPUT} for every task this archiver archives.
     */
    public TaskArchiver(TaskRepository tasks, RunwayGateway runway, OutputSource source, ArchiveStore store,
                        UsageLedger ledger, OutputKinds kinds, OutputHosts hosts, ArchiveSettings settings, Clock clock,
                        Metrics metrics) {
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.runway = Objects.requireNonNull(runway, "runway");
        this.source = Objects.requireNonNull(source, "source");
        this.store = Objects.requireNonNull(store, "store");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.kinds = Objects.requireNonNull(kinds, "kinds");
        this.hosts = Objects.requireNonNull(hosts, "hosts");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /**
     * Makes one archive attempt for the task, if it is OUTPUT_READY.
     *
     * @return what happened; {@link Outcome#retry()} says whether the caller should have it delivered again
     * @throws RuntimeException when the task repository or the ledger fails (the caller retries)
     */
    public Outcome archive(String taskId) {
        Objects.requireNonNull(taskId, "taskId");
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Optional<Task> found = tasks.find(taskId);
            if (found.isEmpty()) {
                return new Outcome(Result.SKIPPED, "no such task");
            }
            Task task = found.get();
            if (task.state() != TaskState.OUTPUT_READY) {
                if (endedByArchiver(task)) {
                    // Settling is idempotent: a replay finishes a settlement an earlier run could not.
                    settle(task);
                }
                return new Outcome(Result.SKIPPED, "task is " + task.state() + ", not OUTPUT_READY");
            }
            int made = ArchiveAttempts.made(task);
            Optional<Failure> hopeless = made >= settings.maxAttempts()
                    ? Optional.of(new Failure(ArchiveFailures.RETRIES_EXHAUSTED, exhausted(made, ArchiveAttempts.lastError(task))))
                    : precheck(task);
            if (hopeless.isPresent()) {
                Optional<Outcome> failed = fail(task, hopeless.get());
                if (failed.isPresent()) {
                    return failed.get();
                }
                continue;
            }
            int attempt = made + 1;
            Task begun = task.next(clock.instant())
                    .archiveAttempts(attempt).archiveError(null)
                    .stateReason(ArchiveAttempts.started(attempt, settings.maxAttempts())).build();
            if (tasks.replace(task, begun)) {
                return run(begun, attempt);
            }
        }
        return new Outcome(Result.RETRY, "the task kept changing while the attempt began");
    }

    private Outcome run(Task begun, int attempt) {
        Instant started = clock.instant();
        Links links = new Links(begun);
        List<ArchiveRecord> records = new ArrayList<>();
        try {
            for (int i = 0; i < begun.runway().outputs().size(); i++) {
                records.add(archiveOne(begun, i, links));
            }
        } catch (Failure permanent) {
            return fail(begun, permanent)
                    .orElseGet(() -> new Outcome(Result.SKIPPED, "another writer ended the task first"));
        } catch (Transient transientFailure) {
            return retryOrGiveUp(begun, attempt, transientFailure.getMessage());
        }
        Optional<Task> archived = end(begun, b -> b.state(TaskState.ARCHIVED).archive(records)
                .outputs(List.of()).stateReason(null).failure(null).failureCode(null), WebhookEventType.TASK_SUCCEEDED);
        if (archived.isEmpty()) {
            Optional<Task> now = tasks.find(begun.id());
            if (now.isPresent() && now.get().state() == TaskState.ARCHIVED) {
                // Another archiver (a replayed stream record) stored the same outputs under the same keys and
                // recorded them: they are referenced, so they stay.
                return settled(now.get(), new Outcome(Result.SKIPPED, "another archiver archived the task first"));
            }
            removeObjects(begun);
            return new Outcome(Result.SKIPPED, "another writer ended the task first; the stored outputs were removed");
        }
        measure(records, Duration.between(started, clock.instant()));
        return settled(archived.get(), new Outcome(Result.ARCHIVED, records.size() + " output(s) archived"));
    }

    /** The archived bytes, and the rate when the attempt took measurable time (a clock that did not move gives none). */
    private void measure(List<ArchiveRecord> records, Duration took) {
        long bytes = records.stream().mapToLong(ArchiveRecord::size).sum();
        metrics.record(RelayMetric.ARCHIVE_BYTES, bytes);
        if (took.toNanos() > 0) {
            metrics.record(RelayMetric.ARCHIVE_THROUGHPUT, bytes / (double) MIB / (took.toNanos() / 1e9));
        }
    }

    private ArchiveRecord archiveOne(Task task, int index, Links links) throws Failure, Transient {
        URI url = links.current(index);
        Instant now = clock.instant();
        if (OutputLinkExpiry.of(url).filter(at -> at.isBefore(now.plus(settings.refreshMargin()))).isPresent()) {
            url = links.refresh(index);
        }
        Download download = open(index, url, links);
        try {
            Optional<MediaKind> kind = kinds.of(task.request().endpoint(), task.request().model());
            OutputMediaType type = OutputMediaType.accept(download.contentType(), kind)
                    .orElseThrow(() -> new Failure(ArchiveFailures.CONTENT_TYPE,
                            "output " + index + ": " + OutputMediaType.refusal(download.contentType(), kind)));
            String key = ArchiveKeys.of(settings.keyPrefix(), task.appId(), task.id(), index, type.extension());
            MeasuredStream body = new MeasuredStream(download.body(), download.contentLength(), settings.maxBytes());
            store.put(new ArchiveStore.ObjectSpec(key, type.mediaType(), metadata(task, index)), body);
            if (!body.complete()) {
                throw new Transient("output " + index + ": the store returned before reading the whole output");
            }
            return new ArchiveRecord(key, body.size(), body.sha256(), type.mediaType());
        } catch (OutputTooLargeException e) {
            throw new Failure(ArchiveFailures.TOO_LARGE, "output " + index + ": " + e.getMessage());
        } catch (IOException e) {
            throw new Transient("output " + index + ": " + describe(e));
        } finally {
            closeQuietly(download);
        }
    }

    private Download open(int index, URI url, Links links) throws Failure, Transient {
        Optional<String> refusal = hosts.refusal(url);
        if (refusal.isPresent()) {
            throw new Failure(ArchiveFailures.HOST_NOT_ALLOWED, "output " + index + ": " + refusal.get());
        }
        try {
            return source.open(url);
        } catch (DownloadRefusedException e) {
            String what = "output " + index + ": " + e.getMessage();
            return switch (e.reason()) {
                case BLOCKED -> throw new Failure("private_address".equals(e.code())
                        ? ArchiveFailures.ADDRESS_NOT_ALLOWED : ArchiveFailures.HOST_NOT_ALLOWED, what);
                case REDIRECTED -> throw new Failure(ArchiveFailures.REDIRECT_REFUSED, what);
                case HTTP_ERROR -> throw new Transient(what);
                case EXPIRED -> {
                    if (links.refreshed()) {
                        throw new Transient(what + " (even with a fresh link from Runway)");
                    }
                    yield open(index, links.refresh(index), links);
                }
            };
        } catch (IOException e) {
            throw new Transient("output " + index + ": download failed: " + describe(e));
        }
    }

    /** Checks what can be checked without fetching: there are outputs, and every link is allowed. */
    private Optional<Failure> precheck(Task task) {
        if (task.runway().outputs().isEmpty()) {
            return Optional.of(new Failure(ArchiveFailures.NO_OUTPUTS, "Runway reported success without any output"));
        }
        for (int i = 0; i < task.runway().outputs().size(); i++) {
            Optional<String> refusal = parse(task.runway().outputs().get(i)).map(hosts::refusal)
                    .orElse(Optional.of("the output link is not a valid URL"));
            if (refusal.isPresent()) {
                return Optional.of(new Failure(ArchiveFailures.HOST_NOT_ALLOWED, "output " + i + ": " + refusal.get()
                        + "; nothing was downloaded"));
            }
        }
        return Optional.empty();
    }

    private Outcome retryOrGiveUp(Task begun, int attempt, String why) {
        if (attempt >= settings.maxAttempts()) {
            return fail(begun, new Failure(ArchiveFailures.RETRIES_EXHAUSTED, exhausted(attempt, why)))
                    .orElseGet(() -> new Outcome(Result.SKIPPED, "another writer ended the task first"));
        }
        // Objects already stored stay: the next attempt overwrites them under the same keys.
        Task failed = begun.next(clock.instant())
                .archiveError(why).stateReason(ArchiveAttempts.failed(attempt, settings.maxAttempts(), why)).build();
        tasks.replace(begun, failed);
        return new Outcome(Result.RETRY, "attempt " + attempt + " of " + settings.maxAttempts() + " failed: " + why);
    }

    /**
     * Fails the task and removes whatever earlier steps or attempts stored for it.
     * Empty when another writer ended the task first.
     */
    private Optional<Outcome> fail(Task task, Failure failure) {
        Optional<Task> failed = end(task, b -> b.state(TaskState.FAILED).failure(failure.getMessage())
                .failureCode(failure.code()).outputs(List.of()).stateReason(null), WebhookEventType.TASK_FAILED);
        if (failed.isPresent()) {
            removeObjects(task);
        }
        return failed.map(t -> settled(t, new Outcome(Result.FAILED, failure.code() + ": " + failure.getMessage())));
    }

    /**
     * Writes a terminal version, rebasing onto newer versions while the task is still OUTPUT_READY.
     * Empty when the task left OUTPUT_READY meanwhile.
     */
    private Optional<Task> end(Task from, UnaryOperator<Task.Builder> change, WebhookEventType event) {
        Task current = from;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Instant now = clock.instant();
            Task.Builder next = change.apply(current.next(now));
            if (current.request().announces(event)) {
                if (CourseEvents.slotFree(current)) {
                    next.webhook(CourseEvents.next(current, event, now));
                }
                // Else an earlier event of the task (started, progress) is still being delivered: the
                // notifier sends the end event after it, in order; the due index brings the task back.
                next.dueAt(now);
            } else {
                next.dueAt(null);
            }
            Task ended = next.withoutLease().build();
            if (tasks.replace(current, ended)) {
                return Optional.of(ended);
            }
            Optional<Task> reread = tasks.find(from.id());
            if (reread.isPresent() && reread.get().version() == ended.version() && reread.get().state() == ended.state()) {
                // Our own write landed and only its answer was lost (the store's client retried a conditional
                // write that had succeeded): the task is ended the way we ended it.
                return reread;
            }
            if (reread.isEmpty() || reread.get().state() != TaskState.OUTPUT_READY) {
                return Optional.empty();
            }
            current = reread.get();
        }
        throw new IllegalStateException("task " + from.id() + " kept changing; its end was not written");
    }

    private Outcome settled(Task ended, Outcome outcome) {
        try {
            settle(ended);
            return outcome;
        } catch (RuntimeException e) {
            return new Outcome(Result.RETRY, outcome.result() + ", but settling its credits failed (retried): " + e);
        }
    }

    private void settle(Task task) {
        ledger.settle(UsageLedger.Settlement.of(task));
    }

    private static boolean endedByArchiver(Task task) {
        return task.state() == TaskState.ARCHIVED || task.state() == TaskState.FAILED
                && task.failureCode() != null && task.failureCode().startsWith(ArchiveFailures.PREFIX);
    }

    private static Map<String, String> metadata(Task task, int index) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("task-id", task.id());
        metadata.put("app-id", task.appId());
        if (task.request().model() != null) {
            metadata.put("model", task.request().model());
        }
        if (task.runway().taskId() != null) {
            metadata.put("runway-task-id", task.runway().taskId());
        }
        metadata.put("output-index", Integer.toString(index));
        return metadata;
    }

    /** Best effort: every object under the task's key prefix goes, whichever attempt stored it. */
    private void removeObjects(Task task) {
        try {
            store.deleteUnder(ArchiveKeys.taskPrefix(settings.keyPrefix(), task.appId(), task.id()));
        } catch (IOException | RuntimeException e) {
            // Nothing references these objects; the bucket's lifecycle rules are the backstop.
        }
    }

    private static void closeQuietly(Download download) {
        try {
            download.close();
        } catch (IOException e) {
            // The body was consumed or abandoned; a failing close changes nothing.
        }
    }

    private static String exhausted(int attempts, String lastError) {
        return "archiving failed " + attempts + " time" + (attempts == 1 ? "" : "s") + "; last error: " + lastError;
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private static Optional<URI> parse(String link) {
        try {
            URI uri = new URI(link);
            return uri.isAbsolute() ? Optional.of(uri) : Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** The task's output links, replaced once per attempt by fresh ones from Runway when needed. */
    private final class Links {
        private final Task task;
        private List<String> current;
        private boolean refreshed;

        Links(Task task) {
            this.task = task;
            this.current = task.runway().outputs();
        }

        URI current(int index) throws Failure {
            return parse(current.get(index)).orElseThrow(() -> new Failure(ArchiveFailures.HOST_NOT_ALLOWED,
                    "output " + index + ": the output link is not a valid URL"));
        }

        boolean refreshed() {
            return refreshed;
        }

        URI refresh(int index) throws Failure, Transient {
            if (refreshed) {
                return current(index);
            }
            if (task.runway().taskId() == null) {
                throw new Failure(ArchiveFailures.SOURCE_GONE, "output " + index
                        + ": the link expired and the task has no Runway task to ask for a fresh one");
            }
            ReadOutcome read = runway.get(task.runway().taskId());
            switch (read) {
                case ReadOutcome.Gone gone -> throw new Failure(ArchiveFailures.SOURCE_GONE, "output " + index
                        + ": the link expired and Runway no longer knows task " + task.runway().taskId());
                case ReadOutcome.Unavailable unavailable -> throw new Transient("output " + index
                        + ": the link expired and Runway could not be asked for a fresh one: " + unavailable.reason());
                case ReadOutcome.Found found -> {
                    RunwayGateway.RunwayTask seen = found.task();
                    if (seen.status() != RunwayStatus.SUCCEEDED || seen.output().size() <= index) {
                        throw new Failure(ArchiveFailures.SOURCE_GONE, "output " + index + ": the link expired and Runway "
                                + "reports the task as " + seen.status() + " with " + seen.output().size() + " output(s)");
                    }
                    current = seen.output();
                    refreshed = true;
                }
            }
            return current(index);
        }
    }

    /** What {@link #archive} did. */
    public enum Result {
        /** Every output is stored; the task is ARCHIVED. */
        ARCHIVED,
        /** The outputs can never be archived; the task is FAILED with an {@code ARCHIVE.*} code. */
        FAILED,
        /** Nothing to do: no such task, or it is not OUTPUT_READY (a replay, or another writer ended it). */
        SKIPPED,
        /** This attempt failed on something that may pass; deliver the record again. */
        RETRY
    }

    /**
     * The result of one call.
     *
     * @param result what happened
     * @param detail a sentence for the log (never a link's query string)
     */
    public record Outcome(Result result, String detail) {
        public Outcome {
            Objects.requireNonNull(result, "result");
            Objects.requireNonNull(detail, "detail");
        }

        /** True when the stream record should be delivered again. */
        public boolean retry() {
            return result == Result.RETRY;
        }
    }

    /** Can never pass: fails the task with {@link #code()}. */
    private static final class Failure extends Exception {
        private final String code;

        Failure(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        String code() {
            return code;
        }
    }

    /** May pass on a later attempt. */
    private static final class Transient extends Exception {
        Transient(String message) {
            super(message, null, false, false);
        }
    }
}
