package com.runwayrelay.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.aws.dynamodb.DynamoDbTaskRepository;
import com.runwayrelay.domain.DueShards;
import com.runwayrelay.domain.RunwayStatus;
import com.runwayrelay.domain.StateChange;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.simulator.RunwaySimulator;
import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * Completion → ARCHIVED latency (issue #20): what an app waits beyond Runway itself. The whole local
 * stack in this JVM (DynamoDB Local, s3proxy, the Runway simulator, every function's real handler,
 * the stream readers that run the archiver and the notifier), with the poller driven as deployed by
 * {@link DeployedPollerSchedule} (an invocation started every {@code rate(…)}, each working its run
 * length, the gaps between them left in). Tasks are submitted through the HTTP API at an even pace
 * with a {@code callbackUrl} on a receiver in this JVM; the simulator gives each model its own running
 * time ({@code RUNWAY_SIM_MODEL_RUNNING_MS}), and the mix of models decides the mix of durations.
 *
 * <p>Per task, from the simulator's finish instant ({@link RunwaySimulator#finishAt}): to the
 * poller's OUTPUT_READY write (the finish seen), to the archiver's ARCHIVED write (both from the
 * task's state history) and to the {@code task.succeeded} webhook's arrival at the receiver.
 *
 * <p>Arguments ({@code name=value}): {@code tasks} (500), {@code spreadSeconds} (submissions spread
 * evenly over this long, 300), {@code seed} (1), and the poller's {@code rateSeconds},
 * {@code runSeconds}, {@code timeoutSeconds}, {@code concurrency} (default: what {@code template.yaml}
 * says), or {@code poller=local}: the stack's own schedule as {@code ./relay local} runs it; {@code kinds}
 * (comma-separated names of {@link #MIX}, default all); {@code data} (a folder, emptied first: the
 * stack keeps its table and bucket on disk as {@code ./relay local} does; default in memory);
 * {@code simulator}: {@code mix} (the default: the mix's running times, no limit on tasks at once),
 * {@code defaults} (the simulator's own settings as {@code ./relay local} starts it, among them 5
 * tasks per model at once, more wait THROTTLED) or {@code unlimited} (its own settings but no
 * limit). With {@code spreadSeconds=0} every task is submitted at once, a burst that shows the local
 * pipeline's archive rate. {@code -Dbench.functionLog=<file>} keeps the functions' JSON lines. Run
 * from the repository root after {@code package}.
 */
public final class CompletionLatencyBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One kind of request in the mix: its share, its simulated running time, its request body. */
    record Kind(String name, int weight, Duration running, String endpoint, String model, String body) {
    }

    /**
     * A realistic mix (shares and times in the range Runway's models take): quick images, slower
     * images, short and long videos. PENDING lasts {@link #PENDING} for all.
     */
    static final List<Kind> MIX = List.of(
            new Kind("image-fast", 35, Duration.ofSeconds(8), "text_to_image", "gen4_image",
                    "{\"model\":\"gen4_image\",\"promptText\":\"%s\",\"ratio\":\"1920:1080\"}"),
            new Kind("image-slow", 20, Duration.ofSeconds(15), "text_to_image", "gemini_2.5_flash",
                    "{\"model\":\"gemini_2.5_flash\",\"promptText\":\"%s\",\"ratio\":\"1024:1024\"}"),
            new Kind("video-4s-fast", 20, Duration.ofSeconds(30), "text_to_video", "veo3.1_fast",
                    "{\"model\":\"veo3.1_fast\",\"promptText\":\"%s\",\"ratio\":\"1280:720\",\"duration\":4}"),
            new Kind("video-5s", 15, Duration.ofSeconds(60), "text_to_video", "gen4.5",
                    "{\"model\":\"gen4.5\",\"promptText\":\"%s\",\"ratio\":\"1280:720\",\"duration\":5}"),
            new Kind("video-8s", 10, Duration.ofSeconds(120), "text_to_video", "veo3.1",
                    "{\"model\":\"veo3.1\",\"promptText\":\"%s\",\"ratio\":\"1280:720\",\"duration\":8}"));
    static final Duration PENDING = Duration.ofSeconds(2);

    /**
     * @param tasks    tasks submitted
     * @param spread   submissions spread evenly over this long
     * @param seed     picks each task's kind
     * @param poller   how the poller is invoked
     * @param mix      the kinds of request
     * @param pending  the simulator's PENDING time
     * @param deadline how long after the last submission to wait for the last webhook at most
     */
    record Settings(int tasks, Duration spread, long seed, DeployedPollerSchedule.Settings poller, List<Kind> mix,
                    Duration pending, Duration deadline, boolean localPoller, java.nio.file.Path dataDir, String simulator) {
        Settings(int tasks, Duration spread, long seed, DeployedPollerSchedule.Settings poller, List<Kind> mix, Duration pending,
                 Duration deadline) {
            this(tasks, spread, seed, poller, mix, pending, deadline, false, null, "mix");
        }

        static Settings parse(String[] args) {
            Map<String, String> a = new LinkedHashMap<>();
            for (String arg : args) {
                int eq = arg.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("arguments are name=value, got " + arg);
                }
                a.put(arg.substring(0, eq), arg.substring(eq + 1));
            }
            List<String> known = List.of("tasks", "spreadSeconds", "seed", "rateSeconds", "runSeconds", "timeoutSeconds",
                    "concurrency", "poller", "kinds", "data", "simulator");
            a.keySet().stream().filter(k -> !known.contains(k)).findFirst().ifPresent(k -> {
                throw new IllegalArgumentException("unknown argument " + k + " (known: " + known + ")");
            });
            DeployedPollerSchedule.Settings template = DeployedPollerSchedule.Settings.fromTemplate(DeployedPollerSchedule.pollerSpec());
            DeployedPollerSchedule.Settings poller = new DeployedPollerSchedule.Settings(
                    seconds(a, "rateSeconds", template.rate()), seconds(a, "runSeconds", template.runLength()),
                    seconds(a, "timeoutSeconds", template.timeout()),
                    Integer.parseInt(a.getOrDefault("concurrency", Integer.toString(template.concurrency()))));
            String pollerMode = a.getOrDefault("poller", "deployed");
            if (!pollerMode.equals("deployed") && !pollerMode.equals("local")) {
                throw new IllegalArgumentException("poller is deployed or local, got " + pollerMode);
            }
            List<Kind> mix = MIX;
            if (a.containsKey("kinds")) {
                List<String> names = List.of(a.get("kinds").split(","));
                mix = MIX.stream().filter(k -> names.contains(k.name())).toList();
                if (mix.size() != names.size()) {
                    throw new IllegalArgumentException("kinds are among " + MIX.stream().map(Kind::name).toList() + ", got " + names);
                }
            }
            return new Settings(Integer.parseInt(a.getOrDefault("tasks", "500")),
                    Duration.ofSeconds(Long.parseLong(a.getOrDefault("spreadSeconds", "300"))),
                    Long.parseLong(a.getOrDefault("seed", "1")), poller, mix, PENDING, Duration.ofMinutes(6), pollerMode.equals("local"),
                    a.containsKey("data") ? java.nio.file.Path.of(a.get("data")) : null, simulator(a.getOrDefault("simulator", "mix")));
        }

        private static String simulator(String value) {
            if (!List.of("mix", "defaults", "unlimited").contains(value)) {
                throw new IllegalArgumentException("simulator is mix, defaults or unlimited, got " + value);
            }
            return value;
        }

        private static Duration seconds(Map<String, String> a, String name, Duration fallback) {
            return a.containsKey(name) ? Duration.ofSeconds(Long.parseLong(a.get(name))) : fallback;
        }

        /**
         * The simulator settings giving each model of the mix its running time, with no concurrency limit;
         * none with {@code simulator=defaults} (the simulator as {@code ./relay local} starts it), only
         * {@code RUNWAY_SIM_MAX_CONCURRENT=unlimited} with {@code simulator=unlimited}.
         */
        Map<String, String> simulatorSettings() {
            if (simulator.equals("defaults")) {
                return Map.of();
            }
            if (simulator.equals("unlimited")) {
                return Map.of("RUNWAY_SIM_MAX_CONCURRENT", "unlimited");
            }
            return Map.of("RUNWAY_SIM_PENDING_MS", Long.toString(pending.toMillis()),
                    "RUNWAY_SIM_MAX_CONCURRENT", "unlimited",
                    "RUNWAY_SIM_MODEL_RUNNING_MS", mix.stream().map(k -> k.model() + "=" + k.running().toMillis())
                            .collect(Collectors.joining(",")));
        }
    }

    /**
     * One task's figures (milliseconds after the simulator's finish; null when it never got there).
     *
     * @param kind     its kind in the mix
     * @param toSeen   to the poller's OUTPUT_READY write
     * @param toArchived to the ARCHIVED write
     * @param toWebhook to the {@code task.succeeded} webhook's arrival
     */
    record Measured(String taskId, String kind, Long toSeen, Long toArchived, Long toWebhook) {
    }

    /**
     * The run's outcome.
     *
     * @param submitted   tasks the API accepted
     * @param archived    of those, ARCHIVED
     * @param webhooks    {@code task.succeeded} webhooks received and verified (one per task counted)
     * @param duplicates  webhooks beyond the first per task (at-least-once delivery allows them)
     * @param rejected    webhooks that failed signature verification
     * @param unexpected  webhooks of another type, or for a task not submitted here
     * @param invocations the poller's invocations
     */
    record Result(Settings settings, List<Measured> measured, int submitted, int archived, int webhooks, int duplicates,
                  int rejected, int unexpected, List<DeployedPollerSchedule.Invocation> invocations, String loadBefore,
                  String loadAfter, Duration wall, Instant lastFinish, Instant firstArchived, Instant lastArchived,
                  int streamShards, int openStreamShards, Instant firstSubmitted) {

        long[] values(java.util.function.Function<Measured, Long> field) {
            return measured.stream().map(field).filter(v -> v != null).mapToLong(Long::longValue).sorted().toArray();
        }

        @Override
        public String toString() {
            StringBuilder out = new StringBuilder();
            out.append(String.format("tasks=%d spread=%ds seed=%d poller: %s%n", settings.tasks(), settings.spread().toSeconds(),
                    settings.seed(), settings.localPoller() ? "as ./relay local runs it (every "
                            + StackOptions.DEFAULT_POLL_INTERVAL.toSeconds() + " s, run length " + LocalStack.LOCAL_POLLER_RUN_SECONDS + " s)"
                            : settings.poller()));
            out.append(settings.dataDir() == null ? "" : "data folder " + settings.dataDir() + " (on disk)\n");
            out.append(settings.simulator().equals("mix") ? "" : "simulator: its defaults" + (settings.simulator().equals("unlimited")
                    ? " but RUNWAY_SIM_MAX_CONCURRENT=unlimited" : ", as ./relay local starts it")
                    + " (the mix's running times and PENDING below do not apply)\n");
            out.append(String.format("mix: %s, PENDING %d s%n", settings.mix().stream()
                    .map(k -> k.name() + " " + k.weight() + "% " + k.running().toSeconds() + " s").collect(Collectors.joining(", ")),
                    settings.pending().toSeconds()));
            out.append(String.format("load average: %s at the start, %s at the end; wall %d s%n", loadBefore, loadAfter, wall.toSeconds()));
            out.append(String.format("submitted %d, ARCHIVED %d, task.succeeded webhooks %d (duplicates %d, rejected %d, unexpected %d), "
                    + "poller invocations %d (failed %d)%n", submitted, archived, webhooks, duplicates, rejected, unexpected,
                    invocations.size(), invocations.stream().filter(i -> i.error() != null).count()));
            out.append("| from the simulator's finish to | n | p50 | p95 | max |\n|---|---|---|---|---|\n");
            out.append(row("OUTPUT_READY written (finish seen)", values(Measured::toSeen)));
            out.append(row("ARCHIVED written", values(Measured::toArchived)));
            out.append(row("task.succeeded webhook received", values(Measured::toWebhook)));
            out.append(String.format("the table's stream: %d shard(s), %d open%n", streamShards, openStreamShards));
            if (lastArchived != null) {
                out.append(String.format("first submission -> last ARCHIVED %.2f s%n",
                        Duration.between(firstSubmitted, lastArchived).toMillis() / 1000.0));
            }
            if (lastFinish != null && firstArchived != null) {
                Duration span = Duration.between(firstArchived, lastArchived);
                out.append(String.format("last finish -> last ARCHIVED %.2f s; first -> last ARCHIVED %.2f s (%d archived, %.1f per second)%n",
                        Duration.between(lastFinish, lastArchived).toMillis() / 1000.0, span.toMillis() / 1000.0, archived,
                        span.isZero() ? Double.NaN : (archived - 1) * 1000.0 / span.toMillis()));
            }
            out.append("| ARCHIVED, by kind | n | p50 | p95 | max |\n|---|---|---|---|---|\n");
            for (Kind kind : settings.mix()) {
                out.append(row(kind.name() + " (" + kind.running().toSeconds() + " s)", measured.stream()
                        .filter(m -> m.kind().equals(kind.name()) && m.toArchived() != null)
                        .mapToLong(Measured::toArchived).sorted().toArray()));
            }
            return out.toString();
        }

        private static String row(String name, long[] sorted) {
            if (sorted.length == 0) {
                return "| " + name + " | 0 | - | - | - |\n";
            }
            return String.format("| %s | %d | %.2f s | %.2f s | %.2f s |%n", name, sorted.length, percentile(sorted, 50) / 1000.0,
                    percentile(sorted, 95) / 1000.0, sorted[sorted.length - 1] / 1000.0);
        }
    }

    private CompletionLatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.parse(args);
        PrintStream console = System.out;
        // The functions log a JSON line per step and their EMF metrics on stdout: not wanted here, unless
        // -Dbench.functionLog=<file> asks to keep them (e.g. the archiver's per-attempt durations).
        String functionLog = System.getProperty("bench.functionLog");
        System.setOut(functionLog == null ? new PrintStream(OutputStream.nullOutputStream())
                : new PrintStream(new java.io.FileOutputStream(functionLog), true, StandardCharsets.UTF_8));
        Result result = run(settings, new StackLog(System.err, StackLog.Level.QUIET));
        console.println(result);
        System.exit(0);
    }

    /** Nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static Result run(Settings settings, StackLog log) throws Exception {
        Clock clock = Clock.systemUTC();
        long started = System.nanoTime();
        String loadBefore = loadAverage();
        // poller=local: the stack's own schedule at ./relay local's default interval; otherwise it never fires
        // and DeployedPollerSchedule drives the poller as deployed.
        StackOptions options = StackOptions.ephemeral().withSimulatorSettings(settings.simulatorSettings())
                .withPollInterval(settings.localPoller() ? StackOptions.DEFAULT_POLL_INTERVAL : Duration.ofDays(1));
        if (settings.dataDir() != null) {
            // As ./relay local keeps it: DynamoDB Local and s3proxy on disk (emptied first).
            options = options.withDataDir(settings.dataDir()).withReset(true);
        }
        try (LocalStack stack = LocalStack.start(options, log, clock);
             Receiver receiver = Receiver.start(stack.devApp().webhookSecret());
             DeployedPollerSchedule poller = settings.localPoller() ? null
                     : DeployedPollerSchedule.start(stack, settings.poller(), clock, log)) {
            RunwaySimulator simulator = stack.simulator().orElseThrow();
            Instant firstSubmitted = Instant.now();
            Map<String, String> kinds = submitAll(settings, stack, receiver);
            Instant deadline = Instant.now().plus(settings.deadline());
            DynamoDbTaskRepository tasks = new DynamoDbTaskRepository(stack.aws().dynamoDb(), stack.aws().tableName(),
                    Integer.parseInt(stack.environments().get(DeployedPollerSchedule.pollerSpec().logicalId())
                            .getOrDefault("RELAY_DUE_SHARDS", Integer.toString(DueShards.DEFAULT))));
            Map<String, Task> finished = awaitAll(tasks, kinds.keySet(), receiver, deadline);
            if (poller != null) {
                poller.close();
            }
            String streamArn = stack.aws().dynamoDb().describeTable(r -> r.tableName(stack.aws().tableName())).table().latestStreamArn();
            var shards = stack.aws().dynamoDbStreams().describeStream(r -> r.streamArn(streamArn)).streamDescription().shards();
            int openShards = (int) shards.stream().filter(shard -> shard.sequenceNumberRange() == null
                    || shard.sequenceNumberRange().endingSequenceNumber() == null).count();
            List<Measured> measured = new ArrayList<>();
            int archived = 0;
            Instant lastFinish = null;
            Instant firstArchived = null;
            Instant lastArchived = null;
            for (Map.Entry<String, String> entry : kinds.entrySet()) {
                Task task = Optional.ofNullable(finished.get(entry.getKey()))
                        .or(() -> tasks.find(entry.getKey())).orElse(null);
                if (task != null && task.state() == TaskState.ARCHIVED) {
                    archived++;
                }
                Optional<Instant> finish = task == null || task.runway().taskId() == null ? Optional.empty()
                        : simulator.finishAt(task.runway().taskId());
                if (finish.isPresent() && (lastFinish == null || finish.get().isAfter(lastFinish))) {
                    lastFinish = finish.get();
                }
                Optional<Instant> archivedAt = firstAt(task, TaskState.ARCHIVED);
                if (archivedAt.isPresent()) {
                    firstArchived = firstArchived == null || archivedAt.get().isBefore(firstArchived) ? archivedAt.get() : firstArchived;
                    lastArchived = lastArchived == null || archivedAt.get().isAfter(lastArchived) ? archivedAt.get() : lastArchived;
                }
                measured.add(new Measured(entry.getKey(), entry.getValue(),
                        finish.flatMap(f -> firstAt(task, TaskState.OUTPUT_READY).map(at -> millis(f, at))).orElse(null),
                        finish.flatMap(f -> firstAt(task, TaskState.ARCHIVED).map(at -> millis(f, at))).orElse(null),
                        finish.flatMap(f -> receiver.firstArrival(entry.getKey()).map(at -> millis(f, at))).orElse(null)));
            }
            return new Result(settings, measured, kinds.size(), archived, receiver.tasksWithSucceeded(), receiver.duplicates(),
                    receiver.rejected(), receiver.unexpected(kinds.keySet()), poller == null ? List.of() : poller.invocations(),
                    loadBefore, loadAverage(), Duration.ofNanos(System.nanoTime() - started), lastFinish, firstArchived, lastArchived,
                    shards.size(), openShards, firstSubmitted);
        }
    }

    private static long millis(Instant from, Instant to) {
        return Duration.between(from, to).toMillis();
    }

    /** When the task first entered {@code state}, from its history. */
    static Optional<Instant> firstAt(Task task, TaskState state) {
        if (task == null) {
            return Optional.empty();
        }
        return task.history().stream().filter(change -> change.state() == state).map(StateChange::at).findFirst();
    }

    /** Submits every task at its turn; returns gateway task id → kind name. */
    private static Map<String, String> submitAll(Settings settings, LocalStack stack, Receiver receiver) throws Exception {
        Random random = new Random(settings.seed());
        int total = settings.mix().stream().mapToInt(Kind::weight).sum();
        HttpClient http = HttpClient.newHttpClient();
        long gapNanos = settings.tasks() <= 1 ? 0 : settings.spread().toNanos() / settings.tasks();
        long start = System.nanoTime();
        Map<String, String> kinds = new ConcurrentHashMap<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> submissions = new ArrayList<>();
            for (int i = 0; i < settings.tasks(); i++) {
                Kind kind = pick(settings.mix(), random.nextInt(total));
                long wait = start + i * gapNanos - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(Duration.ofNanos(wait));
                }
                int n = i;
                submissions.add(pool.submit(() -> {
                    kinds.put(submit(http, stack, receiver, kind, n), kind.name());
                    return null;
                }));
            }
            for (Future<?> submission : submissions) {
                submission.get();
            }
        }
        return kinds;
    }

    private static Kind pick(List<Kind> mix, int draw) {
        int seen = 0;
        for (Kind kind : mix) {
            seen += kind.weight();
            if (draw < seen) {
                return kind;
            }
        }
        return mix.getLast();
    }

    private static String submit(HttpClient http, LocalStack stack, Receiver receiver, Kind kind, int n) throws Exception {
        JsonNode request = JSON.readTree(String.format(kind.body(), "latency bench task " + n));
        ((com.fasterxml.jackson.databind.node.ObjectNode) request).putObject("relay").put("callbackUrl", receiver.url().toString());
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(stack.apiUrl().resolve("/v1/" + kind.endpoint()))
                    .timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + stack.devApp().key()).header("X-Runway-Version", "2024-11-06")
                    .header("Content-Type", "application/json").header("Idempotency-Key", "latency-" + n)
                    .POST(HttpRequest.BodyPublishers.ofString(request.toString())).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                return JSON.readTree(response.body()).path("id").asText();
            }
            if (attempt == 5 || (response.statusCode() >= 400 && response.statusCode() < 500 && response.statusCode() != 429
                    && response.statusCode() != 409)) {
                throw new IllegalStateException("submit of task " + n + " (" + kind.name() + ") answered "
                        + response.statusCode() + ": " + response.body());
            }
            Thread.sleep(Duration.ofMillis(500L * attempt));
        }
    }

    /** Waits until every task is ARCHIVED (or otherwise final) and has its webhook, or the deadline passes. */
    private static Map<String, Task> awaitAll(DynamoDbTaskRepository tasks, java.util.Set<String> ids, Receiver receiver,
                                              Instant deadline) throws InterruptedException {
        Map<String, Task> done = new LinkedHashMap<>();
        while (Instant.now().isBefore(deadline)) {
            for (String id : ids) {
                if (done.containsKey(id)) {
                    continue;
                }
                Optional<Task> task = tasks.find(id);
                if (task.isPresent() && task.get().state().isTerminal() && task.get().state() != TaskState.OUTPUT_READY
                        && (task.get().state() != TaskState.ARCHIVED || receiver.firstArrival(id).isPresent())) {
                    done.put(id, task.get());
                }
            }
            if (done.size() == ids.size()) {
                break;
            }
            Thread.sleep(1000);
        }
        return done;
    }

    /** The one-minute load average as the OS reports it, e.g. {@code 3.42}. */
    static String loadAverage() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? "n/a" : String.format("%.2f", load);
    }

    /** The webhook endpoint: verifies each delivery with the dev app's secret, records the first arrival per task. */
    static final class Receiver implements AutoCloseable {
        private final HttpServer server;
        private final ExecutorService executor;
        private final Webhook verifier;
        private final Map<String, Instant> firstSucceeded = new ConcurrentHashMap<>();
        private final Map<String, Integer> succeededCount = new ConcurrentHashMap<>();
        private final Map<String, String> otherTypes = new ConcurrentHashMap<>();
        private final java.util.concurrent.atomic.AtomicInteger rejected = new java.util.concurrent.atomic.AtomicInteger();

        private Receiver(HttpServer server, ExecutorService executor, Webhook verifier) {
            this.server = server;
            this.executor = executor;
            this.verifier = verifier;
        }

        static Receiver start(String secret) {
            try {
                HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
                ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
                Receiver receiver = new Receiver(server, executor, new Webhook(secret));
                server.setExecutor(executor);
                server.createContext("/hooks", receiver::handle);
                server.start();
                return receiver;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the webhook receiver", e);
            }
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks");
        }

        Optional<Instant> firstArrival(String taskId) {
            return Optional.ofNullable(firstSucceeded.get(taskId));
        }

        int tasksWithSucceeded() {
            return firstSucceeded.size();
        }

        int duplicates() {
            return succeededCount.values().stream().mapToInt(c -> c - 1).sum();
        }

        int rejected() {
            return rejected.get();
        }

        /** Webhooks of another type than {@code task.succeeded}, or for tasks not in {@code ids}. */
        int unexpected(java.util.Set<String> ids) {
            return otherTypes.size() + (int) firstSucceeded.keySet().stream().filter(id -> !ids.contains(id)).count();
        }

        private void handle(HttpExchange exchange) throws IOException {
            Instant arrived = Instant.now();
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                int status;
                try {
                    var headers = exchange.getRequestHeaders();
                    verifier.verify(body, Map.of(
                            "webhook-id", List.of(String.valueOf(headers.getFirst("webhook-id"))),
                            "webhook-timestamp", List.of(String.valueOf(headers.getFirst("webhook-timestamp"))),
                            "webhook-signature", List.of(String.valueOf(headers.getFirst("webhook-signature")))));
                    JsonNode payload = JSON.readTree(body);
                    String taskId = payload.path("data").path("id").asText();
                    String type = payload.path("type").asText();
                    boolean succeeded = payload.path("data").path("status").asText().equals(RunwayStatus.SUCCEEDED.wire());
                    if (type.equals("task.succeeded") && succeeded) {
                        firstSucceeded.putIfAbsent(taskId, arrived);
                        succeededCount.merge(taskId, 1, Integer::sum);
                    } else {
                        otherTypes.put(taskId + " " + type, type);
                    }
                    status = 204;
                } catch (Exception e) {
                    rejected.incrementAndGet();
                    status = 401;
                }
                exchange.sendResponseHeaders(status, -1);
            }
        }

        @Override
        public void close() {
            server.stop(0);
            executor.shutdownNow();
        }
    }
}
