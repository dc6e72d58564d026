package com.runwayrelay.simulator;

import com.runwayrelay.catalog.Catalog;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Runway API simulator on a loopback port: authentication, the version header, catalog validation,
 * the task lifecycle (with THROTTLED, failures and DELETE), uploads, organization and usage, real
 * output files behind expiring signed links, and scriptable faults.
 *
 * <pre>{@code
 * try (RunwaySimulator sim = RunwaySimulator.start(SimulatorConfig.defaults())) {
 *     sim.injectNext("POST", "/v1/text_to_image", Fault.status(429, Map.of("retry-after-ms", "100")));
 *     // point a client at sim.baseUri() with sim.apiKey() ...
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@code testkit/simulator/README.md} describes the wire behaviour and every setting.
 */
public final class RunwaySimulator implements AutoCloseable {
    /**
     * The JDK server's setting for how long an idle keep-alive connection is kept (default 30 s, read
     * once per JVM when the first server starts). It must exceed the client's keep-alive (the JDK
     * HttpClient pools a connection for 30 s): with both at 30 s the server can close a connection just
     * as the client reuses it, and a create sent on it fails with "header parser received no bytes",
     * which is ambiguous. Test JVMs set it on the command line (root pom); the standalone main sets it.
     */
    static final String IDLE_INTERVAL_PROPERTY = "sun.net.httpserver.idleInterval";
    /** See {@link #IDLE_INTERVAL_PROPERTY}: twenty times the JDK HttpClient's keep-alive. */
    static final long IDLE_INTERVAL_SECONDS = 600;
    private static final Pattern OUTPUT_URL = Pattern.compile(".*/_outputs/([0-9a-f-]{36})/(\\d{1,2})/[^/?]+(\\?.*)?");

    private final SimulatorConfig config;
    private final String apiKey;
    private final HttpServer server;
    private final ExecutorService executor;
    private final TaskBook tasks;
    private final FaultPlan faults;
    private final RequestLog log;
    private final URI baseUri;
    private final RealtimeBook realtime;

    private RunwaySimulator(SimulatorConfig config, GenerationRules rules) throws IOException {
        this.config = config;
        this.apiKey = config.apiKey() != null ? config.apiKey() : newApiKey();
        Signer signer = new Signer();
        this.tasks = new TaskBook(config, new MediaFactory(config));
        this.faults = new FaultPlan(config);
        this.log = new RequestLog();
        this.realtime = new RealtimeBook(config.clock(), config.pendingDuration());
        ApiHandler handler = new ApiHandler(config, apiKey, rules, tasks,
                new UploadBook(config.clock(), config.uploadTtl(), signer), signer, faults, log, realtime);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), config.port()), 64);
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", handler);
        this.baseUri = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        handler.baseUri(baseUri);
        server.start();
    }

    /** Starts a simulator with the shipped model catalog. Throws {@link UncheckedIOException} if the port is taken. */
    public static RunwaySimulator start(SimulatorConfig config) {
        return start(config, GenerationRules.fromCatalog(DefaultCatalog.INSTANCE));
    }

    static RunwaySimulator start(SimulatorConfig config, GenerationRules rules) {
        Objects.requireNonNull(config, "config");
        try {
            return new RunwaySimulator(config, rules);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + config.port(), e);
        }
    }

    /** {@code http://127.0.0.1:<port>}, the value for {@code RUNWAYML_BASE_URL}. */
    public URI baseUri() {
        return baseUri;
    }

    /** The one key this simulator accepts. */
    public String apiKey() {
        return apiKey;
    }

    public SimulatorConfig config() {
        return config;
    }

    /**
     * Queues a one-shot fault for the next request whose method matches ({@code "*"} matches any) and
     * whose path starts with {@code pathPrefix}. Queued faults are matched in the order they were added.
     */
    public void injectNext(String method, String pathPrefix, Fault fault) {
        faults.add(method, pathPrefix, fault);
    }

    /** Someone joined the realtime session (nobody does over WebRTC here): it runs from now. */
    public void connectRealtimeSession(String id) {
        realtime.connect(id);
    }

    /** The realtime session ran {@code seconds} and completed; its conversation ended. */
    public void completeRealtimeSession(String id, double seconds) {
        realtime.end(id, seconds);
    }

    /** The realtime session failed after running {@code seconds} (null: before it started). */
    public void failRealtimeSession(String id, Double seconds) {
        realtime.fail(id, seconds);
    }

    /** A realtime session's status now ({@code NOT_READY}, {@code READY}, …). */
    public String realtimeSessionStatus(String id) {
        return realtime.status(id);
    }

    /** How many tasks were ever created (cancelled and deleted ones included). */
    public int createdTaskCount() {
        return tasks.createdCount();
    }

    /** The ids of every task ever created, in creation order (cancelled and deleted ones included). */
    public List<String> createdTaskIds() {
        return tasks.ids();
    }

    /**
     * The credits Runway charges for a task as it stands: its estimate once SUCCEEDED or failed for a
     * {@code SAFETY.INPUT} reason, nothing while unfinished, cancelled or failed otherwise (refunded).
     */
    public static long chargedCredits(SimulatedTask task) {
        return TaskBook.cost(task);
    }

    /** A snapshot of any task ever created, or empty for an unknown id. */
    public Optional<SimulatedTask> task(String id) {
        return tasks.find(id);
    }

    /**
     * When a task ends (SUCCEEDED or FAILED) on the simulator's clock, whether or not that instant has
     * passed yet; empty for an unknown, cancelled or still THROTTLED task. Benchmarks measure from it.
     */
    public Optional<Instant> finishAt(String id) {
        return tasks.finishAt(id);
    }

    /**
     * Lowercase hex SHA-256 of an output, computed by streaming it (seconds for gigabytes; cached).
     *
     * @throws NoSuchElementException when the task has no such output (unknown, unfinished or deleted)
     */
    public String outputSha256(String taskId, int index) {
        return tasks.sha256(taskId, index)
                .orElseThrow(() -> new NoSuchElementException("task " + taskId + " has no output " + index));
    }

    /** {@link #outputSha256(String, int)} for an output link taken from a task's {@code output} array. */
    public String outputSha256(URI outputUrl) {
        Matcher m = OUTPUT_URL.matcher(outputUrl.toString());
        if (!m.matches()) {
            throw new IllegalArgumentException("not an output link of this simulator: " + outputUrl.getPath());
        }
        return outputSha256(m.group(1), Integer.parseInt(m.group(2)));
    }

    /** Every request received so far, in arrival order. */
    public List<RecordedRequest> requestLog() {
        return log.snapshot();
    }

    /** How many requests had this method ({@code "*"} for any) and a path starting with {@code pathPrefix}. */
    public long requestCount(String method, String pathPrefix) {
        return log.count(method, pathPrefix);
    }

    /** Stops listening and ends in-flight exchanges. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static String newApiKey() {
        byte[] bytes = new byte[64];
        new SecureRandom().nextBytes(bytes);
        return "key_" + HexFormat.of().formatHex(bytes);
    }

    /** Loaded once per JVM: tests start many simulators. */
    private static final class DefaultCatalog {
        static final Catalog INSTANCE = Catalog.loadDefault();
    }
}
