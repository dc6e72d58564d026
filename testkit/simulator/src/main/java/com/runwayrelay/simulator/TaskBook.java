package com.runwayrelay.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.runwayrelay.domain.media.MediaKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every task the simulator has created, and the organization's counters. Task state is derived from
 * the clock whenever it is read: a task is PENDING for {@code pendingDuration} after it is admitted,
 * then RUNNING for {@code runningDuration}, then finished. Tasks beyond a model's concurrency limit wait
 * THROTTLED and are admitted in submission order at the moment a slot frees.
 */
final class TaskBook {
    /**
     * A {@code promptText} containing {@code [fail:CODE]} makes the task fail with CODE; for the
     * recipes, which have no {@code promptText}, their {@code prompt} or {@code userConcept} does; for a
     * Model Router request, its {@code input.promptText}.
     */
    static final Pattern FORCED_FAILURE = Pattern.compile("\\[fail:([A-Za-z0-9_.]+)]");
    /** The text fields a forced failure may be written in, in the order they are read. */
    private static final List<String> PROMPT_FIELDS = List.of("promptText", "prompt", "userConcept");
    private static final Duration DAY = Duration.ofDays(1);

    private final SimulatorConfig config;
    private final Clock clock;
    private final MediaFactory media;
    private final Random random;
    private final Map<String, Entry> tasks = new LinkedHashMap<>();
    private final Map<String, ModelQueue> queues = new HashMap<>();
    private final Map<String, String> shaCache = new ConcurrentHashMap<>();

    TaskBook(SimulatorConfig config, MediaFactory media) {
        this.config = config;
        this.clock = config.clock();
        this.media = media;
        this.random = new Random(config.seed());
    }

    /** Creates a task after the daily-quota and credit checks; returns its snapshot. */
    synchronized SimulatedTask create(String endpoint, String model, MediaKind kind, JsonNode body, String rawBody, long estimate,
            int outputCount) {
        Instant now = clock.instant();
        advance(now);
        ModelLimits limits = config.limitsFor(model);
        if (limits.maxDailyGenerations() != null && dailyGenerations(model, now) >= limits.maxDailyGenerations()) {
            throw new ApiException(429, "Your daily task limit has been reached.");
        }
        if (creditBalance(now) < estimate) {
            throw new ApiException(400, "You do not have enough credits to run this task (it may cost " + estimate
                    + " credits; the balance is " + creditBalance(now) + ").");
        }
        Entry e = new Entry(UUID.randomUUID().toString(), endpoint, model, kind, body.deepCopy(), rawBody, now, estimate,
                Math.max(1, outputCount), plannedFailure(body));
        tasks.put(e.id, e);
        ModelQueue q = queues.computeIfAbsent(model, m -> new ModelQueue());
        q.releaseFinished(now);
        Integer max = limits.maxConcurrentGenerations();
        if (max == null || q.active.size() < max) {
            q.admit(e, now);
        } else {
            q.waiting.addLast(e);
        }
        return snapshot(e, now);
    }

    /** The task as an API client may see it: empty when unknown, cancelled or deleted, or a workflow invocation. */
    synchronized Optional<SimulatedTask> visible(String id) {
        Instant now = clock.instant();
        advance(now);
        Entry e = tasks.get(id);
        return e == null || e.cancelledAt != null || e.deleted || e.outputNodes != null ? Optional.empty()
                : Optional.of(snapshot(e, now));
    }

    /**
     * Creates a workflow invocation: a task of endpoint {@code workflows/<id>} whose outputs come from
     * the workflow's generation nodes, minus those {@code nodeFailures} names (node id to failure code).
     * When every generation node fails, the invocation fails with the first one's code.
     */
    synchronized SimulatedTask createInvocation(SimulatedWorkflows.Workflow workflow, JsonNode body, String rawBody,
            Map<String, String> nodeFailures) {
        Instant now = clock.instant();
        advance(now);
        List<String> nodes = new ArrayList<>();
        List<MediaKind> kinds = new ArrayList<>();
        for (SimulatedWorkflows.Node node : workflow.generators()) {
            if (!nodeFailures.containsKey(node.id())) {
                for (int i = 0; i < node.outputs(); i++) {
                    nodes.add(node.id());
                    kinds.add(node.kind());
                }
            }
        }
        long estimate = SimulatedWorkflows.CREDITS_PER_OUTPUT
                * workflow.generators().stream().mapToInt(SimulatedWorkflows.Node::outputs).sum();
        if (creditBalance(now) < estimate) {
            throw new ApiException(400, "You do not have enough credits to run this workflow (it may cost " + estimate
                    + " credits; the balance is " + creditBalance(now) + ").");
        }
        String failure = nodes.isEmpty() ? nodeFailures.values().iterator().next() : null;
        Entry e = new Entry(UUID.randomUUID().toString(), "workflows/" + workflow.id(), "workflow",
                kinds.isEmpty() ? MediaKind.IMAGE : kinds.getFirst(), body.deepCopy(), rawBody, now, estimate,
                nodes.size(), failure);
        e.outputNodes = List.copyOf(nodes);
        e.outputKinds = List.copyOf(kinds);
        e.nodeFailures = new java.util.LinkedHashMap<>(nodeFailures);
        if (nodes.isEmpty()) {
            e.outputs = List.of();
        }
        tasks.put(e.id, e);
        ModelQueue q = queues.computeIfAbsent(e.model, m -> new ModelQueue());
        q.releaseFinished(now);
        Integer max = config.limitsFor(e.model).maxConcurrentGenerations();
        if (max == null || q.active.size() < max) {
            q.admit(e, now);
        } else {
            q.waiting.addLast(e);
        }
        return snapshot(e, now);
    }

    /** A workflow invocation as an API client may see it: empty when unknown or not an invocation. */
    synchronized Optional<SimulatedTask> visibleInvocation(String id) {
        Instant now = clock.instant();
        advance(now);
        Entry e = tasks.get(id);
        return e == null || e.outputNodes == null ? Optional.empty() : Optional.of(snapshot(e, now));
    }

    /** The node of each output of an invocation (index for index), empty for a task or an unknown id. */
    synchronized List<String> outputNodes(String id) {
        Entry e = tasks.get(id);
        return e == null || e.outputNodes == null ? List.of() : e.outputNodes;
    }

    /** Node id to failure code of an invocation's failed nodes, in graph order; empty for a task. */
    synchronized Map<String, String> nodeFailures(String id) {
        Entry e = tasks.get(id);
        return e == null ? Map.of() : e.nodeFailures;
    }

    /** Any task ever created, including cancelled and deleted ones. */
    synchronized Optional<SimulatedTask> find(String id) {
        Instant now = clock.instant();
        advance(now);
        return Optional.ofNullable(tasks.get(id)).map(e -> snapshot(e, now));
    }

    /**
     * The instant a task ends (SUCCEEDED or FAILED), fixed once it is admitted; empty for an unknown,
     * cancelled or still THROTTLED task.
     */
    synchronized Optional<Instant> finishAt(String id) {
        advance(clock.instant());
        Entry e = tasks.get(id);
        return e == null || e.cancelledAt != null || e.admittedAt == null ? Optional.empty() : Optional.of(e.finishAt());
    }

    /** DELETE semantics: cancels an unfinished task, deletes a finished one; false when already gone. */
    synchronized boolean delete(String id) {
        Instant now = clock.instant();
        advance(now);
        Entry e = tasks.get(id);
        if (e == null || e.cancelledAt != null || e.deleted) {
            return false;
        }
        if (status(e, now).isTerminal()) {
            e.deleted = true;
            return true;
        }
        e.cancelledAt = now;
        ModelQueue q = queues.get(e.model);
        q.active.remove(e);
        q.waiting.remove(e);
        q.fillFreeSlots(now);
        return true;
    }

    /** The content of one output of a visible SUCCEEDED task. */
    synchronized Optional<OutputContent> output(String id, int index) {
        Instant now = clock.instant();
        advance(now);
        Entry e = tasks.get(id);
        if (e == null || e.cancelledAt != null || e.deleted || status(e, now) != TaskStatus.SUCCEEDED) {
            return Optional.empty();
        }
        List<OutputContent> outputs = outputs(e);
        return index >= 0 && index < outputs.size() ? Optional.of(outputs.get(index)) : Optional.empty();
    }

    /** SHA-256 of one output, computed once by streaming it; empty when there is no such output. */
    Optional<String> sha256(String id, int index) {
        String key = id + "#" + index;
        String cached = shaCache.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        // Hash outside the lock: a multi-gigabyte output takes seconds.
        Optional<OutputContent> content = output(id, index);
        content.ifPresent(c -> shaCache.put(key, c.sha256()));
        return content.map(c -> shaCache.get(key));
    }

    synchronized List<String> ids() {
        return List.copyOf(tasks.keySet());
    }

    synchronized int createdCount() {
        return tasks.size();
    }

    /** Credits left: the starting balance minus what every task is charged (see {@link #charged}). */
    synchronized long creditBalance(Instant now) {
        advance(now);
        long spent = 0;
        for (Entry e : tasks.values()) {
            spent += charged(e, now);
        }
        return config.creditBalance() - spent;
    }

    /** Tasks of the model created in the 24 hours before {@code now}. */
    synchronized int dailyGenerations(String model, Instant now) {
        int n = 0;
        for (Entry e : tasks.values()) {
            if (e.model.equals(model) && e.createdAt.isAfter(now.minus(DAY))) {
                n++;
            }
        }
        return n;
    }

    /** Models that have tasks, in first-use order. */
    synchronized List<String> modelsUsed() {
        return tasks.values().stream().map(e -> e.model).distinct().toList();
    }

    /** Credits charged per UTC creation date and model, for {@code POST /v1/organization/usage}. */
    synchronized Map<LocalDate, Map<String, Long>> usage(Instant now) {
        advance(now);
        Map<LocalDate, Map<String, Long>> out = new TreeMap<>();
        for (Entry e : tasks.values()) {
            LocalDate day = LocalDate.ofInstant(e.createdAt, ZoneOffset.UTC);
            out.computeIfAbsent(day, d -> new TreeMap<>()).merge(e.model, charged(e, now), Long::sum);
        }
        return out;
    }

    /** The final credit charge of a finished task as the wire {@code cost.credits} shows it. */
    static long cost(SimulatedTask t) {
        return switch (t.status()) {
            case SUCCEEDED -> t.estimatedCredits();
            case FAILED -> isSafetyInput(t.failureCode()) ? t.estimatedCredits() : 0;
            default -> 0;
        };
    }

    /** The human-readable {@code failure} text for a failure code. */
    static String failureMessage(String code) {
        if (code.startsWith("SAFETY.INPUT")) {
            return "The input did not pass content moderation (" + code + ").";
        }
        if (code.startsWith("SAFETY.OUTPUT")) {
            return "The generated output did not pass content moderation (" + code + ").";
        }
        if (code.startsWith("INTERNAL.BAD_OUTPUT")) {
            return "The output did not pass quality checks; try different inputs (" + code + ").";
        }
        if (code.startsWith("ASSET.INVALID")) {
            return "An input asset does not meet the requirements (" + code + ").";
        }
        if (code.startsWith("THIRD_PARTY.UNAVAILABLE")) {
            return "The model provider is temporarily unavailable; retry later (" + code + ").";
        }
        return "An internal error occurred (" + code + ").";
    }

    private static boolean isSafetyInput(String code) {
        return code != null && code.startsWith("SAFETY.INPUT");
    }

    private long charged(Entry e, Instant now) {
        if (e.cancelledAt != null) {
            return 0;
        }
        TaskStatus s = status(e, now);
        if (s == TaskStatus.FAILED && !isSafetyInput(e.failureCode)) {
            return 0;
        }
        return e.estimate;
    }

    private String plannedFailure(JsonNode body) {
        for (String field : PROMPT_FIELDS) {
            JsonNode prompt = body.path(field).isMissingNode() ? body.path("input").path(field) : body.path(field);
            if (prompt.isTextual()) {
                Matcher m = FORCED_FAILURE.matcher(prompt.asText());
                if (m.find()) {
                    return m.group(1);
                }
            }
        }
        if (config.failureRate() > 0 && random.nextDouble() < config.failureRate()) {
            return config.failureCodes().get(random.nextInt(config.failureCodes().size()));
        }
        return null;
    }

    private void advance(Instant now) {
        for (ModelQueue q : queues.values()) {
            q.advance(now);
        }
    }

    private TaskStatus status(Entry e, Instant now) {
        if (e.cancelledAt != null) {
            return TaskStatus.CANCELLED;
        }
        if (e.admittedAt == null) {
            return TaskStatus.THROTTLED;
        }
        if (now.isBefore(e.runningAt())) {
            return TaskStatus.PENDING;
        }
        if (now.isBefore(e.finishAt())) {
            return TaskStatus.RUNNING;
        }
        return e.failureCode == null ? TaskStatus.SUCCEEDED : TaskStatus.FAILED;
    }

    private SimulatedTask snapshot(Entry e, Instant now) {
        TaskStatus s = status(e, now);
        double progress = switch (s) {
            case RUNNING -> {
                long total = config.runningDurationFor(e.model).toMillis();
                long done = Duration.between(e.runningAt(), now).toMillis();
                yield total <= 0 ? 0 : Math.min(0.99, Math.floor(100.0 * done / total) / 100.0);
            }
            case SUCCEEDED -> 1.0;
            default -> 0.0;
        };
        List<SimulatedOutput> outs = new ArrayList<>();
        if (s == TaskStatus.SUCCEEDED) {
            List<OutputContent> contents = outputs(e);
            for (int i = 0; i < contents.size(); i++) {
                outs.add(new SimulatedOutput(i, contents.get(i).contentType(), contents.get(i).length()));
            }
        }
        return new SimulatedTask(e.id, e.endpoint, e.model, s, progress, e.createdAt, e.estimate, e.cancelledAt != null,
                e.deleted, s == TaskStatus.FAILED ? e.failureCode : null, outs, e.rawBody);
    }

    private List<OutputContent> outputs(Entry e) {
        if (e.outputs == null) {
            int count = e.outputCount;
            List<OutputContent> list = new ArrayList<>(count);
            UUID uuid = UUID.fromString(e.id);
            for (int i = 0; i < count; i++) {
                MediaKind kind = e.outputKinds != null ? e.outputKinds.get(i) : e.kind;
                long seed = config.seed() ^ uuid.getMostSignificantBits() ^ Long.rotateLeft(uuid.getLeastSignificantBits(), 17) ^ (i * 0x9E3779B97F4A7C15L);
                list.add(media.create(kind, e.body, seed));
            }
            e.outputs = List.copyOf(list);
        }
        return e.outputs;
    }

    /** Admission bookkeeping for one model: tasks holding a slot and tasks waiting THROTTLED. */
    private final class ModelQueue {
        /** Soonest to finish first: a task's finish time is fixed when it is admitted. */
        final PriorityQueue<Entry> active = new PriorityQueue<>(Comparator.comparing(Entry::finishAt));
        final Deque<Entry> waiting = new ArrayDeque<>();

        void admit(Entry e, Instant at) {
            e.admittedAt = at;
            active.add(e);
        }

        /** Replays slot releases up to {@code now}, admitting waiting tasks at the instant a slot freed. */
        void advance(Instant now) {
            while (!waiting.isEmpty()) {
                Entry first = active.peek();
                if (first == null || first.finishAt().isAfter(now)) {
                    break;
                }
                active.poll();
                Entry next = waiting.removeFirst();
                admit(next, first.finishAt().isBefore(next.createdAt) ? next.createdAt : first.finishAt());
            }
            releaseFinished(now);
        }

        void releaseFinished(Instant now) {
            while (!active.isEmpty() && !active.peek().finishAt().isAfter(now)) {
                active.poll();
            }
        }

        void fillFreeSlots(Instant now) {
            Integer max = config.limitsFor(waiting.isEmpty() ? "" : waiting.peekFirst().model).maxConcurrentGenerations();
            while (!waiting.isEmpty() && (max == null || active.size() < max)) {
                admit(waiting.removeFirst(), now);
            }
        }
    }

    private final class Entry {
        final String id;
        final String endpoint;
        final String model;
        final MediaKind kind;
        final JsonNode body;
        final String rawBody;
        final Instant createdAt;
        final long estimate;
        final int outputCount;
        final String failureCode;
        Instant admittedAt;
        Instant cancelledAt;
        boolean deleted;
        List<OutputContent> outputs;
        /** For a workflow invocation: the node and kind of each output, index for index; null for a task. */
        List<String> outputNodes;
        List<MediaKind> outputKinds;
        /** For a workflow invocation: node id to failure code of every node that failed, in graph order. */
        Map<String, String> nodeFailures = Map.of();

        Entry(String id, String endpoint, String model, MediaKind kind, JsonNode body, String rawBody, Instant createdAt,
                long estimate, int outputCount, String failureCode) {
            this.id = id;
            this.endpoint = endpoint;
            this.model = model;
            this.kind = kind;
            this.body = body;
            this.rawBody = rawBody;
            this.createdAt = createdAt;
            this.estimate = estimate;
            this.outputCount = outputCount;
            this.failureCode = failureCode;
        }

        Instant runningAt() {
            return admittedAt.plus(config.pendingDuration());
        }

        Instant finishAt() {
            return runningAt().plus(config.runningDurationFor(model));
        }
    }
}
