package com.runwayrelay.domain.delivery;

import com.runwayrelay.domain.ArchiveRecord;
import com.runwayrelay.domain.OutputDelivery;
import com.runwayrelay.domain.OutputDelivery.Outcome;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskRepository;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.delivery.OutputUploader.Upload;
import com.runwayrelay.domain.delivery.StoredOutputs.StoredOutput;
import com.runwayrelay.domain.webhook.CourseEvents;
import com.runwayrelay.domain.webhook.WebhookEventType;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The deliver-to use case: PUTs each archived output of an ARCHIVED task to the app's own storage
 * ({@link Task.Request#deliverTo()}) and records every outcome on the task ({@link Task#deliveries()}).
 *
 * <p>The notifier runs it before the task's webhook, so the {@code task.succeeded} webhook reports
 * the outcomes. {@link #deliver} may be called for any task, any number of times: it re-reads the
 * task and acts only on an ARCHIVED task with {@code deliverTo} whose deliveries are not recorded
 * yet. Each output is streamed from the archive ({@link StoredOutputs}) through a SHA-256 digest to
 * the {@link OutputUploader}, never held whole in memory.
 *
 * <p>An attempt that meets a 5xx, a 429 or a network failure is repeated after a growing wait
 * (the storage's {@code Retry-After} when it gives one, within a cap), up to
 * {@link Settings#maxAttempts()}; a 4xx (an expired pre-signed URL answers 403), a refused target
 * or a redirect ends the output's delivery at once. The outcomes of all outputs are written
 * together, in one conditional write, once every output has one: a run cut off before that write
 * records nothing, and the stream's retry of the notifier delivers every output again. A PUT to a
 * pre-signed URL is idempotent (the same bytes under the same key), so a repeat is harmless; two
 * runs at once (a stream retry and a wake-up by the poller) may both PUT, and only the first
 * record wins. When the app asked for {@code task.delivered} and no event before it is still to be
 * sent, the event is added by that same write ({@link CourseEvents#deliveredMayTakeSlot}); otherwise
 * the notifier sends it after the task's end event.
 *
 * <p>Thread-safe if its ports are.
 */
public final class OutputDeliveries {
    private static final int MAX_ROUNDS = 4;

    private final TaskRepository tasks;
    private final StoredOutputs store;
    private final OutputUploader uploader;
    private final Settings settings;
    private final Clock clock;
    private final Sleeper sleeper;

    public OutputDeliveries(TaskRepository tasks, StoredOutputs store, OutputUploader uploader, Settings settings,
                            Clock clock, Sleeper sleeper) {
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.store = Objects.requireNonNull(store, "store");
        this.uploader = Objects.requireNonNull(uploader, "uploader");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /**
     * Delivers the task's outputs if that is still to do, and records the outcomes.
     *
     * @return what happened
     * @throws UncheckedIOException  when an archived output cannot be read (the caller retries the whole call)
     * @throws IllegalStateException when interrupted while waiting between attempts (nothing was recorded)
     */
    public Result deliver(String taskId) {
        Objects.requireNonNull(taskId, "taskId");
        Optional<Task> found = tasks.find(taskId);
        if (found.isEmpty() || !due(found.get())) {
            return Result.NOTHING_TO_DO;
        }
        Task task = found.get();
        List<OutputDelivery> outcomes = new ArrayList<>();
        List<ArchiveRecord> records = task.archive().records();
        for (int i = 0; i < records.size(); i++) {
            Optional<String> url = task.request().deliverTo().urlFor(i, extension(records.get(i).key()));
            if (url.isPresent()) {
                outcomes.add(deliverOne(i, records.get(i), url.get()));
            }
        }
        return record(task, outcomes);
    }

    /** An ARCHIVED task with {@code deliverTo} and no outcomes recorded yet. */
    static boolean due(Task task) {
        return task.state() == TaskState.ARCHIVED && task.request().deliverTo() != null && task.deliveries().isEmpty()
                && !task.archive().records().isEmpty();
    }

    private Result record(Task from, List<OutputDelivery> outcomes) {
        if (outcomes.isEmpty()) {
            return Result.NOTHING_TO_DO;
        }
        Task current = from;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Instant now = clock.instant();
            Task.Builder next = current.next(now).deliveries(outcomes);
            Task withOutcomes = current.toBuilder().deliveries(outcomes).build();
            if (CourseEvents.deliveredMayTakeSlot(withOutcomes)) {
                // Written with the outcomes it announces, so it is never lost; the due index brings the
                // task back to the notifier should the stream record's delivery not reach it.
                next.webhook(CourseEvents.next(current, WebhookEventType.TASK_DELIVERED, now)).dueAt(now);
            }
            Task recorded = next.build();
            if (tasks.replace(current, recorded)) {
                return outcomes.stream().allMatch(d -> d.outcome() == Outcome.DELIVERED) ? Result.DELIVERED
                        : Result.NOT_ALL_DELIVERED;
            }
            Optional<Task> reread = tasks.find(from.id());
            if (reread.isEmpty() || !due(reread.get())) {
                // Another run recorded its outcomes first (or the task was deleted): those stand.
                return Result.RECORDED_ELSEWHERE;
            }
            current = reread.get();
        }
        throw new IllegalStateException("task " + from.id() + " kept changing; its delivery outcomes were not written");
    }

    private OutputDelivery deliverOne(int index, ArchiveRecord record, String url) {
        URI target;
        try {
            target = new URI(url);
        } catch (URISyntaxException e) {
            return ended(index, Outcome.REFUSED, 0, 0, null, 0, "the delivery URL is not a valid URL");
        }
        for (int attempt = 1; ; attempt++) {
            Upload upload;
            Digesting sent;
            try (StoredOutput output = store.open(record.key())) {
                sent = new Digesting(output.body());
                upload = uploader.put(target, record.contentType(), output.length(), sent);
            } catch (IOException e) {
                throw new UncheckedIOException("output " + index + " could not be read from the archive", e);
            }
            String sha256 = sent.bytes == record.size() ? sent.hex() : null;
            switch (upload) {
                case Upload.Stored stored -> {
                    return ended(index, Outcome.DELIVERED, stored.httpStatus(), sent.bytes, sha256, attempt, null);
                }
                case Upload.Rejected rejected -> {
                    return ended(index, Outcome.REJECTED, rejected.httpStatus(), sent.bytes, sha256, attempt,
                            rejected.error());
                }
                case Upload.Refused refused -> {
                    return ended(index, Outcome.REFUSED, refused.httpStatus(), sent.bytes, sha256,
                            refused.httpStatus() == 0 ? attempt - 1 : attempt, refused.error());
                }
                case Upload.Retryable retryable -> {
                    if (attempt >= settings.maxAttempts()) {
                        return ended(index, Outcome.FAILED, retryable.httpStatus(), sent.bytes, sha256, attempt,
                                retryable.error() + " (after " + attempt + " attempts)");
                    }
                    pause(wait(attempt, retryable.retryAfter()));
                }
            }
        }
    }

    /** The wait before attempt {@code attempt + 1}: the storage's {@code Retry-After} if given, within the cap. */
    Duration wait(int attempt, Duration retryAfter) {
        Duration backoff = settings.firstWait().multipliedBy(1L << Math.min(20, 2 * (attempt - 1)));
        Duration chosen = retryAfter != null ? retryAfter : backoff;
        return chosen.compareTo(settings.maxWait()) > 0 ? settings.maxWait() : chosen;
    }

    private void pause(Duration wait) {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted between delivery attempts; nothing was recorded", e);
        }
    }

    private OutputDelivery ended(int index, Outcome outcome, int status, long bytes, String sha256, int attempts,
                                 String error) {
        return new OutputDelivery(index, outcome, status, bytes, sha256, attempts, error, clock.instant());
    }

    /** The extension of an archive key ({@code .../3.png} → {@code png}); empty when it has none. */
    static String extension(String key) {
        int slash = key.lastIndexOf('/');
        int dot = key.lastIndexOf('.');
        return dot > slash ? key.substring(dot + 1) : "";
    }

    /** Counts and hashes the bytes the uploader reads. */
    private static final class Digesting extends FilterInputStream {
        private final MessageDigest digest;
        private long bytes;

        Digesting(InputStream in) {
            super(in);
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JVM has SHA-256", e);
            }
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                digest.update((byte) b);
                bytes++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                digest.update(buffer, offset, n);
                bytes += n;
            }
            return n;
        }

        @Override
        public long skip(long n) {
            // Skipped bytes would be neither sent nor hashed.
            return 0;
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        String hex() {
            return HexFormat.of().formatHex(digest.digest());
        }
    }

    /**
     * The retry policy.
     *
     * @param maxAttempts PUTs per output at most (5xx, 429 and network failures are retried)
     * @param firstWait   the wait after the first failed attempt; each later one is four times longer
     * @param maxWait     the longest wait between two attempts, {@code Retry-After} included
     */
    public record Settings(int maxAttempts, Duration firstWait, Duration maxWait) {
        public Settings {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be >= 1");
            }
            Objects.requireNonNull(firstWait, "firstWait");
            Objects.requireNonNull(maxWait, "maxWait");
        }

        /** Three attempts, 2 s then 8 s apart, no wait over 20 s: bounded well inside the notifier's timeout. */
        public static Settings standard() {
            return new Settings(3, Duration.ofSeconds(2), Duration.ofSeconds(20));
        }
    }

    /** Waits between attempts; {@code Thread::sleep} in production, a manual clock in tests. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** What {@link #deliver} did. */
    public enum Result {
        /** Not an ARCHIVED task with {@code deliverTo} still to deliver (or no output has a target). */
        NOTHING_TO_DO,
        /** Every output with a target was delivered and recorded. */
        DELIVERED,
        /** Every output with a target has a recorded outcome, and not all of them are delivered. */
        NOT_ALL_DELIVERED,
        /** Another run recorded the outcomes first; its record stands. */
        RECORDED_ELSEWHERE
    }
}
