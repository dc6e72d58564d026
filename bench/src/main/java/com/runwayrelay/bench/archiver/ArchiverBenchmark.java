package com.runwayrelay.bench.archiver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.aws.dynamodb.DynamoDbTaskRepository;
import com.runwayrelay.domain.RunwayStatus;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.runway.Json;
import com.runwayrelay.runway.RunwayClient;
import com.runwayrelay.simulator.RunwaySimulator;
import com.runwayrelay.simulator.SimulatorConfig;
import com.runwayrelay.testkit.aws.AwsEmulators;
import com.runwayrelay.testkit.aws.CloudFormationTemplate;
import com.runwayrelay.testkit.aws.EmulatorOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Archiver benchmark: memory stays flat and throughput stays close to a raw copy, whatever the
 * output's size.
 *
 * <p>For each output size, the Runway simulator (this JVM) serves one video of exactly that size
 * over loopback. First the same link is copied raw ({@code curl -o /dev/null}, or a plain socket
 * read when curl is missing: one untimed copy, then the median of three), then piped into the S3
 * endpoint by curl, then relayed into it by {@link RelayOnce} (download, SHA-256, upload and
 * nothing else: the least an archive costs); then a child JVM with {@code -Xmx256m}, the Lambda runtime's serial
 * collector and the archiver function's {@code JAVA_TOOL_OPTIONS} from template.yaml runs the real archiver
 * handler on a task pointing at it (DynamoDB Local in this JVM) and reports the handler's time
 * and its peak RSS. Each run is done against three S3 endpoints: s3proxy on a filesystem store
 * (the emulators the tests use: real multipart, real files), and a discard endpoint that only
 * counts bytes, over http and over https, which shows the archiver's own cost without the
 * emulator's ingest limit. Every archived task is checked: ARCHIVED, SHA-256 equal to the
 * simulator's file. The whole machine's busy CPUs are reported for the raw copies, the relay and
 * the archive: simulator, endpoint and archiver share the same cores.
 *
 * <p>Run: {@code java -cp <bench classpath> com.runwayrelay.bench.archiver.ArchiverBenchmark [sizes] [sinks]},
 * sizes like {@code 64MiB,2GiB} (default), sinks among {@code s3proxy,discard,discard_https} (default all).
 * {@code RELAY_ARCHIVE_*} variables set for this process reach the archiver (part size,
 * concurrency); {@code -Darchiver.bench.jvmArgs="..."} adds flags to its JVM ({@code -Dbench.marks=<file>}
 * there makes both children append their measured interval, for cutting a profile to it);
 * {@code -Darchiver.bench.warmUp=<size>} and {@code -Darchiver.bench.warmUps=<n>} set the warm-up
 * archives run in the archiver's JVM before the measured one (384 MiB, one); {@code -Darchiver.bench.restore=true}
 * runs the archiver's SnapStart hooks in its JVM first, as before a snapshot; {@code warmUps=0} measures the JVM's
 * first archive (a fresh container's, or with the hooks a restored one's). See
 * docs/BENCHMARKS.md for the exact command.
 */
public final class ArchiverBenchmark {
    private static final Pattern RESULT = Pattern.compile("RESULT task=(\\S+) millis=(\\d+) peakRssKib=(-?\\d+) failures=(\\d+) cpuMillis=(\\d+) peakHeapKib=(\\d+) busyCores=(-?[\\d.]+) sysMillis=(-?\\d+)");
    private static final Pattern RELAY = Pattern.compile("RELAY millis=(\\d+) cpuMillis=(\\d+) busyCores=(-?[\\d.]+) bytes=(\\d+) sha256=(\\w+) sysMillis=(-?\\d+)");
    /** Timed raw copies to nowhere per measurement, after one untimed copy that warms the simulator's serving path. */
    static final int RAW_COPIES = 3;
    /** Runs the archiver's SnapStart hooks in its JVM before its first archive (docs/BENCHMARKS.md). */
    static final String RESTORE = "archiver.bench.restore";
    private static final Pattern RESTORED = Pattern.compile("RESTORE hooks=(\\d+) millis=(\\d+) cpuMillis=(\\d+)");

    /** Archived first in each child, so the measured archive runs in a warm JVM, as in a warm Lambda container. */
    static final long WARM_UP_BYTES = 384L * 1024 * 1024;
    private static final String CHILD_HEAP = "-Xmx256m";
    /** What the Lambda java21 runtime gives every function JVM besides the heap: the serial collector. */
    static final List<String> LAMBDA_RUNTIME_FLAGS = List.of("-XX:+UseSerialGC");
    /** The archiver's own JVM options, which the benchmark takes from the template as Lambda would. */
    static final String TOOL_OPTIONS = "JAVA_TOOL_OPTIONS";

    /** Where the archive goes. */
    public enum Sink {
        /** s3proxy on a filesystem store, over http. */
        S3PROXY,
        /** Counts and drops the bytes, over http. */
        DISCARD,
        /** Counts and drops the bytes, over https, as real S3 is reached (TLS costs CPU on both ends). */
        DISCARD_HTTPS
    }

    /**
     * One measurement.
     *
     * @param sizeBytes        output size
     * @param sink             S3 endpoint used
     * @param raw              raw loopback copies of the same link to nowhere ({@code curl -o /dev/null})
     * @param pipeMillis       raw copy of the same link into the same S3 endpoint ({@code curl | curl -T -}), or -1
     *                         when curl is missing
     * @param relay            the same link hashed and sent on to the same endpoint by {@link RelayOnce}
     * @param archiveMillis    the archiver handler's call for this output, in a JVM warmed by one earlier archive
     * @param archiveCpuMillis CPU time the archiver process used during that call (all its threads)
     * @param archiveSysMillis the part of {@code archiveCpuMillis} spent in the kernel (socket reads and writes), or -1
     * @param archiveBusyCores the whole machine's busy CPUs during that call
     * @param warmUpBytes      size of the child's first archive
     * @param firstMillis      the child's first call: archiving {@code warmUpBytes} in a cold JVM
     * @param peakRssKib       the archiver process's peak RSS
     * @param peakHeapKib      the archiver process's peak heap in use (pool peaks summed)
     * @param storedBytes      bytes the S3 endpoint holds (s3proxy) or received (discard)
     */
    public record Result(long sizeBytes, Sink sink, RawCopies raw, long pipeMillis, Relay relay, long archiveMillis,
                         long archiveCpuMillis, long archiveSysMillis, double archiveBusyCores, long warmUpBytes, long firstMillis,
                         long peakRssKib, long peakHeapKib, long storedBytes) {
        /** The median raw copy's time. */
        public long rawMillis() {
            return raw.medianMillis();
        }

        public double rawMiBps() {
            return mibPerSecond(sizeBytes, rawMillis());
        }

        public double archiveMiBps() {
            return mibPerSecond(sizeBytes, archiveMillis);
        }

        public double pipeMiBps() {
            return pipeMillis < 0 ? Double.NaN : mibPerSecond(sizeBytes, pipeMillis);
        }

        public double relayMiBps() {
            return mibPerSecond(sizeBytes, relay.millis());
        }

        /** Archive throughput over the median raw copy's throughput: the goal is at least 0.7. */
        public double ratio() {
            return archiveMiBps() / rawMiBps();
        }

        /** Archive throughput over the piped copy into the same endpoint. */
        public double pipeRatio() {
            return archiveMiBps() / pipeMiBps();
        }

        /** Archive throughput over the hash-and-forward relay's. */
        public double relayRatio() {
            return archiveMiBps() / relayMiBps();
        }

        /** Archiver CPU per GiB over the relay's: issue #20's goal is at most 1.2. */
        public double cpuRatio() {
            return (double) archiveCpuMillis / Math.max(1, relay.cpuMillis());
        }
    }

    /**
     * Timed raw copies of one link to nowhere.
     *
     * @param millis    each copy's time, in the order made
     * @param tool      what made them
     * @param busyCores the whole machine's busy CPUs during the timed copies
     */
    public record RawCopies(List<Long> millis, String tool, double busyCores) {
        public long medianMillis() {
            List<Long> sorted = millis.stream().sorted().toList();
            return sorted.get(sorted.size() / 2);
        }

        public long fastestMillis() {
            return millis.stream().mapToLong(Long::longValue).min().orElseThrow();
        }

        public long slowestMillis() {
            return millis.stream().mapToLong(Long::longValue).max().orElseThrow();
        }
    }

    /**
     * {@link RelayOnce}'s measured run.
     *
     * @param millis    transfer time
     * @param cpuMillis CPU time of the relay process
     * @param busyCores the whole machine's busy CPUs meanwhile
     * @param sysMillis the part of {@code cpuMillis} spent in the kernel, or -1
     */
    public record Relay(long millis, long cpuMillis, double busyCores, long sysMillis) {
    }

    private ArchiverBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<Long> sizes = parseSizes(args.length > 0 ? args[0] : "64MiB,2GiB");
        List<Sink> sinks = args.length > 1
                ? List.of(args[1].split(",")).stream().map(s -> Sink.valueOf(s.trim().toUpperCase(Locale.ROOT))).toList()
                : List.of(Sink.values());
        // -Darchiver.bench.warmUp=2GiB: a warm-up as large as the measured archive, so the JIT's work is done before it.
        long warmUp = parseSizes(System.getProperty("archiver.bench.warmUp", "384MiB")).get(0);
        List<Result> results = run(sizes, sinks, warmUp);
        System.out.println(markdown(results));
    }

    /** Runs every size against every sink, each after a warm-up archive of {@link #WARM_UP_BYTES}. */
    public static List<Result> run(List<Long> sizes, List<Sink> sinks) throws Exception {
        return run(sizes, sinks, WARM_UP_BYTES);
    }

    /**
     * Runs every size against every sink, each child first archiving {@code warmUpBytes}; throws
     * if any archive is wrong.
     */
    public static List<Result> run(List<Long> sizes, List<Sink> sinks, long warmUpBytes) throws Exception {
        Path data = Files.createTempDirectory("archiver-bench");
        List<Result> results = new ArrayList<>();
        LoopbackTls tls = LoopbackTls.create(data);
        try (AwsEmulators aws = AwsEmulators.start(EmulatorOptions.persistentIn(data));
             DiscardS3 plain = DiscardS3.start();
             DiscardS3 secure = DiscardS3.start(tls.serverContext())) {
            DynamoDbTaskRepository tasks = new DynamoDbTaskRepository(aws.dynamoDb(), aws.tableName(), 8);
            try (RunwaySimulator warmUp = simulator(warmUpBytes)) {
                for (long size : sizes) {
                    try (RunwaySimulator sim = simulator(size)) {
                        for (Sink sink : sinks) {
                            results.add(measure(aws, sink == Sink.DISCARD_HTTPS ? secure : plain, tls, tasks, warmUp,
                                    warmUpBytes, sim, size, sink));
                        }
                    }
                }
            }
        } finally {
            deleteTree(data);
        }
        return results;
    }

    private static RunwaySimulator simulator(long outputBytes) {
        return RunwaySimulator.start(SimulatorConfig.builder().outputSizeBytes(outputBytes)
                .pendingDuration(Duration.ofMillis(10)).runningDuration(Duration.ofMillis(10)).build());
    }

    /** A finished video task at the simulator: its id, then its output links. */
    private static Map.Entry<String, List<String>> finishedVideo(RunwaySimulator sim) throws Exception {
        try (RunwayClient client = RunwayClient.builder().baseUri(sim.baseUri()).apiKey(sim.apiKey()).build()) {
            String runwayId = client.createTask("image_to_video", (ObjectNode) Json.MAPPER.readTree("{\"model\":\"gen4_turbo\","
                    + "\"promptImage\":\"https://example.com/a.png\",\"ratio\":\"1280:720\",\"duration\":5}")).id();
            return Map.entry(runwayId, awaitOutputs(client, runwayId));
        }
    }

    private static Task outputReady(DynamoDbTaskRepository tasks, String runwayId, List<String> links) {
        Task task = Task.accepted(UUID.randomUUID().toString(), "app_bench", "image_to_video", "gen4_turbo", "{}", 25,
                        Instant.now()).state(TaskState.OUTPUT_READY).version(4).runwayTaskId(runwayId)
                .runwayStatus(RunwayStatus.SUCCEEDED).outputs(links).actualCredits(25L).dueAt(null).build();
        tasks.insert(task);
        return task;
    }

    private static Result measure(AwsEmulators aws, DiscardS3 discard, LoopbackTls tls, DynamoDbTaskRepository tasks,
                                  RunwaySimulator warmUp, long warmUpBytes, RunwaySimulator sim, long size, Sink sink)
            throws Exception {
        Map.Entry<String, List<String>> video = finishedVideo(sim);
        String runwayId = video.getKey();
        List<String> links = video.getValue();
        URI link = URI.create(links.get(0));
        RawCopies raw = rawCopies(link, size);
        URI put = sink != Sink.S3PROXY ? URI.create(discard.endpoint() + "/bench/raw-copy")
                : URI.create(aws.s3Presigner().presignPutObject(p -> p.signatureDuration(Duration.ofHours(1))
                        .putObjectRequest(r -> r.bucket(aws.bucketName()).key("bench/raw-copy"))).url().toString());
        long pipe = pipeCopy(link, size, put);
        List<String> trust = sink == Sink.DISCARD_HTTPS ? tls.trustStoreFlags() : List.of();
        Relay relay = relay(link, put, size, sim.outputSha256(runwayId, 0), trust);

        Map.Entry<String, List<String>> warmVideo = finishedVideo(warmUp);
        // -Darchiver.bench.warmUps=N: N warm-up archives before the measured one (default 1), for a
        // container's steady state after the JIT has finished with the per-part code.
        int warmUps = Integer.getInteger("archiver.bench.warmUps", 1);
        // -Darchiver.bench.restore=true: the archiver's SnapStart hooks run before its first archive.
        // warmUps=0 measures the JVM's first archive (of a fresh container, or of a restored one with the hooks).
        boolean restore = Boolean.getBoolean(RESTORE);
        if (warmUps < 0) {
            throw new IllegalArgumentException("archiver.bench.warmUps must be 0 or more, got " + warmUps);
        }
        List<String> childTasks = new ArrayList<>();
        for (int i = 0; i < warmUps; i++) {
            childTasks.add(outputReady(tasks, warmVideo.getKey(), warmVideo.getValue()).id());
        }
        Task task = outputReady(tasks, runwayId, links);
        childTasks.add(task.id());
        Map<String, String> env = new HashMap<>(aws.environment());
        env.put("RELAY_OUTPUT_HOST_ALLOWLIST", "*.runwayml.com");
        env.put("RELAY_ALLOW_LOOPBACK_HTTP", "true");
        env.put("RUNWAY_API_BASE_URL", sim.baseUri().toString());
        env.put("RUNWAYML_API_SECRET", sim.apiKey());
        archiverToolOptions().ifPresent(options -> env.put(TOOL_OPTIONS, options));
        // Tuning experiments: RELAY_ARCHIVE_* variables of this process reach the archiver.
        System.getenv().forEach((name, value) -> {
            if (name.startsWith("RELAY_ARCHIVE_")) {
                env.put(name, value);
            }
        });
        long discardedBefore = discard.payloadBytes();
        if (sink != Sink.S3PROXY) {
            env.put("AWS_ENDPOINT_URL_S3", discard.endpoint().toString());
        }
        List<String> childFlags = new ArrayList<>(trust);
        if (restore) {
            // As the Lambda runtime does: org.crac handed to a checkpoint implementation (here the benchmark's
            // in-process stand-in), and the variable that makes the function register its hook.
            env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
            childFlags.add("-Dorg.crac.Core.Compat=" + com.runwayrelay.bench.coldstart.crac.Core.class.getPackageName());
            childFlags.add("-D" + com.runwayrelay.bench.coldstart.FirstInvocation.RESTORE + "=true");
        }
        List<Matcher> child = runChild(childTasks, env, childFlags);
        Matcher first = child.get(0);
        Matcher measured = child.get(child.size() - 1);

        Task archived = tasks.find(task.id()).orElseThrow();
        if (archived.state() != TaskState.ARCHIVED || child.stream().anyMatch(r -> Integer.parseInt(r.group(4)) != 0)) {
            throw new IllegalStateException("task not archived: " + archived.state() + " " + archived.failure() + " "
                    + archived.stateReason());
        }
        String expected = sim.outputSha256(runwayId, 0);
        if (!expected.equals(archived.archive().records().get(0).sha256()) || archived.archive().records().get(0).size() != size) {
            throw new IllegalStateException("archive record does not match the simulator's file");
        }
        long stored = sink != Sink.S3PROXY ? discard.payloadBytes() - discardedBefore - (child.size() - 1) * warmUpBytes
                : aws.s3().headObject(r -> r.bucket(aws.bucketName()).key(archived.archive().records().get(0).key())).contentLength();
        if (stored != size) {
            throw new IllegalStateException("the S3 endpoint holds " + stored + " bytes, expected " + size);
        }
        if (sink == Sink.S3PROXY) {
            aws.s3().deleteObject(r -> r.bucket(aws.bucketName()).key(archived.archive().records().get(0).key()));
        }
        return new Result(size, sink, raw, pipe, relay, Long.parseLong(measured.group(2)),
                Long.parseLong(measured.group(5)), Long.parseLong(measured.group(8)), Double.parseDouble(measured.group(7)),
                warmUps == 0 ? 0 : warmUpBytes,
                Long.parseLong(first.group(2)), Long.parseLong(measured.group(3)), Long.parseLong(measured.group(6)),
                stored);
    }

    private static List<String> awaitOutputs(RunwayClient client, String id) throws InterruptedException {
        Instant giveUp = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(giveUp)) {
            if (client.getTask(id) instanceof com.runwayrelay.runway.Task.Succeeded done) {
                return done.output();
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the simulator did not finish task " + id);
    }

    /** The archiver function's {@value #TOOL_OPTIONS} in template.yaml, if it sets any. */
    static Optional<String> archiverToolOptions() {
        Object environment = CloudFormationTemplate.fromClasspath().properties("ArchiverFunction").get("Environment");
        if (environment instanceof Map<?, ?> env && env.get("Variables") instanceof Map<?, ?> variables
                && variables.get(TOOL_OPTIONS) instanceof String options) {
            return Optional.of(options);
        }
        return Optional.empty();
    }

    private static List<Matcher> runChild(List<String> taskIds, Map<String, String> env, List<String> jvmFlags)
            throws IOException, InterruptedException {
        String output = runJvm(ArchiveOnce.class, taskIds, env, jvmFlags);
        Matcher hooks = RESTORED.matcher(output);
        if (hooks.find()) {
            if (Integer.parseInt(hooks.group(1)) < 1) {
                throw new IllegalStateException("the archiver registered no SnapStart hook:\n" + output);
            }
            System.out.println(hooks.group());
        } else if (jvmFlags.stream().anyMatch(f -> f.startsWith("-D" + com.runwayrelay.bench.coldstart.FirstInvocation.RESTORE))) {
            throw new IllegalStateException("the archiver process ran no checkpoint hooks:\n" + output);
        }
        List<Matcher> results = new ArrayList<>();
        Matcher m = RESULT.matcher(output);
        while (m.find()) {
            results.add(RESULT.matcher(m.group()));
            results.get(results.size() - 1).matches();
        }
        if (results.size() != taskIds.size()) {
            throw new IllegalStateException("the archiver process printed " + results.size() + " results:\n" + output);
        }
        return results;
    }

    /**
     * {@link RelayOnce} in a JVM like the archiver's (heap, collector, the template's JVM options),
     * checked against the simulator's SHA-256.
     */
    private static Relay relay(URI link, URI put, long size, String sha256, List<String> jvmFlags)
            throws IOException, InterruptedException {
        Map<String, String> env = new HashMap<>();
        archiverToolOptions().ifPresent(options -> env.put(TOOL_OPTIONS, options));
        String output = runJvm(RelayOnce.class, List.of(link.toString(), put.toString(), Long.toString(size)), env,
                jvmFlags);
        Matcher m = RELAY.matcher(output);
        if (!m.find() || Long.parseLong(m.group(4)) != size || !m.group(5).equals(sha256)) {
            throw new IllegalStateException("the relay did not copy the output exactly:\n" + output);
        }
        return new Relay(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Double.parseDouble(m.group(3)),
                Long.parseLong(m.group(6)));
    }

    /** Runs {@code main} in a child JVM with the archiver's heap and collector; returns what it printed. */
    private static String runJvm(Class<?> main, List<String> args, Map<String, String> env, List<String> jvmFlags)
            throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, CHILD_HEAP));
        command.addAll(LAMBDA_RUNTIME_FLAGS);
        command.addAll(jvmFlags);
        String extra = System.getProperty("archiver.bench.jvmArgs", "").trim();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("the " + main.getSimpleName() + " process failed:\n" + output);
        }
        return output;
    }

    /**
     * The same bytes over the same loopback, to nowhere: curl when present, else a plain socket
     * read. One untimed copy first (the simulator's serving code is compiled during it; the first
     * copy of a fresh simulator ran at about half the rate of later ones), then {@link #RAW_COPIES} timed.
     */
    private static RawCopies rawCopies(URI link, long size) throws IOException, InterruptedException {
        rawCopy(link, size);
        List<Long> millis = new ArrayList<>();
        String tool = null;
        MachineCpu before = MachineCpu.now();
        for (int i = 0; i < RAW_COPIES; i++) {
            Map.Entry<String, Long> copy = rawCopy(link, size);
            tool = copy.getKey();
            millis.add(copy.getValue());
        }
        return new RawCopies(List.copyOf(millis), tool, MachineCpu.now().busyCoresSince(before));
    }

    /** One raw copy: what made it, and its time in milliseconds. */
    private static Map.Entry<String, Long> rawCopy(URI link, long size) throws IOException, InterruptedException {
        try {
            Process curl = new ProcessBuilder("curl", "-s", "-o", "/dev/null", "-w", "%{size_download} %{time_total}",
                    link.toString()).start();
            String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (curl.waitFor() == 0) {
                String[] parts = out.split(" ");
                if (Long.parseLong(parts[0]) != size) {
                    throw new IllegalStateException("curl copied " + parts[0] + " bytes, expected " + size);
                }
                return Map.entry("curl -o /dev/null", Math.round(Double.parseDouble(parts[1]) * 1000));
            }
        } catch (IOException e) {
            // no curl on this machine
        }
        long start = System.nanoTime();
        long read = socketRead(link);
        if (read < size) {
            throw new IllegalStateException("raw read got " + read + " bytes, expected at least " + size);
        }
        return Map.entry("socket read to nowhere", (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * The same bytes from the same link into the same S3 endpoint with no archiver in between:
     * {@code curl <link> | curl -T - <put url>}, with the length declared. -1 when curl is missing.
     */
    private static long pipeCopy(URI link, long size, URI put) throws IOException, InterruptedException {
        // -k: the https discard endpoint has a throw-away self-signed certificate.
        String command = "curl -s '" + link + "' | curl -s -k -o /dev/null -T - -H 'Transfer-Encoding:' -H 'Content-Length: "
                + size + "' -w '%{size_upload}' '" + put + "'";
        long start = System.nanoTime();
        Process process;
        try {
            process = new ProcessBuilder("bash", "-c", command).start();
        } catch (IOException e) {
            return -1;
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (process.waitFor() != 0 || out.isEmpty()) {
            return -1;
        }
        if (Long.parseLong(out) != size) {
            throw new IllegalStateException("the piped copy sent " + out + " bytes, expected " + size);
        }
        return millis;
    }

    private static long socketRead(URI link) throws IOException {
        try (Socket socket = new Socket(link.getHost(), link.getPort())) {
            String target = link.getRawPath() + (link.getRawQuery() == null ? "" : "?" + link.getRawQuery());
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: " + link.getHost() + ":" + link.getPort()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[1 << 16];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) != -1) {
                total += n;
            }
            return total;
        }
    }

    /** The results as the tables in docs/BENCHMARKS.md, with the two checks of the issue. */
    public static String markdown(List<Result> results) {
        StringBuilder out = new StringBuilder();
        out.append("| output | S3 endpoint | raw copy to nowhere (median, range) | raw copy into the endpoint "
                + "| hash-and-forward relay | archive | archive / raw to nowhere | archive / relay "
                + "| archive / raw into endpoint | busy CPUs: raw / relay / archive |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            out.append(String.format(Locale.ROOT, "| %s | %s | %.0f MiB/s (%.0f–%.0f) | %s | %.0f MiB/s | %.0f MiB/s (%.1f s) "
                            + "| %.0f %% | %.0f %% | %s | %.2f / %.2f / %.2f |%n",
                    size(r.sizeBytes()), sinkName(r.sink()), r.rawMiBps(),
                    mibPerSecond(r.sizeBytes(), r.raw().slowestMillis()), mibPerSecond(r.sizeBytes(), r.raw().fastestMillis()),
                    r.pipeMillis() < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f MiB/s", r.pipeMiBps()),
                    r.relayMiBps(), r.archiveMiBps(), r.archiveMillis() / 1000.0, 100 * r.ratio(), 100 * r.relayRatio(),
                    r.pipeMillis() < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f %%", 100 * r.pipeRatio()),
                    r.raw().busyCores(), r.relay().busyCores(), r.archiveBusyCores()));
        }
        out.append("\n| output | S3 endpoint | archiver CPU (kernel) | relay CPU (kernel) | archiver CPU per GiB "
                + "| relay CPU per GiB | CPU ratio | peak RSS (archiver, -Xmx256m) | peak heap used |\n");
        out.append("|---|---|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            double gib = r.sizeBytes() / (1024.0 * 1024 * 1024);
            out.append(String.format(Locale.ROOT, "| %s | %s | %.2f s (%.2f s) | %.2f s (%.2f s) | %.2f s | %.2f s | %.2f× "
                            + "| %.1f MiB | %.1f MiB |%n",
                    size(r.sizeBytes()), sinkName(r.sink()), r.archiveCpuMillis() / 1000.0, r.archiveSysMillis() / 1000.0,
                    r.relay().cpuMillis() / 1000.0, r.relay().sysMillis() / 1000.0, r.archiveCpuMillis() / 1000.0 / gib,
                    r.relay().cpuMillis() / 1000.0 / gib, r.cpuRatio(), r.peakRssKib() / 1024.0, r.peakHeapKib() / 1024.0));
        }
        results.stream().filter(r -> r.warmUpBytes() > 0).forEach(r -> out.append(String.format(Locale.ROOT,
                "%nFirst archive in the cold JVM before the %s run (%s, %s): %.0f MiB/s.", size(r.sizeBytes()),
                size(r.warmUpBytes()), r.sink().name().toLowerCase(Locale.ROOT), mibPerSecond(r.warmUpBytes(), r.firstMillis()))));
        results.stream().filter(r -> r.warmUpBytes() == 0).forEach(r -> out.append(String.format(Locale.ROOT,
                "%nThe %s run (%s) was the archiver JVM's first archive (no warm-up).", size(r.sizeBytes()),
                r.sink().name().toLowerCase(Locale.ROOT))));
        out.append("\n\nRaw copy to nowhere: ").append(results.isEmpty() ? "-" : results.get(0).raw().tool())
                .append(", ").append(RAW_COPIES).append(" timed after one untimed; into the endpoint: ")
                .append("curl <link> | curl -T - <PUT url>; relay: RelayOnce (GET, SHA-256, one PUT, 1 MiB at a time).\n");
        for (Sink sink : Sink.values()) {
            List<Result> of = results.stream().filter(r -> r.sink() == sink).toList();
            if (of.size() >= 2) {
                long min = of.stream().mapToLong(Result::peakRssKib).min().orElseThrow();
                long max = of.stream().mapToLong(Result::peakRssKib).max().orElseThrow();
                out.append(String.format(Locale.ROOT, "%nPeak RSS spread, %s: %.1f %% (%s to %s).",
                        sink.name().toLowerCase(Locale.ROOT), 100.0 * (max - min) / min, size(of.get(0).sizeBytes()),
                        size(of.get(of.size() - 1).sizeBytes())));
            }
        }
        return out.toString();
    }

    private static String sinkName(Sink sink) {
        return switch (sink) {
            case S3PROXY -> "s3proxy (filesystem, http)";
            case DISCARD -> "discard (http)";
            case DISCARD_HTTPS -> "discard (https)";
        };
    }

    static List<Long> parseSizes(String text) {
        List<Long> sizes = new ArrayList<>();
        for (String part : text.split(",")) {
            Matcher m = Pattern.compile("(\\d+)\\s*(KiB|MiB|GiB)?").matcher(part.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException("not a size: " + part);
            }
            long unit = m.group(2) == null ? 1 : switch (m.group(2)) {
                case "KiB" -> 1024L;
                case "MiB" -> 1024L * 1024;
                default -> 1024L * 1024 * 1024;
            };
            sizes.add(Long.parseLong(m.group(1)) * unit);
        }
        return sizes;
    }

    private static String size(long bytes) {
        long mib = 1024L * 1024;
        return bytes % (1024 * mib) == 0 ? bytes / (1024 * mib) + " GiB"
                : bytes % mib == 0 ? bytes / mib + " MiB" : bytes + " B";
    }

    private static double mibPerSecond(long bytes, long millis) {
        return bytes / (1024.0 * 1024.0) / Math.max(1, millis) * 1000.0;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
