package com.runwayrelay.local;

import com.runwayrelay.aws.dynamodb.DynamoDbTaskRepository;
import com.runwayrelay.bench.coldstart.FirstInvocation;
import com.runwayrelay.domain.ArchiveRecord;
import com.runwayrelay.domain.DueShards;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskState;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Cold start per function (issue #20): a fresh JVM with the java21 Lambda runtime's JIT flags loads the
 * function from its own {@code function.zip} and handles its first event against the local stack's
 * emulators and Runway simulator (in this JVM, started once and not timed).
 *
 * <p>Each run spawns {@link FirstInvocation} with only the unpacked zip and the runtime's serializer on its
 * classpath and the function's environment as the local stack resolves it from {@code template.yaml}
 * (the Runway key is given directly there: no Secrets Manager call is timed). Measured from the instant
 * before the process is spawned: JVM start to {@code main}, to init done (handler constructed), to the
 * first event handled (event read, handled, response serialized).
 *
 * <p>Arguments ({@code name=value}): {@code runs} (default 7), {@code functions} (comma-separated, default
 * all six), {@code jvmArgs} (default the runtime's {@code -XX:+TieredCompilation -XX:TieredStopAtLevel=1
 * -XX:+UseSerialGC -Xshare:auto}, space-separated; the function's {@code JAVA_TOOL_OPTIONS} from the
 * template applies on top, as in Lambda), {@code restore} (default false: with true, each child runs the function's
 * SnapStart hooks between init and the first event, {@code beforeCheckpoint} then {@code afterRestore}, in
 * process: a proxy for the first request after a restore, since this JVM takes no snapshot), {@code cds} (default
 * {@code off}; {@code app}: the function's own classes and the runner are packed into jars, as class-data sharing needs,
 * one untimed training run per function dumps an application class-data archive at its exit
 * ({@code -XX:ArchiveClassesAtExit}, which JDK 21 has, as a container image's build would), and every timed run maps it
 * ({@code -XX:SharedArchiveFile}, {@code -Xshare:on}: a run that cannot use it fails instead of running without);
 * {@code aot}: the same with the ahead-of-time cache of JDK 24 and later, {@code -XX:AOTCacheOutput} then
 * {@code -XX:AOTCache} with {@code -XX:AOTMode=on}, a data point only: the java21 runtime has no such cache). Every child gets
 * {@code AWS_EXECUTION_ENV} as the Lambda runtime sets it and {@code org.crac} pointed at the benchmark's
 * stand-in ({@link #CRAC_COMPAT}), with or without {@code restore}. Status reads the task the submit runs created, or,
 * run without submit before it, a finished task stored for the purpose ({@link #storeFinishedTask}). Each notifier
 * run's first event is a fresh archived task stored with a callback to the benchmark's loopback receiver
 * ({@link #storeDeliverableTask}), so it delivers one real webhook, signed with the dev app's secret (a run that sends
 * none fails). Besides the
 * instants it reports the child's CPU time until handled and that of the first event alone. Run from the repository
 * root after {@code package}.
 */
public final class ColdStartBenchmark {
    static final String DEFAULT_JVM_ARGS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto";
    static final List<String> ALL = List.of("submit", "status", "admin", "poller", "notifier", "archiver");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The task id and app key of the sample events in events/, replaced by live ones. */
    private static final String SAMPLE_TASK = "0b6f3d1e-4c2a-4f8e-9d3b-7a1c2e5f6a90";
    private static final String SAMPLE_KEY = "rr_0123456789abcdef0123456789abcdef0123456789abcdef";
    /**
     * The submit event's {@code Idempotency-Key}, replaced by a fresh one in every run: with the sample's own key
     * every run after the first would be answered from the stored response (a replay, no task written, no Runway
     * call) instead of handling a new submit.
     */
    static final String SAMPLE_IDEMPOTENCY_KEY = "3f0c6a7e-8a61-4c2f-9a7e-0c1d2e3f4a5b";

    /**
     * One run's instants, in microseconds after the spawn, and the child's CPU time until handled (ms; -1 unknown);
     * {@code toRestored} is {@code toInit} and {@code primed} 0 unless the run had {@code restore} on ({@code primed}:
     * checkpoint hooks notified); {@code cpuBeforeEvent} is the child's CPU time at {@code toRestored} (ms; -1 unknown).
     */
    record Run(String function, long toMain, long toInit, long toHandled, long cpuMillis, String response, long toRestored,
               int primed, long cpuBeforeEvent) {
        Run(String function, long toMain, long toInit, long toHandled, long cpuMillis, String response) {
            this(function, toMain, toInit, toHandled, cpuMillis, response, toInit, 0, -1);
        }

        /** The CPU time of the first event alone (ms), from the end of init or of the hooks; -1 unknown. */
        long firstEventCpuMillis() {
            return cpuMillis < 0 || cpuBeforeEvent < 0 ? -1 : cpuMillis - cpuBeforeEvent;
        }
    }

    /**
     * What makes {@code org.crac} in the child hand registrations to the benchmark's stand-in (as the Lambda runtime's
     * own property hands them to the runtime), and what the Lambda runtime sets in every function's environment.
     */
    static final List<String> CRAC_COMPAT = List.of("-Dorg.crac.Core.Compat=" + com.runwayrelay.bench.coldstart.crac.Core.class.getPackageName());
    static final Map<String, String> LAMBDA_RUNTIME_ENV = Map.of("AWS_EXECUTION_ENV", "AWS_Lambda_java21");

    private ColdStartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            options.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        int runs = Integer.parseInt(options.getOrDefault("runs", "7"));
        List<String> functions = List.of(options.getOrDefault("functions", String.join(",", ALL)).split(","));
        List<String> jvmArgs = List.of(options.getOrDefault("jvmArgs", DEFAULT_JVM_ARGS).trim().split("\\s+"));
        boolean restore = Boolean.parseBoolean(options.getOrDefault("restore", "false"));
        String cds = options.getOrDefault("cds", "off");
        if (!List.of("off", "app", "aot").contains(cds)) {
            throw new IllegalArgumentException("cds must be off, app or aot, not '" + cds + "'");
        }
        System.out.println("runs=" + runs + " functions=" + functions + " jvmArgs=" + jvmArgs + " restore=" + restore
                + " cds=" + cds + " java=" + System.getProperty("java.version"));
        Map<String, List<Run>> results = measure(Path.of(""), functions, runs, jvmArgs, restore, cds, System.out);
        System.out.println();
        System.out.println("| function | JVM start → main (median / p90) | → init done | → first event handled | init only | first invoke only | CPU until handled | CPU of first invoke |"
                + (restore ? " checkpoint hooks | hooks notified |" : ""));
        System.out.println("|---|---|---|---|---|---|---|---|" + (restore ? "---|---|" : ""));
        for (Map.Entry<String, List<Run>> entry : results.entrySet()) {
            List<Run> list = entry.getValue();
            System.out.println("| " + entry.getKey()
                    + " | " + stat(list.stream().mapToLong(Run::toMain).toArray())
                    + " | " + stat(list.stream().mapToLong(Run::toInit).toArray())
                    + " | " + stat(list.stream().mapToLong(Run::toHandled).toArray())
                    + " | " + stat(list.stream().mapToLong(r -> r.toInit() - r.toMain()).toArray())
                    + " | " + stat(list.stream().mapToLong(r -> r.toHandled() - r.toRestored()).toArray())
                    + " | " + stat(list.stream().mapToLong(r -> r.cpuMillis() * 1000).toArray())
                    + " | " + stat(list.stream().mapToLong(r -> r.firstEventCpuMillis() * 1000).toArray()) + " |"
                    + (restore ? " " + stat(list.stream().mapToLong(r -> r.toRestored() - r.toInit()).toArray()) + " | "
                            + list.stream().mapToInt(Run::primed).max().orElse(0) + " |" : ""));
        }
    }

    /**
     * Starts an in-memory local stack, then runs each function {@code runs} times in fresh JVMs.
     *
     * @throws IllegalStateException naming the function when a child fails (exit status, no result line) or its
     *     response says the event was not handled
     */
    static Map<String, List<Run>> measure(Path repo, List<String> functions, int runs, List<String> jvmArgs, PrintStream progress)
            throws IOException, InterruptedException {
        return measure(repo, functions, runs, jvmArgs, false, progress);
    }

    /**
     * As {@link #measure(Path, List, int, List, PrintStream)}; with {@code restore} each child runs the function's SnapStart
     * hooks after init ({@link FirstInvocation#RESTORE}) and "first invoke only" is timed from their end.
     */
    static Map<String, List<Run>> measure(Path repo, List<String> functions, int runs, List<String> jvmArgs, boolean restore,
                                          PrintStream progress) throws IOException, InterruptedException {
        return measure(repo, functions, runs, jvmArgs, restore, "off", progress);
    }

    /**
     * As {@link #measure(Path, List, int, List, boolean, PrintStream)}; with {@code cds} {@code app} or {@code aot} each
     * function first has one untimed training run that writes a class-data archive or ahead-of-time cache, which every
     * timed run then must map.
     */
    static Map<String, List<Run>> measure(Path repo, List<String> functions, int runs, List<String> jvmArgs, boolean restore,
                                          String cds, PrintStream progress) throws IOException, InterruptedException {
        List<String> childArgs = new ArrayList<>(jvmArgs);
        if (restore) {
            childArgs.add("-D" + FirstInvocation.RESTORE + "=true");
        }
        Path work = Files.createTempDirectory("cold-start");
        try (WebhookReceiver webhooks = WebhookReceiver.start();
             LocalStack stack = LocalStack.start(StackOptions.ephemeral(), new StackLog(new PrintStream(PrintStream.nullOutputStream()),
                StackLog.Level.QUIET))) {
            Path runner = runnerClasses(work.resolve("runner"));
            if (!cds.equals("off")) {
                // Class-data sharing archives classes from jars only: a folder on the class path stops the dump.
                runner = jar(runner, work.resolve("runner.jar"));
            }
            Path serializer = codeSource(LambdaEventSerializers.class);
            Map<String, Integer> memory = new LinkedHashMap<>();
            StackTemplate.fromClasspath().functions().forEach(spec -> memory.put(spec.logicalId(), spec.memoryMb()));
            String taskId = null;
            java.util.Set<String> submitted = new java.util.HashSet<>();
            Map<String, List<Run>> results = new LinkedHashMap<>();
            for (String function : functions) {
                String logicalId = Character.toUpperCase(function.charAt(0)) + function.substring(1) + "Function";
                Map<String, String> env = stack.environments().get(logicalId);
                if (env == null) {
                    throw new IllegalArgumentException("no function " + logicalId + " in template.yaml");
                }
                Path code = unzip(repo.resolve("functions/" + function + "/target/function.zip"), work.resolve(function));
                if (function.equals("status") && taskId == null) {
                    // No submit ran before: the status read gets a finished task of the dev app, stored as the stack stores one.
                    taskId = storeFinishedTask(stack, env);
                }
                Event event = event(repo, function, stack.devApp().key(), taskId);
                List<String> runArgs = childArgs;
                if (!cds.equals("off")) {
                    packTopLevel(code);
                    boolean aot = cds.equals("aot");
                    Path archive = work.resolve(function + (aot ? ".aot" : ".jsa"));
                    // The ahead-of-time cache refuses any -Xshare option next to it (it implies class-data sharing).
                    List<String> base = childArgs.stream().filter(a -> !(aot && a.startsWith("-Xshare"))).toList();
                    List<String> training = new ArrayList<>(base);
                    training.add((aot ? "-XX:AOTCacheOutput=" : "-XX:ArchiveClassesAtExit=") + archive);
                    Event first = function.equals("notifier")
                            ? event(repo, function, stack.devApp().key(), storeDeliverableTask(stack, env, webhooks.url())) : event;
                    Run trained = runOnce(function, code, runner, serializer, env, memory.getOrDefault(logicalId, 512), training,
                            first, work);
                    if (!succeeded(function, trained.response()) || !Files.isRegularFile(archive)) {
                        throw new IllegalStateException(function + ": the training run left no class-data archive: " + trained.response());
                    }
                    progress.printf("%s training run: handled %.0f ms, archive %d bytes%n", function, trained.toHandled() / 1e3,
                            Files.size(archive));
                    runArgs = new ArrayList<>(base);
                    runArgs.addAll(aot ? List.of("-XX:AOTCache=" + archive, "-XX:AOTMode=on")
                            : List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:on"));
                }
                List<Run> list = new ArrayList<>();
                for (int i = 0; i < runs; i++) {
                    long webhooksBefore = webhooks.count();
                    if (function.equals("notifier")) {
                        // Each run's first event delivers a real webhook: a fresh archived task with a callback to
                        // the benchmark's loopback receiver, which the run before it has not delivered yet.
                        event = event(repo, function, stack.devApp().key(),
                                storeDeliverableTask(stack, env, webhooks.url()));
                    }
                    if (webhooks.count() != webhooksBefore) {
                        throw new IllegalStateException("notifier run " + (i + 1) + ": a webhook arrived before the run");
                    }
                    Run run = runOnce(function, code, runner, serializer, env, memory.getOrDefault(logicalId, 512), runArgs, event,
                            work);
                    if (!succeeded(function, run.response())) {
                        throw new IllegalStateException(function + ": the first event was not handled: " + run.response());
                    }
                    if (function.equals("notifier") && webhooks.count() != webhooksBefore + 1) {
                        throw new IllegalStateException("notifier run " + (i + 1) + " sent no webhook: " + run.response());
                    }
                    list.add(run);
                    progress.printf("%s run %d: main %.0f ms, init %.0f ms, handled %.0f ms, CPU %d ms (first invoke %d ms)%n",
                            function, i + 1, run.toMain() / 1e3, run.toInit() / 1e3, run.toHandled() / 1e3, run.cpuMillis(),
                            run.firstEventCpuMillis());
                    if (restore) {
                        progress.printf("%s run %d: checkpoint hooks %.0f ms (%d notified), first invoke after them %.0f ms%n",
                                function, i + 1, (run.toRestored() - run.toInit()) / 1e3, run.primed(),
                                (run.toHandled() - run.toRestored()) / 1e3);
                    }
                    if (function.equals("submit")) {
                        String id = JSON.readTree(JSON.readTree(run.response()).path("body").asText()).path("id").asText();
                        if (!submitted.add(id)) {
                            throw new IllegalStateException("submit run " + (i + 1) + " answered with task " + id
                                    + " of an earlier run (a replay, not a new submit)");
                        }
                        taskId = taskId == null ? id : taskId;
                    }
                }
                results.put(function, list);
            }
            return results;
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * Stores an archived image task of the stack's dev app with one output (the object itself is not needed: a read
     * only signs a link to it), so that a status read without a submit before it finds a finished task.
     *
     * @return the task's id
     */
    static String storeFinishedTask(LocalStack stack, Map<String, String> env) {
        String id = UUID.randomUUID().toString();
        String app = stack.devApp().appId();
        int shards = Integer.parseInt(env.getOrDefault("RELAY_DUE_SHARDS", String.valueOf(DueShards.DEFAULT)));
        new DynamoDbTaskRepository(stack.aws().dynamoDb(), stack.aws().tableName(), shards).insert(
                Task.accepted(id, app, "text_to_image", "gen4_image",
                                "{\"model\":\"gen4_image\",\"promptText\":\"A lighthouse\",\"ratio\":\"1920:1080\"}", 8, Instant.now())
                        .state(TaskState.ARCHIVED).runwayTaskId(UUID.randomUUID().toString()).actualCredits(8L)
                        .archive(List.of(new ArchiveRecord("outputs/" + app + "/" + id + "/0.png", 1_048_576, "ab".repeat(32),
                                "image/png")))
                        .build());
        return id;
    }

    /**
     * Stores an archived image task of the stack's dev app with one output and a callback to {@code callback}, not yet
     * delivered, so that the notifier's first event sends a real webhook (signed with the dev app's secret).
     *
     * @return the task's id
     */
    static String storeDeliverableTask(LocalStack stack, Map<String, String> env, java.net.URI callback) {
        String id = UUID.randomUUID().toString();
        String app = stack.devApp().appId();
        int shards = Integer.parseInt(env.getOrDefault("RELAY_DUE_SHARDS", String.valueOf(DueShards.DEFAULT)));
        new DynamoDbTaskRepository(stack.aws().dynamoDb(), stack.aws().tableName(), shards).insert(
                Task.accepted(id, app, "text_to_image", "gen4_image",
                                "{\"model\":\"gen4_image\",\"promptText\":\"A lighthouse\",\"ratio\":\"1920:1080\"}", 8, Instant.now())
                        .state(TaskState.ARCHIVED).runwayTaskId(UUID.randomUUID().toString()).actualCredits(8L)
                        .callbackUrl(callback.resolve("/hooks/" + id).toString())
                        // Out of the due index, so the stack's poller leaves it alone; and an insert passes none of
                        // the notifier's stream filters, so the stack's own notifier does not deliver it first.
                        .dueAt(null)
                        .archive(List.of(new ArchiveRecord("outputs/" + app + "/" + id + "/0.png", 1_048_576, "ab".repeat(32),
                                "image/png")))
                        .build());
        return id;
    }

    /** A webhook receiver on loopback for the notifier's runs: answers 204 to every POST and counts them. */
    static final class WebhookReceiver implements AutoCloseable {
        private final com.sun.net.httpserver.HttpServer server;
        private final java.util.concurrent.atomic.AtomicLong count = new java.util.concurrent.atomic.AtomicLong();

        private WebhookReceiver(com.sun.net.httpserver.HttpServer server) {
            this.server = server;
        }

        static WebhookReceiver start() throws IOException {
            com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                    new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
            WebhookReceiver receiver = new WebhookReceiver(server);
            server.createContext("/hooks/", exchange -> {
                try (exchange) {
                    exchange.getRequestBody().readAllBytes();
                    receiver.count.incrementAndGet();
                    exchange.sendResponseHeaders(204, -1);
                }
            });
            server.start();
            return receiver;
        }

        java.net.URI url() {
            return java.net.URI.create("http://" + server.getAddress().getAddress().getHostAddress() + ":"
                    + server.getAddress().getPort() + "/");
        }

        long count() {
            return count.get();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** The handler, event type and event file of one function's first invocation. */
    record Event(String handler, String type, String json) {
    }

    static Event event(Path repo, String function, String appKey, String taskId) throws IOException {
        String file = switch (function) {
            case "submit" -> "events/submit/apigw-text-to-image.json";
            case "status" -> "events/status/apigw-get-task.json";
            case "admin" -> "events/admin/apigw-list-tasks.json";
            case "poller" -> "events/poller/scheduler-every-minute.json";
            case "notifier" -> "events/notifier/dynamodb-task-archived.json";
            case "archiver" -> "events/archiver/dynamodb-output-ready.json";
            default -> throw new IllegalArgumentException("unknown function " + function);
        };
        String type = switch (function) {
            case "submit", "status", "admin" -> "com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent";
            case "poller" -> "com.amazonaws.services.lambda.runtime.events.ScheduledEvent";
            default -> "com.amazonaws.services.lambda.runtime.events.DynamodbEvent";
        };
        String handler = "com.runwayrelay." + function + "." + Character.toUpperCase(function.charAt(0)) + function.substring(1) + "Handler";
        String json = Files.readString(repo.resolve(file), StandardCharsets.UTF_8).replace(SAMPLE_KEY, appKey);
        if (taskId != null) {
            json = json.replace(SAMPLE_TASK, taskId);
        }
        return new Event(handler, type, json);
    }

    static Run runOnce(String function, Path code, Path runner, Path serializer, Map<String, String> env, int memoryMb,
                       List<String> jvmArgs, Event event, Path work) throws IOException, InterruptedException {
        Path eventFile = work.resolve(function + "-event.json");
        Files.writeString(eventFile, event.json().replace(SAMPLE_IDEMPOTENCY_KEY, UUID.randomUUID().toString()),
                StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.addAll(CRAC_COMPAT);
        // The runtime caps the heap at about 85 % of the function's memory.
        command.add("-Xmx" + (memoryMb * 85 / 100) + "m");
        command.add("-cp");
        List<String> classPath = new ArrayList<>(List.of(runner.toString(), serializer.toString()));
        try (Stream<Path> top = Files.list(code)) {
            if (top.anyMatch(p -> !p.getFileName().toString().equals("lib"))) {
                classPath.add(code.toString()); // left off once packTopLevel moved its classes into lib/function.jar
            }
        }
        classPath.add(code.resolve("lib").toString() + java.io.File.separator + "*");
        command.add(String.join(java.io.File.pathSeparator, classPath));
        command.add(FirstInvocation.class.getName());
        command.add(event.handler());
        command.add(event.type());
        command.add(eventFile.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(env);
        builder.environment().put("AWS_LAMBDA_FUNCTION_NAME", function);
        builder.environment().putAll(LAMBDA_RUNTIME_ENV);
        Path output = work.resolve(function + "-out.txt");
        builder.redirectOutput(output.toFile());
        long spawned = FirstInvocation.micros(Instant.now());
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(function + ": first invocation did not end within 120 s");
        }
        String out = Files.readString(output, StandardCharsets.UTF_8);
        String line = out.lines().filter(l -> l.startsWith("first-invocation ")).reduce((a, b) -> b).orElse(null);
        if (process.exitValue() != 0 || line == null) {
            throw new IllegalStateException(function + ": the function failed to load or handle its event (exit "
                    + process.exitValue() + "):\n" + out);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        String rest = line.substring("first-invocation ".length());
        int responseAt = rest.indexOf(" response=");
        for (String pair : rest.substring(0, responseAt).split(" ")) {
            fields.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }
        Run run = new Run(function, Long.parseLong(fields.get("main")) - spawned, Long.parseLong(fields.get("init")) - spawned,
                Long.parseLong(fields.get("handled")) - spawned, Long.parseLong(fields.getOrDefault("cpu", "-1")),
                rest.substring(responseAt + " response=".length()));
        return withRestore(run, out, spawned);
    }

    /** {@code run} with the instant and count of its checkpoint hooks, from the child's {@code first-invocation-restore} line. */
    private static Run withRestore(Run run, String out, long spawned) {
        String line = out.lines().filter(l -> l.startsWith("first-invocation-restore ")).reduce((a, b) -> b).orElse(null);
        if (line == null) {
            return run;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : line.substring("first-invocation-restore ".length()).trim().split(" ")) {
            fields.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }
        return new Run(run.function(), run.toMain(), run.toInit(), run.toHandled(), run.cpuMillis(), run.response(),
                Long.parseLong(fields.get("restored")) - spawned, Integer.parseInt(fields.get("primed")),
                Long.parseLong(fields.getOrDefault("cpu", "-1")));
    }

    /** Whether a first invocation's response says the event was handled (2xx, no failed batch items). */
    static boolean succeeded(String function, String response) throws IOException {
        JsonNode node = JSON.readTree(response);
        return switch (function) {
            case "submit", "status", "admin" -> node.path("statusCode").asInt() / 100 == 2;
            case "poller" -> node.isObject();
            default -> node.path("batchItemFailures").isArray() && node.path("batchItemFailures").isEmpty();
        };
    }

    /** Copies the runner's class files (its whole nest) into {@code dir}, from a folder or a jar alike. */
    private static Path runnerClasses(Path dir) throws IOException {
        List<Class<?>> types = new ArrayList<>(List.of(FirstInvocation.class.getNestMembers()));
        // The checkpoint stand-in org.crac is pointed at (CRAC_COMPAT).
        for (Class<?> crac : List.of(com.runwayrelay.bench.coldstart.crac.Core.class, com.runwayrelay.bench.coldstart.crac.Context.class,
                com.runwayrelay.bench.coldstart.crac.Resource.class, com.runwayrelay.bench.coldstart.crac.CheckpointException.class,
                com.runwayrelay.bench.coldstart.crac.RestoreException.class)) {
            types.addAll(List.of(crac.getNestMembers()));
        }
        for (Class<?> type : types) {
            String file = type.getName().replace('.', '/') + ".class";
            Path target = dir.resolve(file);
            Files.createDirectories(target.getParent());
            try (java.io.InputStream in = FirstInvocation.class.getClassLoader().getResourceAsStream(file)) {
                if (in == null) {
                    throw new IllegalStateException(file + " is not on the classpath");
                }
                Files.copy(in, target);
            }
        }
        return dir;
    }

    /** Packs the folder {@code dir} into the jar {@code target}; returns the jar. */
    static Path jar(Path dir, Path target) throws IOException {
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(target));
             Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new ZipEntry(dir.relativize(file).toString().replace(java.io.File.separatorChar, '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
        return target;
    }

    /**
     * Moves everything of an unpacked function zip except {@code lib/} into {@code lib/function.jar}, which the
     * child's {@code lib/*} then puts on the class path (and the top-level folder, holding only {@code lib/}, is left
     * off it).
     */
    static void packTopLevel(Path code) throws IOException {
        Path staging = code.resolveSibling(code.getFileName() + "-classes");
        Files.createDirectories(staging);
        try (Stream<Path> top = Files.list(code)) {
            for (Path entry : top.filter(p -> !p.getFileName().toString().equals("lib")).toList()) {
                Files.move(entry, staging.resolve(entry.getFileName()));
            }
        }
        Files.createDirectories(code.resolve("lib"));
        jar(staging, code.resolve("lib").resolve("function.jar"));
    }

    private static Path codeSource(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path unzip(Path zip, Path dir) throws IOException {
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException(zip + " was not built (run ./mvnw package first)");
        }
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                Path target = dir.resolve(entry.getName()).normalize();
                if (!target.startsWith(dir)) {
                    throw new IOException("entry outside the folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target);
                }
            }
        }
        return dir;
    }

    private static String stat(long[] micros) {
        long[] sorted = micros.clone();
        java.util.Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2.0;
        long p90 = sorted[(int) Math.ceil(0.9 * sorted.length) - 1];
        return String.format("%.0f / %.0f ms", median / 1e3, p90 / 1e3);
    }
}
