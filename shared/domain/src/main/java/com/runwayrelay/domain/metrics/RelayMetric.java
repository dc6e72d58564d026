package com.runwayrelay.domain.metrics;

import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.owned.ResourceKind;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Every metric the functions emit: the one list the code records through and the template's alarms
 * and dashboard are checked against. Dimensions are kept low-cardinality: outcomes, states,
 * operations and resource kinds are closed sets; a failure code is Runway's or ours (a few dozen,
 * anything else becomes {@value #OTHER}); an app id is bounded by the apps an operator created (few, by design), and only
 * the two credit metrics carry it. No metric has a task id.
 */
public enum RelayMetric {
    /** A submit request's answer: {@code accepted} or why it was not. Emitted by the submit function. */
    SUBMITS("Submits", MetricUnit.COUNT, Dimension.closed("Outcome", Submit.ALL)),
    /** One HTTP attempt at Runway (retries count again), by what came back. */
    RUNWAY_CALLS("RunwayCalls", MetricUnit.COUNT, Dimension.closed("Outcome", RunwayCall.ALL)),
    /** How long one HTTP attempt at Runway took, by operation. */
    RUNWAY_LATENCY("RunwayLatency", MetricUnit.MILLISECONDS, Dimension.closed("Operation", RunwayOperation.ALL)),
    /** A task reached a terminal state (counted by the writer whose conditional write ended it). */
    TASKS_FINISHED("TasksFinished", MetricUnit.COUNT,
            Dimension.closed("State", Finished.STATES), Dimension.open("FailureCode")),
    /** Credits reserved for an admitted task, per app. */
    CREDITS_RESERVED("CreditsReserved", MetricUnit.COUNT, Dimension.open("AppId")),
    /** Credits a task counted against its app when it ended (the settlement rule), per app. */
    CREDITS_CHARGED("CreditsCharged", MetricUnit.COUNT, Dimension.open("AppId")),
    /** From a task falling due to a poller run claiming it. */
    POLL_LAG("PollLag", MetricUnit.SECONDS),
    /**
     * Tasks a poller run saw in the due index due for longer than the stuck threshold (the most one
     * sweep saw; a lower bound, since a sweep reads a page per shard). One value per run.
     */
    STUCK_TASKS("StuckTasks", MetricUnit.COUNT),
    /** From Runway's output being ready (the OUTPUT_READY write) to the task being ARCHIVED. */
    COMPLETION_TO_ARCHIVED("CompletionToArchived", MetricUnit.SECONDS),
    /** Bytes an archived task's outputs hold. */
    ARCHIVE_BYTES("ArchiveBytes", MetricUnit.BYTES),
    /** An archived task's bytes over the time its successful attempt took, in MiB/s. */
    ARCHIVE_THROUGHPUT("ArchiveThroughput", MetricUnit.MEGABYTES_PER_SECOND),
    /** How a webhook delivery call ended (only calls that sent or gave up are counted). */
    WEBHOOK_DELIVERIES("WebhookDeliveries", MetricUnit.COUNT, Dimension.closed("Outcome", Webhook.ALL)),
    /**
     * A create through the gateway that may have left a resource at Runway that no app owns (its answer
     * was lost, or its owner could not be recorded and the undo failed), by the resource's kind (its
     * {@link ResourceKind#wireName() wire name}). Recorded by the status function beside its
     * {@code <kind>.possible_orphan} log line, and by the poller beside {@code <kind>.interrupted_create}
     * (a create that stopped before its outcome was known); the template alarms on any.
     */
    POSSIBLE_ORPHANS("PossibleOrphans", MetricUnit.COUNT, Dimension.closed("Kind", Kinds.ALL));

    /** The failure-code dimension's value for a task without one. */
    public static final String NONE = "none";
    /** The value a failure code outside the expected shape is recorded as. */
    public static final String OTHER = "other";
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    private final String metricName;
    private final MetricUnit unit;
    private final List<Dimension> dimensions;

    RelayMetric(String metricName, MetricUnit unit, Dimension... dimensions) {
        this.metricName = metricName;
        this.unit = unit;
        this.dimensions = List.of(dimensions);
    }

    /** The metric's name in CloudWatch. */
    public String metricName() {
        return metricName;
    }

    public MetricUnit unit() {
        return unit;
    }

    /**
     * Whether the spread of the values matters, not only their sum: latencies, durations, sizes, rates
     * and the stuck-task gauge. Read back with maximum and percentiles; counts only with sum and count.
     */
    public boolean distribution() {
        return unit != MetricUnit.COUNT || this == STUCK_TASKS;
    }

    /** The metric's own dimensions, in order (the adapter puts {@code Service} first). */
    public List<Dimension> dimensions() {
        return dimensions;
    }

    /**
     * Checks a value and its dimension values.
     *
     * @throws IllegalArgumentException naming the metric and what is wrong
     */
    public void check(double value, String... dimensionValues) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(metricName + ": value must be finite, got " + value);
        }
        if (dimensionValues.length != dimensions.size()) {
            throw new IllegalArgumentException(metricName + " takes " + dimensions.size() + " dimension value(s) "
                    + dimensions.stream().map(Dimension::name).toList() + ", got " + Arrays.toString(dimensionValues));
        }
        for (int i = 0; i < dimensionValues.length; i++) {
            dimensions.get(i).check(metricName, dimensionValues[i]);
        }
    }

    /** The metric named {@code name} in CloudWatch, if any. */
    public static java.util.Optional<RelayMetric> named(String name) {
        return Arrays.stream(values()).filter(m -> m.metricName.equals(name)).findFirst();
    }

    /** A failure code as a dimension value: {@value #NONE} for none, {@value #OTHER} for one of an unexpected shape. */
    public static String failureCode(String code) {
        if (code == null || code.isEmpty()) {
            return NONE;
        }
        return CODE.matcher(code).matches() ? code : OTHER;
    }

    /**
     * One dimension of a metric.
     *
     * @param name   its key
     * @param values the values it may take, or empty when open (app ids, failure codes)
     */
    public record Dimension(String name, Set<String> values) {
        public Dimension {
            Objects.requireNonNull(name, "name");
            values = Set.copyOf(values);
        }

        static Dimension closed(String name, Set<String> values) {
            return new Dimension(name, values);
        }

        static Dimension open(String name) {
            return new Dimension(name, Set.of());
        }

        void check(String metric, String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(metric + ": dimension " + name + " needs a value");
            }
            if (!values.isEmpty() && !values.contains(value)) {
                throw new IllegalArgumentException(metric + ": dimension " + name + " is one of " + values
                        + ", got " + value);
            }
        }
    }

    /** Values of {@link #TASKS_FINISHED}'s {@code State}: the names of the terminal task states. */
    static final class Finished {
        static final Set<String> STATES = Arrays.stream(TaskState.values()).filter(TaskState::isTerminal)
                .map(Enum::name).collect(Collectors.toUnmodifiableSet());

        private Finished() {
        }
    }

    /** Values of {@link #POSSIBLE_ORPHANS}' {@code Kind}: the wire names of the resource kinds. */
    static final class Kinds {
        static final Set<String> ALL = Arrays.stream(ResourceKind.values()).map(ResourceKind::wireName)
                .collect(Collectors.toUnmodifiableSet());

        private Kinds() {
        }
    }

    /** Values of {@link #SUBMITS}' {@code Outcome}. */
    public static final class Submit {
        public static final String ACCEPTED = "accepted";
        public static final String INVALID = "invalid";
        public static final String INVALID_IDEMPOTENCY_KEY = "invalid_idempotency_key";
        public static final String REPLAYED = "replayed";
        public static final String KEY_REUSED = "key_reused";
        public static final String KEY_IN_PROGRESS = "key_in_progress";
        public static final String OVER_BUDGET = "over_budget";
        public static final String TOO_MANY_ACTIVE = "too_many_active";
        public static final String RUNWAY_REJECTED = "runway_rejected";
        public static final String RUNWAY_UNAVAILABLE = "runway_unavailable";
        static final Set<String> ALL = Set.of(ACCEPTED, INVALID, INVALID_IDEMPOTENCY_KEY, REPLAYED, KEY_REUSED,
                KEY_IN_PROGRESS, OVER_BUDGET, TOO_MANY_ACTIVE, RUNWAY_REJECTED, RUNWAY_UNAVAILABLE);

        private Submit() {
        }
    }

    /** Values of {@link #RUNWAY_CALLS}' {@code Outcome}. */
    public static final class RunwayCall {
        public static final String OK = "2xx";
        public static final String CLIENT_ERROR = "4xx";
        public static final String TOO_MANY_REQUESTS = "429";
        public static final String SERVER_ERROR = "5xx";
        public static final String TIMEOUT = "timeout";
        /** No complete answer for another reason (refused, reset, unreadable). */
        public static final String CONNECTION_ERROR = "connection_error";
        /** 1xx or 3xx: not expected from Runway. */
        public static final String OTHER_STATUS = "other";
        static final Set<String> ALL = Set.of(OK, CLIENT_ERROR, TOO_MANY_REQUESTS, SERVER_ERROR, TIMEOUT,
                CONNECTION_ERROR, OTHER_STATUS);

        private RunwayCall() {
        }

        /** The outcome of an answer with HTTP status {@code status}. */
        public static String ofStatus(int status) {
            if (status == 429) {
                return TOO_MANY_REQUESTS;
            }
            return switch (status / 100) {
                case 2 -> OK;
                case 4 -> CLIENT_ERROR;
                case 5 -> SERVER_ERROR;
                default -> OTHER_STATUS;
            };
        }
    }

    /** Values of {@link #RUNWAY_LATENCY}'s {@code Operation}. */
    public static final class RunwayOperation {
        public static final String CREATE = "create";
        public static final String READ = "read";
        public static final String CANCEL = "cancel";
        public static final String UPLOAD = "upload";
        public static final String OTHER = "other";
        static final Set<String> ALL = Set.of(CREATE, READ, CANCEL, UPLOAD, OTHER);

        private RunwayOperation() {
        }
    }

    /** Values of {@link #WEBHOOK_DELIVERIES}' {@code Outcome}. */
    public static final class Webhook {
        public static final String DELIVERED = "delivered";
        public static final String RETRY_SCHEDULED = "retry_scheduled";
        public static final String FAILED = "failed";
        public static final String DISABLED = "disabled";
        static final Set<String> ALL = Set.of(DELIVERED, RETRY_SCHEDULED, FAILED, DISABLED);

        private Webhook() {
        }
    }
}
