package com.runwayrelay.local;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How to run the local stack ({@code ./relay local} options).
 *
 * @param apiPort            HTTP API port ({@code --port}, default {@value #DEFAULT_API_PORT}; 0 picks a free one)
 * @param simulatorPort      Runway simulator port ({@code --simulator-port}, default {@value #DEFAULT_SIMULATOR_PORT})
 * @param dynamoPort         DynamoDB Local port ({@code --dynamodb-port}, default {@value #DEFAULT_DYNAMODB_PORT})
 * @param s3Port             S3 (s3proxy) port ({@code --s3-port}, default {@value #DEFAULT_S3_PORT})
 * @param dataDir            the data folder ({@code --data-dir}, else {@code RELAY_DATA_DIR}, else {@code ./.relay});
 *                           empty with {@code --in-memory}: nothing is kept
 * @param reset              empty the data folder first ({@code --reset})
 * @param runwayKey          a real Runway key ({@code --runway-key}, else {@code RUNWAYML_API_SECRET}): real Runway
 *                           instead of the simulator
 * @param runwayKeySource    where the key came from, for the banner
 * @param runwayBaseUrl      the real Runway API ({@code --runway-base-url}); empty: the template's default
 * @param pollInterval       how often the poller runs ({@code --poll-interval}, default 2 s)
 * @param verbose            also log poller runs and delivered stream batches ({@code --verbose})
 * @param simulatorSettings  the {@code RUNWAY_SIM_*} variables of the environment (see the simulator's README)
 * @param streamPollInterval pause of a stream reader when no shard had records
 * @param streamRetryDelay   first delay before a failed stream batch is retried (doubles each retry)
 * @param streamMaxRetryDelay longest delay between stream retries
 * @param externalAws        DynamoDB and S3 endpoints to use instead of the embedded emulators ({@code --aws-endpoint},
 *                           or {@code --dynamodb-endpoint} with {@code --s3-endpoint}), e.g. LocalStack
 * @param externalSimulator  a Runway simulator already running in another process ({@code --simulator-url} with
 *                           {@code --simulator-key} or {@code RUNWAY_SIM_API_KEY}): the stack starts none and
 *                           uses it, so the simulator outlives a crash of the stack as Runway would
 * @param functionSettings   local-only function variables taken from the environment ({@link #FUNCTION_VARIABLES}),
 *                           given to every function as {@code RELAY_ALLOW_LOOPBACK_HTTP} is
 */
record StackOptions(
        int apiPort,
        int simulatorPort,
        int dynamoPort,
        int s3Port,
        Optional<Path> dataDir,
        boolean reset,
        Optional<String> runwayKey,
        String runwayKeySource,
        Optional<URI> runwayBaseUrl,
        Duration pollInterval,
        boolean verbose,
        Map<String, String> simulatorSettings,
        Duration streamPollInterval,
        Duration streamRetryDelay,
        Duration streamMaxRetryDelay,
        Optional<ExternalAws.Settings> externalAws,
        Optional<ExternalSimulator> externalSimulator,
        Map<String, String> functionSettings) {

    /**
     * A simulator the stack does not own.
     *
     * @param baseUrl its API, e.g. {@code http://127.0.0.1:3001}
     * @param apiKey  its key ({@code key_} and 128 hex digits)
     */
    record ExternalSimulator(URI baseUrl, String apiKey) {
        ExternalSimulator {
            java.util.Objects.requireNonNull(baseUrl, "baseUrl");
            java.util.Objects.requireNonNull(apiKey, "apiKey");
        }

        @Override
        public String toString() {
            return "ExternalSimulator[baseUrl=" + baseUrl + ", apiKey=***]";
        }
    }

    static final int DEFAULT_API_PORT = 3000;
    static final int DEFAULT_SIMULATOR_PORT = 3001;
    static final int DEFAULT_DYNAMODB_PORT = 3002;
    static final int DEFAULT_S3_PORT = 3003;
    static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);
    static final String DATA_DIR_VARIABLE = "RELAY_DATA_DIR";
    static final String RUNWAY_KEY_VARIABLE = "RUNWAYML_API_SECRET";
    static final String SIMULATOR_KEY_VARIABLE = "RUNWAY_SIM_API_KEY";
    /** Credentials for external endpoints (default LocalStack's); never the environment's own AWS keys. */
    static final String EXTERNAL_ACCESS_KEY_VARIABLE = "RELAY_AWS_ACCESS_KEY_ID";
    static final String EXTERNAL_SECRET_KEY_VARIABLE = "RELAY_AWS_SECRET_ACCESS_KEY";
    private static final Pattern SIMULATOR_KEY = Pattern.compile("key_[0-9a-f]{128}");
    /** LocalStack's conventional access key and secret. */
    static final String LOCALSTACK_CREDENTIAL = "test";
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)?");

    /**
     * Environment variables the stack hands on to its functions: {@code RELAY_WEBHOOK_CLAIM_LEASE_SECONDS} shortens the
     * notifier's webhook claim lease (30 to 120 s; the fault soak sets 30 s so an attempt whose claim write a fault
     * answered badly is taken up again sooner); {@code RELAY_POLLER_IN_FLIGHT_GRACE_SECONDS} shortens the poller's
     * in-flight grace (60 to 120 s; the fault soak sets 60 s so a task whose create was in flight when the stack was
     * killed is taken up again sooner).
     */
    static final java.util.Set<String> FUNCTION_VARIABLES = java.util.Set.of("RELAY_WEBHOOK_CLAIM_LEASE_SECONDS",
            "RELAY_POLLER_IN_FLIGHT_GRACE_SECONDS");

    StackOptions {
        simulatorSettings = Map.copyOf(simulatorSettings);
        functionSettings = Map.copyOf(functionSettings);
    }

    /** Everything in memory on free ports, simulator, 1 s poll interval: for the demo's own stack and tests. */
    static StackOptions ephemeral() {
        return new StackOptions(0, 0, 0, 0, Optional.empty(), false, Optional.empty(), "", Optional.empty(),
                Duration.ofSeconds(1), false, Map.of(), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(10), Optional.empty(),
                Optional.empty(), Map.of());
    }

    /** The default data folder: {@code RELAY_DATA_DIR} if set (the {@code relay} script sets it), else {@code ./.relay}. */
    static Path defaultDataDir(Map<String, String> env) {
        String configured = env.get(DATA_DIR_VARIABLE);
        return Path.of(configured == null || configured.isBlank() ? ".relay" : configured);
    }

    /**
     * Reads {@code ./relay local} arguments ({@code --name value} or {@code --name=value}) over the defaults
     * and the environment.
     *
     * @throws UsageException naming the option and what is wrong with it
     */
    static StackOptions parse(List<String> args, Map<String, String> env) {
        int apiPort = DEFAULT_API_PORT;
        int simulatorPort = DEFAULT_SIMULATOR_PORT;
        int dynamoPort = DEFAULT_DYNAMODB_PORT;
        int s3Port = DEFAULT_S3_PORT;
        Path dataDir = defaultDataDir(env);
        boolean inMemory = false;
        boolean reset = false;
        String runwayKey = blankToNull(env.get(RUNWAY_KEY_VARIABLE));
        String keySource = runwayKey == null ? "" : "the environment variable " + RUNWAY_KEY_VARIABLE;
        URI runwayBaseUrl = null;
        URI awsEndpoint = null;
        URI dynamoEndpoint = null;
        URI s3Endpoint = null;
        URI simulatorUrl = null;
        String simulatorKey = null;
        Duration pollInterval = DEFAULT_POLL_INTERVAL;
        boolean verbose = false;

        List<String> rest = new ArrayList<>(args);
        while (!rest.isEmpty()) {
            String arg = rest.removeFirst();
            String name = arg;
            String inline = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                name = arg.substring(0, equals);
                inline = arg.substring(equals + 1);
            }
            switch (name) {
                case "--port" -> apiPort = port(name, value(name, inline, rest));
                case "--simulator-port" -> simulatorPort = port(name, value(name, inline, rest));
                case "--dynamodb-port" -> dynamoPort = port(name, value(name, inline, rest));
                case "--s3-port" -> s3Port = port(name, value(name, inline, rest));
                case "--data-dir" -> dataDir = Path.of(value(name, inline, rest));
                case "--in-memory" -> inMemory = flag(name, inline);
                case "--reset" -> reset = flag(name, inline);
                case "--runway-key" -> {
                    runwayKey = value(name, inline, rest);
                    keySource = "--runway-key";
                }
                case "--runway-base-url" -> runwayBaseUrl = url(name, value(name, inline, rest));
                case "--poll-interval" -> pollInterval = duration(name, value(name, inline, rest));
                case "--aws-endpoint" -> awsEndpoint = url(name, value(name, inline, rest));
                case "--dynamodb-endpoint" -> dynamoEndpoint = url(name, value(name, inline, rest));
                case "--s3-endpoint" -> s3Endpoint = url(name, value(name, inline, rest));
                case "--simulator-url" -> simulatorUrl = url(name, value(name, inline, rest));
                case "--simulator-key" -> simulatorKey = value(name, inline, rest);
                case "--verbose", "-v" -> verbose = flag(name, inline);
                default -> throw new UsageException("unknown option '" + arg + "' for ./relay local (see ./relay help)");
            }
        }
        if (inMemory && reset) {
            throw new UsageException("--reset and --in-memory do not go together: an in-memory stack starts empty anyway");
        }
        if (runwayBaseUrl != null && runwayKey == null) {
            throw new UsageException("--runway-base-url needs a real Runway key (--runway-key or " + RUNWAY_KEY_VARIABLE + ")");
        }
        Optional<ExternalAws.Settings> external = externalAws(awsEndpoint, dynamoEndpoint, s3Endpoint, env);
        Optional<ExternalSimulator> externalSimulator = externalSimulator(simulatorUrl, simulatorKey, runwayKey != null, env);
        List<Integer> fixed = new ArrayList<>();
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("--port", apiPort);
        if (external.isEmpty()) {
            ports.put("--dynamodb-port", dynamoPort);
            ports.put("--s3-port", s3Port);
        }
        if (runwayKey == null && externalSimulator.isEmpty()) {
            ports.put("--simulator-port", simulatorPort);
        }
        for (var entry : ports.entrySet()) {
            if (entry.getValue() != 0 && fixed.contains(entry.getValue())) {
                throw new UsageException(entry.getKey() + " " + entry.getValue() + " is already used by another component; give each its own port");
            }
            fixed.add(entry.getValue());
        }
        Map<String, String> simulator = new LinkedHashMap<>();
        Map<String, String> functions = new LinkedHashMap<>();
        env.forEach((variable, value) -> {
            if (variable.startsWith("RUNWAY_SIM_")) {
                simulator.put(variable, value);
            }
            if (FUNCTION_VARIABLES.contains(variable)) {
                functions.put(variable, value);
            }
        });
        return new StackOptions(apiPort, simulatorPort, dynamoPort, s3Port, inMemory ? Optional.empty() : Optional.of(dataDir), reset,
                Optional.ofNullable(runwayKey), keySource, Optional.ofNullable(runwayBaseUrl), pollInterval, verbose, simulator,
                Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(10), external, externalSimulator, functions);
    }

    private static Optional<ExternalSimulator> externalSimulator(URI url, String optionKey, boolean realRunway, Map<String, String> env) {
        if (url == null) {
            if (optionKey != null) {
                throw new UsageException("--simulator-key goes with --simulator-url (the stack's own simulator makes its own key)");
            }
            return Optional.empty();
        }
        if (realRunway) {
            throw new UsageException("--simulator-url and a real Runway key (--runway-key or " + RUNWAY_KEY_VARIABLE
                    + ") exclude each other: choose the simulator or Runway");
        }
        String key = optionKey != null ? optionKey.trim() : blankToNull(env.get(SIMULATOR_KEY_VARIABLE));
        if (key == null) {
            throw new UsageException("--simulator-url needs the simulator's key: --simulator-key or " + SIMULATOR_KEY_VARIABLE);
        }
        if (!SIMULATOR_KEY.matcher(key).matches()) {
            throw new UsageException("the simulator key must be key_ followed by 128 lowercase hex digits, as RunwaySimulatorMain prints it");
        }
        return Optional.of(new ExternalSimulator(url, key));
    }

    /**
     * External endpoints from the options. LocalStack accepts any credentials, so fixed ones are used rather than
     * whatever AWS keys the environment holds: those must never end up in {@code stack.json} or on the console.
     */
    private static Optional<ExternalAws.Settings> externalAws(URI both, URI dynamo, URI s3, Map<String, String> env) {
        if (both == null && dynamo == null && s3 == null) {
            return Optional.empty();
        }
        if (both != null && (dynamo != null || s3 != null)) {
            throw new UsageException("--aws-endpoint sets both endpoints; give either it or --dynamodb-endpoint with --s3-endpoint");
        }
        if (both == null && (dynamo == null || s3 == null)) {
            throw new UsageException("--dynamodb-endpoint and --s3-endpoint go together (or use --aws-endpoint for one endpoint serving both)");
        }
        String region = blankToNull(env.get("AWS_REGION"));
        String accessKey = blankToNull(env.get(EXTERNAL_ACCESS_KEY_VARIABLE));
        String secretKey = blankToNull(env.get(EXTERNAL_SECRET_KEY_VARIABLE));
        if ((accessKey == null) != (secretKey == null)) {
            throw new UsageException(EXTERNAL_ACCESS_KEY_VARIABLE + " and " + EXTERNAL_SECRET_KEY_VARIABLE + " go together");
        }
        return Optional.of(new ExternalAws.Settings(both != null ? both : dynamo, both != null ? both : s3,
                region == null ? "us-east-1" : region, accessKey == null ? LOCALSTACK_CREDENTIAL : accessKey,
                secretKey == null ? LOCALSTACK_CREDENTIAL : secretKey));
    }

    /** The same options with another data folder ({@code null}: in memory). */
    StackOptions withDataDir(Path directory) {
        return new StackOptions(apiPort, simulatorPort, dynamoPort, s3Port, Optional.ofNullable(directory), reset, runwayKey, runwayKeySource,
                runwayBaseUrl, pollInterval, verbose, simulatorSettings, streamPollInterval, streamRetryDelay, streamMaxRetryDelay, externalAws, externalSimulator, functionSettings);
    }

    /** The same options with the given simulator settings ({@code RUNWAY_SIM_*} names). */
    StackOptions withSimulatorSettings(Map<String, String> settings) {
        return new StackOptions(apiPort, simulatorPort, dynamoPort, s3Port, dataDir, reset, runwayKey, runwayKeySource,
                runwayBaseUrl, pollInterval, verbose, settings, streamPollInterval, streamRetryDelay, streamMaxRetryDelay, externalAws, externalSimulator, functionSettings);
    }

    /** The same options with another poll interval. */
    StackOptions withPollInterval(Duration interval) {
        return new StackOptions(apiPort, simulatorPort, dynamoPort, s3Port, dataDir, reset, runwayKey, runwayKeySource,
                runwayBaseUrl, interval, verbose, simulatorSettings, streamPollInterval, streamRetryDelay, streamMaxRetryDelay, externalAws, externalSimulator, functionSettings);
    }

    /** The same options with other ports (API, simulator, DynamoDB, S3). */
    StackOptions withPorts(int api, int simulator, int dynamo, int s3) {
        return new StackOptions(api, simulator, dynamo, s3, dataDir, reset, runwayKey, runwayKeySource,
                runwayBaseUrl, pollInterval, verbose, simulatorSettings, streamPollInterval, streamRetryDelay, streamMaxRetryDelay, externalAws, externalSimulator, functionSettings);
    }

    /** The same options with external DynamoDB and S3 endpoints instead of the embedded emulators. */
    StackOptions withExternalAws(ExternalAws.Settings settings) {
        return new StackOptions(apiPort, simulatorPort, dynamoPort, s3Port, dataDir, reset, runwayKey, runwayKeySource,
                runwayBaseUrl, pollInterval, verbose, simulatorSettings, streamPollInterval, streamRetryDelay, streamMaxRetryDelay,
                Optional.of(settings), externalSimulator, functionSettings);
    }

    /** The same options with a simulator running elsewhere instead of one of the stack's own. */
    StackOptions withExternalSimulator(ExternalSimulator simulator) {
        return new StackOptions(apiPort, simulatorPort, dynamoPort, s3Port, dataDir, reset, runwayKey, runwayKeySource,
                runwayBaseUrl, pollInterval, verbose, simulatorSettings, streamPollInterval, streamRetryDelay, streamMaxRetryDelay, externalAws,
                Optional.of(simulator), functionSettings);
    }

    /** The same options with a reset of the data folder. */
    StackOptions withReset(boolean value) {
        return new StackOptions(apiPort, simulatorPort, dynamoPort, s3Port, dataDir, value, runwayKey, runwayKeySource,
                runwayBaseUrl, pollInterval, verbose, simulatorSettings, streamPollInterval, streamRetryDelay, streamMaxRetryDelay, externalAws, externalSimulator, functionSettings);
    }

    @Override
    public String toString() {
        return "StackOptions[apiPort=" + apiPort + ", simulatorPort=" + simulatorPort + ", dynamoPort=" + dynamoPort + ", s3Port=" + s3Port
                + ", dataDir=" + dataDir.map(Path::toString).orElse("memory") + ", reset=" + reset
                + ", runway=" + (runwayKey.isPresent() ? "real (key ***)" : externalSimulator.map(e -> "simulator at " + e.baseUrl()).orElse("simulator")) + ", pollInterval=" + pollInterval
                + ", aws=" + externalAws.map(Object::toString).orElse("embedded") + "]";
    }

    /** Parses {@code 500ms}, {@code 2s}, {@code 1m} or a plain number of seconds. */
    static Duration duration(String option, String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new UsageException(option + " takes a duration such as 500ms, 2s or 1m (got '" + text + "')");
        }
        long amount = Long.parseLong(m.group(1));
        Duration duration = switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofSeconds(amount);
        };
        if (duration.isZero()) {
            throw new UsageException(option + " must be longer than zero");
        }
        return duration;
    }

    private static String value(String option, String inline, List<String> rest) {
        if (inline != null) {
            return inline;
        }
        if (rest.isEmpty() || rest.getFirst().startsWith("--")) {
            throw new UsageException(option + " needs a value");
        }
        return rest.removeFirst();
    }

    private static boolean flag(String option, String inline) {
        if (inline != null) {
            throw new UsageException(option + " takes no value");
        }
        return true;
    }

    static int port(String option, String text) {
        try {
            int port = Integer.parseInt(text.trim());
            if (port >= 0 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UsageException(option + " takes a port number 1-65535, or 0 for a free one (got '" + text + "')");
    }

    private static URI url(String option, String text) {
        try {
            URI uri = new URI(text.trim());
            if (("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException ignored) {
            // reported below
        }
        throw new UsageException(option + " takes an absolute http(s) URL (got '" + text + "')");
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }
}
