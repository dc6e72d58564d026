package com.runwayrelay.bench.soak;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.aws.dynamodb.TaskItems;
import com.runwayrelay.domain.Attempt;
import com.runwayrelay.domain.AttemptOutcome;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.runway.TaskCreation;
import com.runwayrelay.domain.webhook.DeliveryStatus;
import com.runwayrelay.simulator.RunwaySimulator;
import com.runwayrelay.simulator.SimulatedTask;
import com.runwayrelay.simulator.SimulatorConfig;
import com.runwayrelay.testkit.aws.AwsEmulators;
import com.runwayrelay.testkit.aws.EmulatorOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The fault soak (issue #14): the whole local stack as a child JVM ({@code RelayCli local}), killed
 * with SIGKILL at random points and restarted on the same data folder, while parallel clients submit
 * tasks and retry each logical request with the same {@code Idempotency-Key} until they get a
 * definitive answer. Runway is the simulator, with faults; DynamoDB and S3 are the emulators behind
 * {@link FaultProxy}s. Simulator, emulators, proxies and the webhook receiver live in this process, so
 * they outlive every crash of the stack, as Runway and AWS would.
 *
 * <p>At the end every invariant is checked from the outside (the table and bucket read directly from
 * the emulators, the simulator's own books, the webhooks received) and printed as numbers.
 *
 * <pre>
 * java -cp "$CP" com.runwayrelay.bench.soak.FaultSoak tasks=10000 clients=32 crashes=3 seed=14 policies=fail,retry-once
 * </pre>
 * Arguments are {@code name=value}; see {@link Settings#parse}. Exit status 0 when every invariant holds, 1 otherwise.
 */
public final class FaultSoak {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LOGICAL = Pattern.compile("soak task (\\d+)");
    private static final Set<TaskState> FINAL = Set.of(TaskState.ARCHIVED, TaskState.FAILED, TaskState.CANCELLED, TaskState.EXPIRED);

    /**
     * What to run.
     *
     * @param tasks         logical requests (each gets its own Idempotency-Key)
     * @param clients       parallel clients
     * @param crashes       SIGKILLs of the stack while tasks are submitted (each followed by a restart)
     * @param seed          seeds every random draw (simulator, proxies, crash points)
     * @param policies      per-app ambiguous-create policies; one app per entry ({@code default}: the CLI's default)
     * @param simulator     the simulator's fault settings
     * @param dynamoFaults  fault rates of the DynamoDB proxy
     * @param s3Faults      fault rates of the S3 proxy
     * @param timeout       hang guard for the whole run
     * @param workDir       where the data folders and the stack's log go
     * @param stackHeap     the stack JVM's -Xmx
     */
    public record Settings(int tasks, int clients, int crashes, long seed, List<String> policies, Map<String, String> simulator,
                           FaultProxy.Rates dynamoFaults, FaultProxy.Rates s3Faults, Duration timeout, Path workDir, String stackHeap) {

        /** The default fault mix (rates per request / per task). */
        public static Map<String, String> defaultSimulatorFaults() {
            Map<String, String> faults = new LinkedHashMap<>();
            faults.put("RUNWAY_SIM_RATE_429", "0.03");
            faults.put("RUNWAY_SIM_RATE_5XX", "0.03");
            faults.put("RUNWAY_SIM_RATE_RESET", "0.02");
            faults.put("RUNWAY_SIM_RATE_RESET_AFTER", "0.02");
            faults.put("RUNWAY_SIM_RATE_TRUNCATE", "0.05");
            faults.put("RUNWAY_SIM_RATE_SLOW", "0.02");
            faults.put("RUNWAY_SIM_SLOW_MS", "1500");
            faults.put("RUNWAY_SIM_FAILURE_RATE", "0.05");
            return faults;
        }

        /** Reads {@code name=value} arguments over the defaults. */
        public static Settings parse(List<String> args) {
            Map<String, String> values = new HashMap<>();
            for (String arg : args) {
                int equals = arg.indexOf('=');
                if (equals <= 0) {
                    throw new IllegalArgumentException("arguments are name=value, got '" + arg + "'");
                }
                values.put(arg.substring(0, equals), arg.substring(equals + 1));
            }
            Map<String, String> simulator = defaultSimulatorFaults();
            values.forEach((name, value) -> {
                if (name.startsWith("RUNWAY_SIM_")) {
                    simulator.put(name, value);
                }
            });
            Settings settings = new Settings(
                    Integer.parseInt(values.getOrDefault("tasks", "200")),
                    Integer.parseInt(values.getOrDefault("clients", "16")),
                    Integer.parseInt(values.getOrDefault("crashes", "3")),
                    Long.parseLong(values.getOrDefault("seed", "14")),
                    List.of(values.getOrDefault("policies", "fail,retry-once").split(",")),
                    simulator,
                    rates(values.getOrDefault("dynamoFaults", "0.01,0.005,0.003,0.003")),
                    rates(values.getOrDefault("s3Faults", "0.04,0.02,0.02,0.02")),
                    Duration.ofMinutes(Long.parseLong(values.getOrDefault("timeoutMinutes", "60"))),
                    Path.of(values.getOrDefault("workDir", "target/soak")),
                    values.getOrDefault("stackHeap", "1g"));
            values.keySet().stream().filter(name -> !name.startsWith("RUNWAY_SIM_") && !Set.of("tasks", "clients", "crashes", "seed", "policies",
                    "dynamoFaults", "s3Faults", "timeoutMinutes", "workDir", "stackHeap").contains(name)).findFirst().ifPresent(name -> {
                        throw new IllegalArgumentException("unknown argument " + name);
                    });
            return settings;
        }

        /** {@code throttle,serverError,dropBefore,dropAfter}. */
        static FaultProxy.Rates rates(String text) {
            String[] parts = text.split(",");
            if (parts.length != 4) {
                throw new IllegalArgumentException("fault rates are throttle,serverError,dropBefore,dropAfter, got " + text);
            }
            return new FaultProxy.Rates(Double.parseDouble(parts[0]), Double.parseDouble(parts[1]), Double.parseDouble(parts[2]),
                    Double.parseDouble(parts[3]));
        }
    }

    /** One app of the soak. */
    record SoakApp(int index, String policy, boolean policyApplied, String key, String webhookSecret) {
        @Override
        public String toString() {
            return "app" + index + "(" + policy + (policyApplied ? "" : ", not applied") + ")";
        }
    }

    /** A named invariant's numbers and whether it holds. */
    public record Check(String name, boolean holds, String numbers) {
    }

    /** Everything the run measured. */
    public record Result(List<Check> checks, Map<String, Long> counts, List<String> notes, Duration duration) {
        public boolean allHold() {
            return checks.stream().allMatch(Check::holds);
        }

        public String report() {
            StringBuilder out = new StringBuilder();
            out.append("duration ").append(duration.toSeconds()).append(" s\n");
            counts.forEach((name, value) -> out.append(String.format("  %-44s %d%n", name, value)));
            for (Check check : checks) {
                out.append(check.holds() ? "OK    " : "BROKEN").append("  ").append(check.name()).append(": ").append(check.numbers()).append('\n');
            }
            notes.forEach(note -> out.append("note: ").append(note).append('\n'));
            return out.toString();
        }
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.parse(List.of(args));
        System.out.println("fault soak: " + settings);
        Result result = run(settings);
        System.out.print(result.report());
        System.exit(result.allHold() ? 0 : 1);
    }

    /** Runs the soak and checks every invariant. */
    public static Result run(Settings settings) throws Exception {
        Instant started = Instant.now();
        Instant deadline = started.plus(settings.timeout());
        Path work = settings.workDir().toAbsolutePath();
        deleteRecursively(work);
        Files.createDirectories(work);
        List<String> notes = new ArrayList<>();
        Map<String, Long> counts = new LinkedHashMap<>();

        byte[] keyBytes = new byte[64];
        new Random(settings.seed()).nextBytes(keyBytes);
        String simKey = "key_" + HexFormat.of().formatHex(keyBytes);
        Map<String, String> simEnv = new HashMap<>(settings.simulator());
        simEnv.put("RUNWAY_SIM_SEED", Long.toString(settings.seed()));
        simEnv.put("RUNWAY_SIM_API_KEY", simKey);
        simEnv.putIfAbsent("RUNWAY_SIM_PENDING_MS", "200");
        simEnv.putIfAbsent("RUNWAY_SIM_RUNNING_MS", "600");
        simEnv.putIfAbsent("RUNWAY_SIM_MAX_CONCURRENT", "unlimited");
        simEnv.putIfAbsent("RUNWAY_SIM_MAX_DAILY", "unlimited");
        simEnv.putIfAbsent("RUNWAY_SIM_IMAGE_MAX_SIDE", "64");
        simEnv.putIfAbsent("RUNWAY_SIM_CREDIT_BALANCE", "100000000");

        try (AwsEmulators aws = AwsEmulators.start(EmulatorOptions.persistentIn(work.resolve("aws")));
             FaultProxy dynamoProxy = FaultProxy.start(aws.dynamoEndpoint(), FaultProxy.Service.DYNAMODB, settings.dynamoFaults(), settings.seed() + 1);
             FaultProxy s3Proxy = FaultProxy.start(aws.s3Endpoint(), FaultProxy.Service.S3, settings.s3Faults(), settings.seed() + 2);
             RunwaySimulator simulator = RunwaySimulator.start(SimulatorConfig.fromEnv(simEnv));
             WebhookReceiver receiver = WebhookReceiver.start()) {
            var credentials = aws.credentials().resolveCredentials();
            StackProcess stack = new StackProcess(work.resolve("stack"), work.resolve("stack.log"), freePort(), simulator.baseUri(), simKey,
                    dynamoProxy.endpoint(), s3Proxy.endpoint(), credentials.accessKeyId(), credentials.secretAccessKey(), settings.stackHeap());
            // The stack must not outlive this process, even when it is stopped with SIGTERM (a cancelled build).
            Thread reaper = new Thread(stack::destroyNow, "soak-stack-reaper");
            Runtime.getRuntime().addShutdownHook(reaper);
            try {
                stack.start(deadline);
                List<SoakApp> apps = new ArrayList<>();
                for (int i = 0; i < settings.policies().size(); i++) {
                    apps.add(stack.createApp(i, settings.policies().get(i).trim(), settings.tasks()));
                    receiver.register(i, apps.get(i).webhookSecret());
                }
                apps.stream().filter(app -> !app.policyApplied() && !app.policy().equals("default")).forEach(app -> notes.add(
                        "./relay apps create does not know --ambiguous-create yet: " + app + " runs with the default policy"));

                dynamoProxy.faultsEnabled(true);
                s3Proxy.faultsEnabled(true);
                Submissions submissions = submitAll(settings, apps, stack, receiver, deadline, counts);

                counts.put("stack crashes (SIGKILL) and restarts", (long) stack.kills());
                notes.add("crash points (accepted tasks when killed): " + submissions.crashPoints);

                // Drain: everything accepted must end; the webhook of every ended task must be delivered or given up.
                Map<String, Task> tasks = awaitQuiet(aws, submissions, receiver, deadline, stack);
                dynamoProxy.faultsEnabled(false);
                s3Proxy.faultsEnabled(false);
                List<Check> checks = check(settings, aws, simulator, receiver, submissions, tasks, apps, counts, notes);
                dynamoProxy.injected().forEach((fault, n) -> counts.put("DynamoDB proxy " + fault, n));
                s3Proxy.injected().forEach((fault, n) -> counts.put("S3 proxy " + fault, n));
                counts.put("DynamoDB requests forwarded", dynamoProxy.forwarded());
                counts.put("S3 requests forwarded", s3Proxy.forwarded());
                counts.put("Runway requests (all)", simulator.requestCount("*", "/"));
                return new Result(checks, counts, notes, Duration.between(started, Instant.now()));
            } finally {
                stack.stop();
                Runtime.getRuntime().removeShutdownHook(reaper);
            }
        }
    }

    /** What the clients got. */
    static final class Submissions {
        final Map<Integer, String> acceptedTaskIds = new ConcurrentHashMap<>();
        final Map<Integer, Set<String>> idsSeen = new ConcurrentHashMap<>();
        final Map<Integer, Integer> rejected = new ConcurrentHashMap<>();
        final Set<Integer> undecided = ConcurrentHashMap.newKeySet();
        final Map<Integer, Integer> appOf = new ConcurrentHashMap<>();
        final List<Integer> crashPoints = Collections.synchronizedList(new ArrayList<>());
        final AtomicLong retries = new AtomicLong();
        final Map<Integer, AtomicLong> retriedStatuses = new ConcurrentHashMap<>();
    }

    private static Submissions submitAll(Settings settings, List<SoakApp> apps, StackProcess stack, WebhookReceiver receiver,
                                         Instant deadline, Map<String, Long> counts) throws Exception {
        Submissions submissions = new Submissions();
        Random random = new Random(settings.seed() + 3);
        List<Integer> crashAt = new ArrayList<>();
        for (int i = 0; i < settings.crashes(); i++) {
            crashAt.add((int) (settings.tasks() * (0.1 + 0.8 * random.nextDouble())));
        }
        crashAt.sort(null);
        List<Long> crashDelays = crashAt.stream().map(x -> (long) random.nextInt(1500)).toList();
        AtomicInteger accepted = new AtomicInteger();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        AtomicInteger next = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(settings.clients() + 2)) {
            Future<?> progress = pool.submit(() -> {
                while (next.get() < settings.tasks() || submissions.acceptedTaskIds.size() + submissions.rejected.size()
                        + submissions.undecided.size() < settings.tasks()) {
                    sleep(10_000);
                    System.err.println("soak: accepted " + submissions.acceptedTaskIds.size() + ", rejected " + submissions.rejected.size()
                            + ", undecided " + submissions.undecided.size() + " of " + settings.tasks() + "; retries " + submissions.retries.get()
                            + " " + submissions.retriedStatuses);
                }
                return null;
            });
            Future<?> crasher = pool.submit(() -> {
                for (int c = 0; c < crashAt.size(); c++) {
                    int point = crashAt.get(c);
                    await(() -> accepted.get() >= point || next.get() >= settings.tasks() && accepted.get() + submissions.rejected.size()
                            + submissions.undecided.size() >= settings.tasks(), deadline, "crash point " + point);
                    sleep(crashDelays.get(c));
                    submissions.crashPoints.add(accepted.get());
                    stack.kill();
                    stack.start(deadline);
                }
                return null;
            });
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < settings.clients(); c++) {
                clients.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < settings.tasks(); i = next.getAndIncrement()) {
                        SoakApp app = apps.get(i % apps.size());
                        submissions.appOf.put(i, app.index());
                        submitOne(http, stack, app, i, receiver, submissions, accepted, deadline);
                    }
                    return null;
                }));
            }
            for (Future<?> client : clients) {
                client.get();
            }
            crasher.get();
            progress.cancel(true);
        }
        counts.put("logical requests", (long) settings.tasks());
        counts.put("accepted (200 with a task id)", (long) submissions.acceptedTaskIds.size());
        counts.put("rejected (a definitive 4xx)", (long) submissions.rejected.size());
        counts.put("no definitive answer before the deadline", (long) submissions.undecided.size());
        counts.put("client retries (same Idempotency-Key)", submissions.retries.get());
        new TreeMap<>(submissions.retriedStatuses).forEach((status, n) -> counts.put("  retried after " + (status == 0 ? "no answer" : "HTTP " + status), n.get()));
        return submissions;
    }

    private static void submitOne(HttpClient http, StackProcess stack, SoakApp app, int i, WebhookReceiver receiver,
                                  Submissions submissions, AtomicInteger accepted, Instant deadline) {
        String body = "{\"model\":\"gen4_image\",\"promptText\":\"soak task " + i + "\",\"ratio\":\"1024:1024\","
                + "\"relay\":{\"callbackUrl\":\"" + receiver.url(app.index()) + "\",\"metadata\":{\"logical\":" + i + "}}}";
        String idempotencyKey = "soak-" + i;
        long backoff = 200;
        // A logical request waits for its definitive answer at most this long: a key wedged for good must not hang the soak.
        Instant giveUp = min(deadline, Instant.now().plus(Duration.ofMinutes(5)));
        while (Instant.now().isBefore(giveUp)) {
            int status;
            String answer;
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(stack.apiUrl().resolve("/v1/text_to_image"))
                        .timeout(Duration.ofSeconds(60))
                        .header("Authorization", "Bearer " + app.key()).header("X-Runway-Version", "2024-11-06")
                        .header("Content-Type", "application/json").header("Idempotency-Key", idempotencyKey)
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                status = response.statusCode();
                answer = response.body();
            } catch (IOException e) {
                status = 0;
                answer = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (status == 200) {
                String id;
                try {
                    id = JSON.readTree(answer).path("id").asText();
                } catch (IOException e) {
                    throw new UncheckedIOException("a 200 without a task object: " + answer, e);
                }
                submissions.idsSeen.computeIfAbsent(i, k -> ConcurrentHashMap.newKeySet()).add(id);
                if (submissions.acceptedTaskIds.putIfAbsent(i, id) == null) {
                    accepted.incrementAndGet();
                }
                return;
            }
            if (status >= 400 && status < 500 && status != 409 && status != 429) {
                submissions.rejected.put(i, status);
                System.err.println("soak: logical request " + i + " rejected " + status + ": " + answer);
                return;
            }
            submissions.retries.incrementAndGet();
            submissions.retriedStatuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
            sleep(backoff);
            backoff = Math.min(backoff * 2, 3000);
        }
        submissions.undecided.add(i);
    }

    /**
     * Waits until every accepted task is terminal and its webhook delivered or given up; returns the tasks.
     *
     * <p>Each round reads by key only a window of the tasks still open (the oldest first), and the whole table
     * only every {@link #SCAN_EVERY_ROUNDS} rounds and once every known task is done: a scan of a 10,000-task
     * table every round kept DynamoDB Local busy enough to starve the stack under test (the archive rate fell
     * from about 150 to 30 tasks a minute in the first 10,000-task run).
     */
    private static Map<String, Task> awaitQuiet(AwsEmulators aws, Submissions submissions, WebhookReceiver receiver, Instant deadline,
                                                StackProcess stack) {
        Set<String> open = new LinkedHashSet<>(submissions.acceptedTaskIds.values());
        Map<String, Task> lastRead = Map.of();
        int rounds = 0;
        while (Instant.now().isBefore(deadline)) {
            boolean scan = open.isEmpty() || rounds % SCAN_EVERY_ROUNDS == 0;
            if (scan) {
                Map<String, Task> all = readTasks(aws);
                Set<String> accepted = new HashSet<>(submissions.acceptedTaskIds.values());
                open.clear();
                accepted.stream().filter(id -> !done(all.get(id), receiver)).forEach(open::add);
                all.values().stream().filter(task -> !accepted.contains(task.id()) && !terminal(task)).map(Task::id)
                        .forEach(open::add);
                if (open.isEmpty()) {
                    return all;
                }
            } else {
                List<String> window = open.stream().limit(WINDOW).toList();
                Map<String, Task> read = readTasks(aws, window);
                lastRead = read;
                window.stream().filter(id -> done(read.get(id), receiver) || read.get(id) != null
                        && !submissions.acceptedTaskIds.containsValue(id) && terminal(read.get(id))).forEach(open::remove);
            }
            if (++rounds % 10 == 0) {
                System.err.println("soak: waiting for " + open.size() + " tasks (not terminal, or webhook not settled): "
                        + openKinds(open, lastRead));
            }
            stack.ensureRunning(deadline);
            sleep(2000);
        }
        return readTasks(aws);
    }

    /**
     * What the open tasks last read are waiting in, counted: state (and reason), webhook status and whether the last
     * create is still in flight. A progress line only, so a slow drain shows which recovery it waits for.
     */
    private static Map<String, Integer> openKinds(Set<String> open, Map<String, Task> lastRead) {
        Map<String, Integer> kinds = new TreeMap<>();
        for (String id : open) {
            Task task = lastRead.get(id);
            String reason = task == null || task.stateReason() == null ? ""
                    : "/" + task.stateReason().replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "<id>").replaceAll("\\d+", "#");
            String kind = task == null ? "not read yet" : task.state() + reason
                    + (task.lastAttempt() != null && task.lastAttempt().is(AttemptOutcome.IN_FLIGHT) ? " create in flight" : "")
                    + (task.webhook() == null ? "" : " webhook " + task.webhook().status());
            kinds.merge(kind, 1, Integer::sum);
        }
        return kinds;
    }

    private static final int SCAN_EVERY_ROUNDS = 30;
    private static final int WINDOW = 300;

    private static boolean done(Task task, WebhookReceiver receiver) {
        return task != null && terminal(task) && webhookSettled(task, receiver);
    }

    /** The tasks with these ids that exist, read by key (BatchGetItem, consistent). */
    static Map<String, Task> readTasks(AwsEmulators aws, List<String> ids) {
        Map<String, Task> tasks = new HashMap<>();
        for (int from = 0; from < ids.size(); from += 100) {
            List<Map<String, AttributeValue>> keys = ids.subList(from, Math.min(ids.size(), from + 100)).stream()
                    .map(id -> Map.of(TaskItems.PK, AttributeValue.fromS(TaskItems.KEY_PREFIX + id))).toList();
            Map<String, KeysAndAttributes> request = Map.of(aws.tableName(),
                    KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
            while (!request.isEmpty()) {
                BatchGetItemResponse response = aws.dynamoDb().batchGetItem(BatchGetItemRequest.builder().requestItems(request).build());
                response.responses().getOrDefault(aws.tableName(), List.of())
                        .forEach(item -> tasks.put(TaskItems.fromItem(item).id(), TaskItems.fromItem(item)));
                request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
            }
        }
        return tasks;
    }

    /** Terminal as the app sees it: a final state, or an ambiguous create shown as FAILED. */
    static boolean terminal(Task task) {
        return FINAL.contains(task.state()) || task.state() == TaskState.ACCEPTED && TaskCreation.AMBIGUOUS.equals(task.stateReason());
    }

    private static boolean webhookSettled(Task task, WebhookReceiver receiver) {
        if (task.request().callbackUrl() == null) {
            return true;
        }
        if (!receiver.deliveries(task.id()).isEmpty()) {
            return true;
        }
        return task.webhook() != null && (task.webhook().status() == DeliveryStatus.FAILED || task.webhook().status() == DeliveryStatus.DISABLED);
    }

    static Map<String, Task> readTasks(AwsEmulators aws) {
        Map<String, Task> tasks = new HashMap<>();
        rawTasks(aws).forEach(item -> {
            Task task = TaskItems.fromItem(item);
            tasks.put(task.id(), task);
        });
        return tasks;
    }

    /**
     * Up to ten tasks whose settlement ({@code settled#<task>} item) is missing or differs from what Runway charged
     * for its recorded creates, with their possible-orphan credits: where a ledger difference comes from.
     */
    private static List<String> settlementDiffs(AwsEmulators aws, Map<String, Task> tasks, Map<String, Long> chargedByTask,
                                                Map<String, Long> orphanCreditsByTask) {
        Map<String, Map<String, AttributeValue>> settlements = new HashMap<>();
        Map<String, AttributeValue> start = null;
        do {
            ScanRequest.Builder request = ScanRequest.builder().tableName(aws.tableName()).consistentRead(true)
                    .filterExpression("#t = :s").expressionAttributeNames(Map.of("#t", "type"))
                    .expressionAttributeValues(Map.of(":s", AttributeValue.fromS("settlement")));
            if (start != null) {
                request.exclusiveStartKey(start);
            }
            ScanResponse page = aws.dynamoDb().scan(request.build());
            page.items().forEach(item -> settlements.put(item.get("pk").s().substring("settled#".length()), item));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        List<String> diffs = new ArrayList<>();
        for (Task task : tasks.values()) {
            long runway = chargedByTask.getOrDefault(task.id(), 0L) - orphanCreditsByTask.getOrDefault(task.id(), 0L);
            Map<String, AttributeValue> settled = settlements.get(task.id());
            Long actual = settled == null || !settled.containsKey("actualCredits") ? null : Long.valueOf(settled.get("actualCredits").n());
            if (actual == null || actual != runway) {
                if (diffs.size() < 10) {
                    diffs.add(task.id() + " " + task.state() + (task.stateReason() == null ? "" : "/" + task.stateReason())
                            + " attempts " + task.runway().attempts().stream().map(Attempt::outcome).toList() + " settled "
                            + (actual == null ? "never" : actual) + " vs Runway " + runway + " (estimate " + task.request().estimatedCredits() + ")");
                }
            }
        }
        return diffs;
    }

    /** The logical request index in a task's request ("soak task N"). */
    private static Optional<Integer> logicalOf(Task task) {
        return Optional.ofNullable(logicalOf(task.request().json()));
    }

    private static Integer logicalOf(String requestJson) {
        if (requestJson == null) {
            return null;
        }
        Matcher m = LOGICAL.matcher(requestJson);
        return m.find() ? Integer.valueOf(m.group(1)) : null;
    }

    private static List<Map<String, AttributeValue>> rawTasks(AwsEmulators aws) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            ScanRequest.Builder request = ScanRequest.builder().tableName(aws.tableName()).consistentRead(true)
                    .filterExpression("#t = :task").expressionAttributeNames(Map.of("#t", "type"))
                    .expressionAttributeValues(Map.of(":task", AttributeValue.fromS("task")));
            if (start != null) {
                request.exclusiveStartKey(start);
            }
            ScanResponse page = aws.dynamoDb().scan(request.build());
            items.addAll(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }

    private static Map<String, Long> readLedger(AwsEmulators aws) {
        Map<String, Long> used = new HashMap<>();
        Map<String, AttributeValue> start = null;
        do {
            ScanRequest.Builder request = ScanRequest.builder().tableName(aws.tableName()).consistentRead(true)
                    .filterExpression("#t = :usage").expressionAttributeNames(Map.of("#t", "type"))
                    .expressionAttributeValues(Map.of(":usage", AttributeValue.fromS("usage")));
            if (start != null) {
                request.exclusiveStartKey(start);
            }
            ScanResponse page = aws.dynamoDb().scan(request.build());
            page.items().forEach(item -> used.merge(item.get("appId").s(),
                    item.containsKey("usedCredits") ? Long.parseLong(item.get("usedCredits").n()) : 0L, Long::sum));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return used;
    }

    private static List<Check> check(Settings settings, AwsEmulators aws, RunwaySimulator simulator, WebhookReceiver receiver,
                                     Submissions submissions, Map<String, Task> tasks, List<SoakApp> apps, Map<String, Long> counts,
                                     List<String> notes) throws Exception {
        List<Check> checks = new ArrayList<>();

        // 1. one task per logical request, every accepted task terminal
        long splitKeys = submissions.idsSeen.values().stream().filter(ids -> ids.size() > 1).count();
        long missing = submissions.acceptedTaskIds.values().stream().filter(id -> !tasks.containsKey(id)).count();
        long notTerminal = submissions.acceptedTaskIds.values().stream().filter(id -> tasks.containsKey(id) && !terminal(tasks.get(id))).count();
        Set<String> acceptedIds = new HashSet<>(submissions.acceptedTaskIds.values());
        long unacknowledged = tasks.keySet().stream().filter(id -> !acceptedIds.contains(id)).count();
        checks.add(new Check("every logical request got a definitive answer", submissions.undecided.isEmpty(),
                "undecided " + submissions.undecided.size() + " of " + settings.tasks()
                        + (submissions.undecided.isEmpty() ? "" : " (e.g. logical " + submissions.undecided.stream().sorted().limit(5).toList() + ")")));
        checks.add(new Check("one task per Idempotency-Key", splitKeys == 0 && unacknowledged == 0,
                "keys answered with more than one task id " + splitKeys + "; task records no client was answered with " + unacknowledged));
        checks.add(new Check("every accepted task terminal", missing == 0 && notTerminal == 0,
                "accepted " + acceptedIds.size() + ", terminal " + (acceptedIds.size() - missing - notTerminal) + ", not terminal " + notTerminal
                        + ", no record " + missing));
        Map<String, Long> byState = new TreeMap<>();
        tasks.values().forEach(task -> byState.merge(task.state() + (task.stateReason() == null ? "" : "/" + task.stateReason()), 1L, Long::sum));
        byState.forEach((state, n) -> counts.put("tasks " + state, n));
        Map<String, Long> failureCodes = new TreeMap<>();
        tasks.values().stream().filter(t -> t.failureCode() != null).forEach(t -> failureCodes.merge(t.failureCode(), 1L, Long::sum));
        failureCodes.forEach((code, n) -> counts.put("  failureCode " + code, n));

        // 2. every Runway create is on record: by its Runway id, or as an AMBIGUOUS attempt of the task it was for
        //    (a possible orphan, which the gateway reports and counts); per app, no task billed twice under `fail`
        Map<String, Integer> appIndex = new HashMap<>();
        submissions.acceptedTaskIds.forEach((logical, id) -> {
            Task task = tasks.get(id);
            if (task != null) {
                appIndex.put(task.appId(), submissions.appOf.get(logical));
            }
        });
        Map<Integer, String> taskOfLogical = new HashMap<>();
        tasks.values().forEach(task -> logicalOf(task).ifPresent(logical -> taskOfLogical.put(logical, task.id())));
        List<String> created = simulator.createdTaskIds();
        Map<String, String> taskOfRunwayId = new HashMap<>();
        long attempts = 0;
        long ambiguousAttempts = 0;
        for (Task task : tasks.values()) {
            for (Attempt attempt : task.runway().attempts()) {
                attempts++;
                if (attempt.is(AttemptOutcome.AMBIGUOUS)) {
                    ambiguousAttempts++;
                }
                if (attempt.runwayTaskId() != null) {
                    taskOfRunwayId.put(attempt.runwayTaskId(), task.id());
                }
            }
            if (task.runway().taskId() != null) {
                taskOfRunwayId.put(task.runway().taskId(), task.id());
            }
        }
        Set<String> createdSet = new HashSet<>(created);
        long unknownRecorded = taskOfRunwayId.keySet().stream().filter(id -> !createdSet.contains(id)).count();
        Map<String, Long> chargedByTask = new HashMap<>();
        Map<String, Integer> billedCreatesByTask = new HashMap<>();
        Map<String, Long> orphanCreditsByApp = new HashMap<>();
        Map<String, Long> orphanCreditsByTask = new HashMap<>();
        long orphansOnRecord = 0;
        long unaccounted = 0;
        long unaccountedCredits = 0;
        List<String> unaccountedExamples = new ArrayList<>();
        for (String runwayId : created) {
            SimulatedTask runwayTask = simulator.task(runwayId).orElseThrow();
            long charged = RunwaySimulator.chargedCredits(runwayTask);
            String taskId = taskOfRunwayId.get(runwayId);
            if (taskId == null) {
                Integer logical = logicalOf(runwayTask.requestBody());
                Task owner = logical == null ? null : tasks.get(taskOfLogical.get(logical));
                if (owner != null && owner.runway().attempts().stream().anyMatch(a -> a.is(AttemptOutcome.AMBIGUOUS))) {
                    orphansOnRecord++;
                    orphanCreditsByApp.merge(owner.appId(), charged, Long::sum);
                    orphanCreditsByTask.merge(owner.id(), charged, Long::sum);
                    taskId = owner.id();
                } else {
                    unaccounted++;
                    unaccountedCredits += charged;
                    if (unaccountedExamples.size() < 5) {
                        unaccountedExamples.add(runwayId + " (logical " + logical + ")");
                    }
                    continue;
                }
            }
            chargedByTask.merge(taskId, charged, Long::sum);
            if (charged > 0) {
                billedCreatesByTask.merge(taskId, 1, Integer::sum);
            }
        }
        counts.put("Runway creates (simulator)", (long) created.size());
        counts.put("create attempts recorded on task records", attempts);
        counts.put("  of which AMBIGUOUS", ambiguousAttempts);
        counts.put("Runway task ids recorded", (long) taskOfRunwayId.size());
        checks.add(new Check("every Runway create on record (no unseen orphan)", unaccounted == 0 && unknownRecorded == 0,
                "simulator created " + created.size() + "; recorded by id " + taskOfRunwayId.size() + "; created for an AMBIGUOUS attempt "
                        + "(possible orphan on record) " + orphansOnRecord + "; on no record " + unaccounted + " (" + unaccountedCredits
                        + " credits)" + (unaccountedExamples.isEmpty() ? "" : " e.g. " + unaccountedExamples)
                        + "; recorded but never created " + unknownRecorded));

        // 5 (with 2). per app: ledger == credits Runway charged for its tasks + possible orphans it counted; double billing by policy
        Map<String, Long> ledger = readLedger(aws);
        Map<String, Long> possibleOrphanCredits = new HashMap<>();
        rawTasks(aws).forEach(item -> {
            if (item.containsKey("possibleOrphanCredits")) {
                possibleOrphanCredits.merge(item.get("appId").s(), Long.parseLong(item.get("possibleOrphanCredits").n()), Long::sum);
            }
        });
        Map<String, Long> chargedByApp = new TreeMap<>();
        chargedByTask.forEach((taskId, charged) -> chargedByApp.merge(tasks.get(taskId).appId(), charged, Long::sum));
        Set<String> appIds = new TreeSet<>(appIndex.keySet());
        boolean ledgerHolds = true;
        boolean billingHolds = true;
        StringBuilder ledgerNumbers = new StringBuilder();
        StringBuilder billingNumbers = new StringBuilder();
        for (String appId : appIds) {
            SoakApp app = apps.get(appIndex.get(appId));
            long used = ledger.getOrDefault(appId, 0L);
            long charged = chargedByApp.getOrDefault(appId, 0L);
            long possible = possibleOrphanCredits.getOrDefault(appId, 0L);
            long realOrphans = orphanCreditsByApp.getOrDefault(appId, 0L);
            ledgerHolds &= used == charged - realOrphans + possible && realOrphans <= possible;
            ledgerNumbers.append(app).append(": ledger ").append(used).append(" = Runway charged ").append(charged - realOrphans)
                    .append(" + possible orphans ").append(possible).append(" (real orphans charged ").append(realOrphans).append("); ");
            long billedTwice = tasks.values().stream().filter(t -> t.appId().equals(appId))
                    .filter(t -> billedCreatesByTask.getOrDefault(t.id(), 0) > 1).count();
            long retried = tasks.values().stream().filter(t -> t.appId().equals(appId))
                    .filter(t -> t.runway().attempts().stream().anyMatch(a -> a.is(AttemptOutcome.AMBIGUOUS)) && t.runway().attempts().size() > 1).count();
            boolean appHolds = app.policy().equals("retry-once") && app.policyApplied() ? billedTwice <= retried : billedTwice == 0;
            billingHolds &= appHolds;
            billingNumbers.append(app).append(": tasks billed by two Runway tasks ").append(billedTwice)
                    .append(", tasks re-created after an ambiguous create ").append(retried).append("; ");
        }
        checks.add(new Check("no duplicate billing (none under fail; under retry-once only re-created ambiguous tasks, within the ledger)",
                billingHolds, billingNumbers.toString()));
        if (!ledgerHolds) {
            ledgerNumbers.append("tasks whose settlement differs from Runway's charge: ").append(settlementDiffs(aws, tasks, chargedByTask, orphanCreditsByTask));
        }
        checks.add(new Check("usage ledger == credits Runway charged + possible orphans counted, per app", ledgerHolds, ledgerNumbers.toString()));

        // 3. ARCHIVED outputs byte-exact with the simulator's
        long archived = 0;
        long files = 0;
        long exact = 0;
        long missingObjects = 0;
        List<String> mismatches = new ArrayList<>();
        for (Task task : tasks.values()) {
            if (task.state() != TaskState.ARCHIVED) {
                continue;
            }
            archived++;
            for (int index = 0; index < task.archive().records().size(); index++) {
                var record = task.archive().records().get(index);
                files++;
                byte[] stored;
                try {
                    stored = aws.s3().getObjectAsBytes(r -> r.bucket(aws.bucketName()).key(record.key())).asByteArray();
                } catch (NoSuchKeyException e) {
                    missingObjects++;
                    if (mismatches.size() < 5) {
                        mismatches.add(task.id() + "#" + index + " (no object at " + record.key() + ")");
                    }
                    continue;
                }
                String sha = sha256(stored);
                String expected = simulator.outputSha256(task.runway().taskId(), index);
                if (sha.equals(expected) && sha.equals(record.sha256()) && stored.length == record.size()) {
                    exact++;
                } else if (mismatches.size() < 5) {
                    mismatches.add(task.id() + "#" + index);
                }
            }
        }
        checks.add(new Check("ARCHIVED outputs byte-exact with the simulator", archived > 0 && exact == files,
                "archived tasks " + archived + ", files " + files + ", sha256 equal " + exact + ", object missing " + missingObjects + (mismatches.isEmpty() ? "" : ", e.g. " + mismatches)));

        // 4. no incomplete multipart upload
        int incomplete;
        try {
            incomplete = aws.s3().listMultipartUploads(r -> r.bucket(aws.bucketName())).uploads().size();
            checks.add(new Check("no incomplete multipart upload", incomplete == 0, "ListMultipartUploads: " + incomplete));
        } catch (RuntimeException e) {
            checks.add(new Check("no incomplete multipart upload", false, "ListMultipartUploads failed: " + e.getMessage()));
        }

        // 6. webhooks: one stable webhook-id per terminal task, delivered (verified signature) or recorded failed
        long withCallback = 0;
        long delivered = 0;
        long recordedFailed = 0;
        long unstable = 0;
        long neither = 0;
        long redeliveries = 0;
        for (Task task : tasks.values()) {
            if (!terminal(task) || task.request().callbackUrl() == null) {
                continue;
            }
            withCallback++;
            List<WebhookReceiver.Delivery> got = receiver.deliveries(task.id());
            Set<String> ids = new HashSet<>();
            got.forEach(d -> ids.add(d.webhookId()));
            if (!got.isEmpty()) {
                delivered++;
                redeliveries += got.size() - 1;
                if (ids.size() != 1 || task.webhook() != null && !ids.contains(task.webhook().messageId())) {
                    unstable++;
                }
            } else if (task.webhook() != null && (task.webhook().status() == DeliveryStatus.FAILED || task.webhook().status() == DeliveryStatus.DISABLED)) {
                recordedFailed++;
            } else {
                neither++;
            }
        }
        checks.add(new Check("every terminal task's webhook delivered with one stable webhook-id, or recorded failed",
                unstable == 0 && neither == 0 && receiver.rejected() == 0,
                "terminal with callback " + withCallback + ", delivered " + delivered + " (repeat deliveries " + redeliveries
                        + "), recorded failed " + recordedFailed + ", neither " + neither + ", more than one webhook-id " + unstable
                        + ", bad signatures " + receiver.rejected()));
        return checks;
    }

    /**
     * The notifier's webhook claim lease in the soak's stack: the shortest allowed (twice the 15 s send timeout)
     * instead of 2 minutes. A claim write that DynamoDB applied but whose answer a fault dropped leaves the claim
     * looking like another run's, and the drain then waited out the whole lease for that one webhook; the lease
     * still outlasts any send, so no two runs ever send one attempt at once.
     */
    static final String WEBHOOK_CLAIM_LEASE_SECONDS = "30";

    /**
     * The poller's in-flight grace in the soak's stack: the shortest allowed (the submit function's own 60 s hold on a
     * task it is creating) instead of 2 minutes. When the SIGKILL lands while a create is in flight, the drain otherwise
     * waited 2 minutes from that create's start before the poller took the task up again (and found it ambiguous or
     * created); the grace still outlasts any create a live submit or poller may have in flight.
     */
    static final String IN_FLIGHT_GRACE_SECONDS = "60";

    /** The stack as a child JVM: {@code RelayCli local} on a fixed data folder and API port. */
    static final class StackProcess {
        private final Path dataDir;
        private final Path log;
        private final int apiPort;
        private final List<String> command;
        private final Map<String, String> environment;
        private volatile Process process;
        private int kills;

        StackProcess(Path dataDir, Path log, int apiPort, URI simulator, String simulatorKey, URI dynamo, URI s3, String accessKey,
                     String secretKey, String heap) {
            this.dataDir = dataDir;
            this.log = log;
            this.apiPort = apiPort;
            this.command = List.of(javaBin(), "-Xmx" + heap, "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), "com.runwayrelay.local.RelayCli", "local",
                    "--data-dir", dataDir.toString(), "--port", Integer.toString(apiPort), "--poll-interval", "500ms",
                    "--simulator-url", simulator.toString(), "--dynamodb-endpoint", dynamo.toString(), "--s3-endpoint", s3.toString());
            this.environment = Map.of("RUNWAY_SIM_API_KEY", simulatorKey, "RELAY_AWS_ACCESS_KEY_ID", accessKey,
                    "RELAY_AWS_SECRET_ACCESS_KEY", secretKey, "RELAY_WEBHOOK_CLAIM_LEASE_SECONDS", WEBHOOK_CLAIM_LEASE_SECONDS,
                    "RELAY_POLLER_IN_FLIGHT_GRACE_SECONDS", IN_FLIGHT_GRACE_SECONDS);
        }

        URI apiUrl() {
            return URI.create("http://127.0.0.1:" + apiPort);
        }

        int kills() {
            return kills;
        }

        /** Starts the stack and waits until it has written its {@code stack.json}; a start that fails is tried again. */
        synchronized void start(Instant deadline) {
            while (Instant.now().isBefore(deadline)) {
                Process started = launch(command, environment);
                process = started;
                boolean up = awaitOrDeath(() -> stackFileOf(started.pid()), started, deadline);
                if (up) {
                    return;
                }
                System.err.println("soak: the stack exited during start (status " + started.exitValue() + "); starting it again");
            }
            throw new IllegalStateException("the stack did not start before the deadline; see " + log);
        }

        synchronized void ensureRunning(Instant deadline) {
            if (process != null && !process.isAlive()) {
                System.err.println("soak: the stack died on its own (status " + process.exitValue() + "); restarting it");
                start(deadline);
            }
        }

        /** SIGKILL: no shutdown hook runs, nothing is flushed or closed. */
        synchronized void kill() {
            Process running = process;
            running.destroyForcibly();
            try {
                running.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            kills++;
            System.err.println("soak: SIGKILL stack pid " + running.pid() + " (exit " + running.exitValue() + ")");
        }

        /** For a shutdown hook: no lock (a stuck start may hold it), no waiting. */
        void destroyNow() {
            Process running = process;
            if (running != null) {
                running.destroyForcibly();
            }
        }

        synchronized void stop() {
            if (process != null && process.isAlive()) {
                process.destroy();
                try {
                    if (!process.waitFor(30, TimeUnit.SECONDS)) {
                        process.destroyForcibly().waitFor();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /** Creates an app through {@code ./relay apps create}, with the policy if the CLI knows the option. */
        SoakApp createApp(int index, String policy, int tasks) {
            List<String> base = new ArrayList<>(command.subList(0, command.indexOf("local")));
            base.addAll(List.of("apps", "create", "--name", "soak-" + index + "-" + policy, "--daily-budget", Long.toString(tasks * 100L),
                    "--max-active", Integer.toString(Math.max(50, tasks))));
            boolean applied = false;
            CliResult result;
            if (!policy.equals("default")) {
                List<String> withPolicy = new ArrayList<>(base);
                withPolicy.addAll(List.of("--ambiguous-create", policy));
                result = runCli(withPolicy);
                applied = result.status() == 0;
                if (result.status() != 0 && result.status() != 2) {
                    throw new IllegalStateException("./relay apps create failed: " + result.err());
                }
                if (!applied) {
                    result = runCli(base);
                }
            } else {
                result = runCli(base);
            }
            if (result.status() != 0) {
                throw new IllegalStateException("./relay apps create failed: " + result.err());
            }
            String key = result.out().strip();
            String errors = result.err();
            String secret = errors.lines().filter(line -> line.startsWith("Webhook signing secret: "))
                    .map(line -> line.substring("Webhook signing secret: ".length()).strip()).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no webhook secret in: " + errors));
            return new SoakApp(index, policy, applied || policy.equals("default"), key, secret);
        }

        private record CliResult(int status, String out, String err) {
        }

        private CliResult runCli(List<String> cli) {
            try {
                ProcessBuilder builder = new ProcessBuilder(cli);
                builder.environment().putAll(environment);
                builder.environment().put("RELAY_DATA_DIR", dataDir.toString());
                Process cliProcess = builder.start();
                Future<String> err;
                try (ExecutorService reader = Executors.newSingleThreadExecutor()) {
                    err = reader.submit(() -> new String(cliProcess.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
                    String out = new String(cliProcess.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    int status = cliProcess.waitFor();
                    return new CliResult(status, out, err.get());
                }
            } catch (Exception e) {
                throw new IllegalStateException("cannot run ./relay apps", e);
            }
        }

        private Process launch(List<String> cli, Map<String, String> env) {
            try {
                ProcessBuilder builder = new ProcessBuilder(cli).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
                builder.environment().putAll(env);
                return builder.start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the stack", e);
            }
        }

        private boolean stackFileOf(long pid) {
            Path file = dataDir.resolve("stack.json");
            try {
                return Files.exists(file) && JSON.readTree(file.toFile()).path("pid").asLong() == pid;
            } catch (IOException e) {
                return false;
            }
        }

        private static boolean awaitOrDeath(BooleanSupplier condition, Process process, Instant deadline) {
            while (Instant.now().isBefore(deadline)) {
                if (condition.getAsBoolean()) {
                    return true;
                }
                if (!process.isAlive()) {
                    return false;
                }
                sleep(100);
            }
            return false;
        }

        private static String javaBin() {
            return Path.of(System.getProperty("java.home"), "bin", "java").toString();
        }
    }

    private static void await(BooleanSupplier condition, Instant deadline, String what) {
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("gave up waiting for " + what);
            }
            sleep(50);
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private FaultSoak() {
    }
}
