package com.runwayrelay.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.runwayrelay.aws.dynamodb.DynamoDbAppRepository;
import com.runwayrelay.simulator.RunwaySimulator;
import com.runwayrelay.simulator.SimulatorConfig;
import com.runwayrelay.testkit.aws.AwsEmulators;
import com.runwayrelay.testkit.aws.CloudWatchEmulator;
import com.runwayrelay.testkit.aws.EmulatorOptions;
import com.runwayrelay.testkit.aws.EmulatorStartException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The whole system in this JVM: DynamoDB Local and s3proxy (the emulators, with the template's table
 * and bucket; or external endpoints such as LocalStack), the Runway simulator (or the real Runway API when a key is given), the real handler
 * classes of every function in {@code template.yaml} with their environment resolved for this
 * machine, the HTTP API front, the poller's schedule and a stream reader per stream event source, and a
 * CloudWatch stand-in ({@code ListMetrics}, {@code GetMetricData}) holding the metrics the functions write.
 *
 * <p>{@link #start} returns once requests are served; {@link #close} stops everything in reverse order
 * and releases every port. Data lives in the data folder unless the stack is ephemeral.
 */
final class LocalStack implements AutoCloseable {
    /**
     * The poller's schedule fires every few seconds locally instead of every minute, so each run is kept
     * short instead of working for most of a minute.
     */
    static final String LOCAL_POLLER_RUN_SECONDS = "1";
    private static final int HTTP_INSTANCES = 10;
    /** How often {@code --verbose} shows the metrics' one-line summary. */
    static final Duration METRICS_SUMMARY_INTERVAL = Duration.ofMinutes(1);

    private final StackOptions options;
    private final StackLog log;
    private final List<AutoCloseable> running;
    private final Optional<DataDirectory> data;
    private final AwsBackend aws;
    private final Optional<RunwaySimulator> simulator;
    private final Optional<String> simulatorKey;
    private final URI runwayBaseUrl;
    private final DevApp devApp;
    private final ApiFront api;
    private final Map<String, Map<String, String>> environments;
    private final Duration startTime;
    private final LocalMetrics metrics;

    private LocalStack(StackOptions options, StackLog log, List<AutoCloseable> running, Optional<DataDirectory> data, AwsBackend aws,
                       Optional<RunwaySimulator> simulator, Optional<String> simulatorKey, URI runwayBaseUrl, DevApp devApp, ApiFront api,
                       Map<String, Map<String, String>> environments, Duration startTime, LocalMetrics metrics) {
        this.options = options;
        this.log = log;
        this.running = running;
        this.data = data;
        this.aws = aws;
        this.simulator = simulator;
        this.simulatorKey = simulatorKey;
        this.runwayBaseUrl = runwayBaseUrl;
        this.devApp = devApp;
        this.api = api;
        this.environments = environments;
        this.startTime = startTime;
        this.metrics = metrics;
    }

    /**
     * Starts every component; on any failure stops what had started and throws.
     *
     * @throws StackStartException with a message naming the component (and, for a busy port, the option to change)
     */
    static LocalStack start(StackOptions options, StackLog log) {
        return start(options, log, Clock.systemUTC());
    }

    static LocalStack start(StackOptions options, StackLog log, Clock clock) {
        return start(options, log, clock, Map.of());
    }

    /**
     * As {@link #start(StackOptions, StackLog, Clock)}, with template parameters set as a deployment would
     * set them (e.g. {@code ProgressEventSeconds}); the others keep their defaults.
     */
    static LocalStack start(StackOptions options, StackLog log, Clock clock, Map<String, String> templateParameters) {
        long started = System.nanoTime();
        List<AutoCloseable> running = new ArrayList<>();
        try {
            StackTemplate template = StackTemplate.fromClasspath();
            Optional<DataDirectory> data = options.dataDir().map(directory -> DataDirectory.open(directory, options.reset()));
            data.ifPresent(running::add);
            ApiFront api = ApiFront.bind(options.apiPort(), clock, log);
            running.add(api);
            // The functions' EMF values also feed a CloudWatch stand-in, which the admin API's metrics overview reads.
            CloudWatchEmulator cloudWatch = CloudWatchEmulator.start();
            running.add(cloudWatch);
            LocalMetrics metrics = new LocalMetrics(clock, cloudWatch::put);
            running.add(MetricsConsole.start(metrics, log, METRICS_SUMMARY_INTERVAL));

            Runway runway = startRunway(options, data, template);
            runway.simulator().ifPresent(running::add);
            Optional<RunwaySimulator> simulator = runway.simulator();
            URI runwayBaseUrl = runway.baseUrl();
            String runwayKey = runway.key();
            Optional<String> simulatorKey = runway.isSimulator() ? Optional.of(runwayKey) : Optional.empty();

            AwsBackend aws = options.externalAws()
                    .<AwsBackend>map(external -> ExternalAws.connect(external, EmulatorOptions.DEFAULT_TABLE_NAME, EmulatorOptions.DEFAULT_BUCKET_NAME))
                    .orElseGet(() -> new EmbeddedAws(startEmulators(options, data)));
            running.add(aws);

            DevApp devApp = DevApp.ensure(new DynamoDbAppRepository(aws.dynamoDb(), aws.tableName()),
                    data.map(DataDirectory::devApp), clock,
                    runway.isSimulator() ? DevApp.SIMULATOR_VISIBLE_WORKFLOWS : Set.of(),
                    runway.isSimulator() ? DevApp.SIMULATOR_WORKFLOWS : Map.of());

            // The simulator serves outputs from loopback over http: RELAY_ALLOW_LOOPBACK_HTTP lets them through,
            // so the template's output host allowlist (Runway's CDNs) stays as deployed.
            Map<String, String> parameters = new LinkedHashMap<>(templateParameters);
            parameters.put("RunwayApiBaseUrl", runwayBaseUrl.toString());
            FunctionEnvironment.LocalValues local = new FunctionEnvironment.LocalValues(aws.tableName(), aws.bucketName(), parameters,
                    runwayKey, withCloudWatch(aws.environment(), cloudWatch.endpoint()),
                    Map.of("RELAY_POLLER_RUN_SECONDS", LOCAL_POLLER_RUN_SECONDS),
                    withStreamFailureFile(withFunctionSettings(localOnlyVariables(), options.functionSettings()),
                            data.map(DataDirectory::streamFailures)));

            Map<String, Map<String, String>> environments = new LinkedHashMap<>();
            Map<String, LocalFunction<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> httpFunctions = new LinkedHashMap<>();
            List<Runnable> backgroundStarts = new ArrayList<>();
            String streamArn = aws.dynamoDb().describeTable(request -> request.tableName(aws.tableName())).table().latestStreamArn();
            OnFailureDestination onFailure = new OnFailureDestination(data.map(DataDirectory::streamFailures), clock);
            StreamConsumer.Settings streamSettings = new StreamConsumer.Settings(options.streamPollInterval(), options.streamRetryDelay(),
                    options.streamMaxRetryDelay());

            for (FunctionSpec function : template.functions()) {
                Map<String, String> env = FunctionEnvironment.resolve(template, function, local);
                environments.put(function.logicalId(), env);
                int kinds = (function.routes().isEmpty() ? 0 : 1) + (function.streams().isEmpty() ? 0 : 1) + (function.schedules().isEmpty() ? 0 : 1);
                if (kinds > 1) {
                    throw new StackStartException(function.logicalId() + " mixes HTTP, stream and schedule events; the local stack runs one kind per function");
                }
                if (!function.routes().isEmpty()) {
                    httpFunctions.put(function.logicalId(), LocalFunction.load(function, env, APIGatewayV2HTTPEvent.class,
                            APIGatewayV2HTTPResponse.class, function.reservedConcurrency().orElse(HTTP_INSTANCES), clock, log));
                }
                for (FunctionSpec.StreamSubscription subscription : function.streams()) {
                    LocalFunction<DynamodbEvent, StreamsEventResponse> handler = LocalFunction.load(function, env, DynamodbEvent.class,
                            StreamsEventResponse.class, 1, clock, log);
                    String reader = function.logicalId() + "." + subscription.name();
                    StreamCheckpoints checkpoints = StreamCheckpoints.load(data.map(d -> d.streamPositions(reader)), streamArn);
                    backgroundStarts.add(() -> running.add(StreamConsumer.start(function.logicalId(), subscription, aws.dynamoDbStreams(),
                            streamArn, handler::invoke, checkpoints, streamSettings, onFailure, log)));
                }
                for (FunctionSpec.Schedule schedule : function.schedules()) {
                    @SuppressWarnings({"unchecked", "rawtypes"})
                    LocalFunction<ScheduledEvent, ?> poller = LocalFunction.load(function, env, ScheduledEvent.class, (Class) Map.class, 1, clock, log);
                    backgroundStarts.add(() -> running.add(PollerSchedule.start(poller, schedule, options.pollInterval(), clock, log)));
                }
            }
            backgroundStarts.forEach(Runnable::run);

            // AWS_IAM routes (the admin API) accept requests signed with the stack's own credentials, as in stack.json.
            api.serve(RouteTable.from(template.functions()), httpFunctions,
                    Optional.of(SigV4Check.forEnvironment(aws.environment(), clock)));
            // Bound first so a busy port fails fast; stopped first so no request arrives while the rest stops.
            running.remove(api);
            running.add(api);

            Duration startTime = Duration.ofNanos(System.nanoTime() - started);
            LocalStack stack = new LocalStack(options, log, running, data, aws, simulator, simulatorKey, runwayBaseUrl, devApp, api,
                    java.util.Collections.unmodifiableMap(environments), startTime, metrics);
            data.ifPresent(d -> StackFile.write(d.stackFile(), api.baseUri(), devApp, runwayBaseUrl, simulatorKey,
                    aws.environment(), d.root(), Instant.now(clock)));
            return stack;
        } catch (RuntimeException | Error e) {
            stopAll(running, log);
            if (e instanceof StackStartException || e instanceof Error) {
                throw e;
            }
            throw new StackStartException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
    }

    /**
     * Variables only the local stack sets, which functions read through {@code Env.localOnly}:
     * {@code RELAY_ALLOW_LOOPBACK_HTTP=true} lets plain-http URLs on this machine through where the functions
     * otherwise insist on public https (callback receivers, media and, with the simulator, its output links).
     * The Runway key ({@code RUNWAYML_API_SECRET}) is set by {@link FunctionEnvironment} where the template
     * sets the secret's ARN.
     */
    static Map<String, String> localOnlyVariables() {
        return Map.of("RELAY_ALLOW_LOOPBACK_HTTP", "true");
    }

    /** The AWS variables plus {@code AWS_ENDPOINT_URL_CLOUDWATCH}: the SDK's CloudWatch calls go to the stack's stand-in. */
    /** {@code localOnly} with the environment's function settings ({@link StackOptions#FUNCTION_VARIABLES}) added. */
    static Map<String, String> withFunctionSettings(Map<String, String> localOnly, Map<String, String> functionSettings) {
        Map<String, String> merged = new LinkedHashMap<>(localOnly);
        merged.putAll(functionSettings);
        return Map.copyOf(merged);
    }

    static Map<String, String> withCloudWatch(Map<String, String> aws, URI cloudWatch) {
        Map<String, String> all = new LinkedHashMap<>(aws);
        all.put("AWS_ENDPOINT_URL_CLOUDWATCH", cloudWatch.toString());
        return all;
    }

    /**
     * The local-only variables plus {@code RELAY_STREAM_FAILURE_FILE}: where this stack's stream readers
     * record the batches they gave up on (its stand-in for the stream-failure queue, which the admin
     * health report counts), or {@code none} for an ephemeral stack.
     */
    static Map<String, String> withStreamFailureFile(Map<String, String> localOnly, Optional<Path> streamFailures) {
        Map<String, String> all = new LinkedHashMap<>(localOnly);
        all.put("RELAY_STREAM_FAILURE_FILE", streamFailures.map(path -> path.toAbsolutePath().toString()).orElse("none"));
        return all;
    }

    /** The HTTP API, e.g. {@code http://localhost:3000}. */
    URI apiUrl() {
        return api.baseUri();
    }

    /** The dev app (its key works right away). */
    DevApp devApp() {
        return devApp;
    }

    /** Where the table and bucket live: the embedded emulators, or external endpoints such as LocalStack. */
    AwsBackend aws() {
        return aws;
    }

    /** The Runway simulator this stack started (none with the real Runway API or {@code --simulator-url}). */
    Optional<RunwaySimulator> simulator() {
        return simulator;
    }

    /** The simulator's key, whether this stack started it or uses one of {@code --simulator-url}; empty with real Runway. */
    Optional<String> simulatorKey() {
        return simulatorKey;
    }

    /** Where the functions reach Runway. */
    URI runwayBaseUrl() {
        return runwayBaseUrl;
    }

    /** The options it was started with. */
    StackOptions options() {
        return options;
    }

    /** The data folder, unless ephemeral. */
    Optional<Path> dataDir() {
        return data.map(DataDirectory::root);
    }

    /** {@code stack.json}, unless ephemeral. */
    Optional<Path> stackFile() {
        return data.map(DataDirectory::stackFile);
    }

    /** Each function's environment as resolved for this stack, by logical id. */
    Map<String, Map<String, String>> environments() {
        return environments;
    }

    /** The functions' metrics, aggregated from their EMF output since the stack started. */
    LocalMetrics metrics() {
        return metrics;
    }

    /** How long {@link #start} took. */
    Duration startTime() {
        return startTime;
    }

    /** Stops everything (API first, emulators and the data folder's lock last) and deletes {@code stack.json}. */
    @Override
    public void close() {
        synchronized (running) {
            if (running.isEmpty()) {
                return;
            }
            data.ifPresent(d -> {
                try {
                    Files.deleteIfExists(d.stackFile());
                } catch (IOException e) {
                    // a stale stack.json is harmless: readers check that the API answers
                }
            });
            stopAll(running, log);
        }
    }

    private static void stopAll(List<AutoCloseable> running, StackLog log) {
        synchronized (running) {
            for (AutoCloseable component : running.reversed()) {
                long started = System.nanoTime();
                try {
                    component.close();
                    log.detail("stopped " + component.getClass().getSimpleName() + " in "
                            + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
                } catch (Exception e) {
                    log.warn("stopping " + component.getClass().getSimpleName() + ": " + e);
                }
            }
            running.clear();
        }
    }

    /** Where the functions reach Runway: the simulator this stack started, an external simulator, or the real API. */
    private record Runway(Optional<RunwaySimulator> simulator, URI baseUrl, String key, boolean isSimulator) {
        @Override
        public String toString() {
            return "Runway[baseUrl=" + baseUrl + ", key=***]";
        }
    }

    private static Runway startRunway(StackOptions options, Optional<DataDirectory> data, StackTemplate template) {
        if (options.runwayKey().isPresent()) {
            URI baseUrl = options.runwayBaseUrl().orElseGet(() -> URI.create(template.parameterDefault("RunwayApiBaseUrl")
                    .orElse("https://api.dev.runwayml.com")));
            return new Runway(Optional.empty(), baseUrl, options.runwayKey().get(), false);
        }
        if (options.externalSimulator().isPresent()) {
            StackOptions.ExternalSimulator external = options.externalSimulator().get();
            return new Runway(Optional.empty(), external.baseUrl(), external.apiKey(), true);
        }
        RunwaySimulator simulator = startSimulator(options, data);
        return new Runway(Optional.of(simulator), simulator.baseUri(), simulator.apiKey(), true);
    }

    private static AwsEmulators startEmulators(StackOptions options, Optional<DataDirectory> data) {
        EmulatorOptions emulatorOptions = data.map(d -> EmulatorOptions.persistentIn(d.aws())).orElseGet(EmulatorOptions::inMemory)
                .withDynamoPort(options.dynamoPort())
                .withS3Port(options.s3Port());
        try {
            return AwsEmulators.start(emulatorOptions);
        } catch (EmulatorStartException e) {
            if (StackStartException.isPortConflict(e) && String.valueOf(e.getMessage()).startsWith("DynamoDB Local")) {
                throw StackStartException.portInUse("DynamoDB Local", options.dynamoPort(), "--dynamodb-port", e);
            }
            if (StackStartException.isPortConflict(e) && String.valueOf(e.getMessage()).startsWith("s3proxy")) {
                throw StackStartException.portInUse("S3 (s3proxy)", options.s3Port(), "--s3-port", e);
            }
            throw new StackStartException(e.getMessage(), e);
        }
    }

    private static RunwaySimulator startSimulator(StackOptions options, Optional<DataDirectory> data) {
        SimulatorConfig config;
        try {
            config = SimulatorConfig.fromEnv(options.simulatorSettings());
        } catch (IllegalArgumentException e) {
            throw new StackStartException(e.getMessage(), e);
        }
        String key = config.apiKey() != null ? config.apiKey() : data.map(d -> simulatorKey(d.simulator())).orElse(null);
        SimulatorConfig local = config.toBuilder().port(options.simulatorPort()).apiKey(key).build();
        try {
            return RunwaySimulator.start(local);
        } catch (UncheckedIOException e) {
            if (StackStartException.isPortConflict(e)) {
                throw StackStartException.portInUse("The Runway simulator", options.simulatorPort(), "--simulator-port", e);
            }
            throw new StackStartException("The Runway simulator cannot start: " + e.getMessage(), e);
        }
    }

    /** The simulator's key kept in the data folder, so clients that talk to it directly keep working across restarts. */
    private static String simulatorKey(Path file) {
        try {
            if (Files.exists(file)) {
                JsonNode saved = Json.MAPPER.readTree(file.toFile());
                String key = saved.path("apiKey").asText("");
                if (key.matches("key_[0-9a-f]{128}")) {
                    return key;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " (delete it to get a new simulator key)", e);
        }
        byte[] bytes = new byte[64];
        new SecureRandom().nextBytes(bytes);
        String key = "key_" + HexFormat.of().formatHex(bytes);
        DataDirectory.writePrivate(file, "{\"apiKey\": \"" + key + "\"}\n");
        return key;
    }
}
