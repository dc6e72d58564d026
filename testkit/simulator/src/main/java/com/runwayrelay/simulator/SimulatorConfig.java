package com.runwayrelay.simulator;

import com.runwayrelay.catalog.UnknownModelPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every setting of the {@link RunwaySimulator}, validated on construction. Start from
 * {@link #defaults()} or {@link #builder()}, or read {@code RUNWAY_SIM_*} variables with
 * {@link #fromEnv(Map)}; {@code testkit/simulator/README.md} documents each setting.
 *
 * @param port                  TCP port on 127.0.0.1; 0 picks a free one
 * @param apiKey                the only key the simulator accepts ({@code key_} + 128 lowercase hex);
 *                              null generates a random one at start
 * @param seed                  seeds random fault decisions and output content, so runs repeat
 * @param clock                 the simulator's notion of now (tests inject a controllable clock)
 * @param sleeper               how a response is held ({@code latency}, delay faults): {@link Sleeper#REAL}
 *                              sleeps; tests record the holds instead
 * @param pendingDuration       how long an admitted task stays PENDING
 * @param runningDuration       how long a task stays RUNNING, its {@code progress} rising from 0 to 1
 * @param defaultLimits         tier limits of every model without an entry in {@code modelLimits}
 * @param modelLimits           tier limits per model name
 * @param creditBalance         the organization's credit balance at start
 * @param unknownModels         what validation does with a model the catalog does not know
 * @param outputUrlTtl          how long a minted output link works
 * @param uploadTtl             how long a {@code runway://} upload URI works after the upload slot is created
 * @param uploadMinBytes        smallest accepted upload
 * @param uploadMaxBytes        largest accepted upload
 * @param outputSizeBytes       when above 0, every output file is padded to exactly this many bytes
 *                              (streamed, never held in memory); 0 keeps the natural size
 * @param imageMaxSide          longest side in pixels of generated images (the ratio is kept)
 * @param videoMaxSide          longest side in pixels of generated video frames
 * @param videoFps              frames per second of generated videos
 * @param audioSampleRate       sample rate of generated WAV files when the request names none
 * @param latency               extra delay before every API response
 * @param rate429               share of API requests answered with 429 (0..1)
 * @param rate5xx               share of API requests answered with 500/502/503 (0..1)
 * @param resetRate             share of API requests whose connection is dropped before processing (0..1)
 * @param resetAfterRate        share of API requests processed (a create really creates) whose connection is then
 *                              dropped without an answer (0..1)
 * @param slowRate              share of API requests answered only after {@code slowDuration} (0..1)
 * @param slowDuration          how long a slow answer waits before the request is processed
 * @param truncateRate          share of output downloads cut off half way (0..1)
 * @param failureRate           share of tasks that end FAILED (0..1)
 * @param failureCodes          failure codes a randomly failed task picks from
 * @param modelRunningDurations {@code runningDuration} per model name, for a mix of short and long tasks
 *                              (models without an entry use {@code runningDuration})
 */
public record SimulatorConfig(
        int port,
        String apiKey,
        long seed,
        Clock clock,
        Sleeper sleeper,
        Duration pendingDuration,
        Duration runningDuration,
        ModelLimits defaultLimits,
        Map<String, ModelLimits> modelLimits,
        long creditBalance,
        UnknownModelPolicy unknownModels,
        Duration outputUrlTtl,
        Duration uploadTtl,
        long uploadMinBytes,
        long uploadMaxBytes,
        long outputSizeBytes,
        int imageMaxSide,
        int videoMaxSide,
        int videoFps,
        int audioSampleRate,
        Duration latency,
        double rate429,
        double rate5xx,
        double resetRate,
        double resetAfterRate,
        double slowRate,
        Duration slowDuration,
        double truncateRate,
        double failureRate,
        List<String> failureCodes,
        Map<String, Duration> modelRunningDurations) {

    /** Prefix of every environment variable {@link #fromEnv(Map)} reads. */
    public static final String ENV_PREFIX = "RUNWAY_SIM_";

    private static final Pattern API_KEY = Pattern.compile("key_[0-9a-f]{128}");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(|B|K|KiB|M|MiB|G|GiB)", Pattern.CASE_INSENSITIVE);

    public SimulatorConfig {
        List<String> problems = new ArrayList<>();
        if (port < 0 || port > 65535) {
            problems.add("port must be 0..65535, was " + port);
        }
        if (apiKey != null && !API_KEY.matcher(apiKey).matches()) {
            problems.add("apiKey must be key_ followed by 128 lowercase hex characters");
        }
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(sleeper, "sleeper");
        requireNotNegative(problems, "pendingDuration", pendingDuration);
        requireNotNegative(problems, "runningDuration", runningDuration);
        Objects.requireNonNull(defaultLimits, "defaultLimits");
        modelLimits = Map.copyOf(modelLimits);
        if (creditBalance < 0) {
            problems.add("creditBalance must not be negative, was " + creditBalance);
        }
        Objects.requireNonNull(unknownModels, "unknownModels");
        requirePositive(problems, "outputUrlTtl", outputUrlTtl);
        requirePositive(problems, "uploadTtl", uploadTtl);
        if (uploadMinBytes < 0 || uploadMaxBytes < uploadMinBytes) {
            problems.add("need 0 <= uploadMinBytes <= uploadMaxBytes, was " + uploadMinBytes + " and " + uploadMaxBytes);
        }
        if (outputSizeBytes < 0) {
            problems.add("outputSizeBytes must not be negative, was " + outputSizeBytes);
        }
        requireRange(problems, "imageMaxSide", imageMaxSide, 16, 8192);
        requireRange(problems, "videoMaxSide", videoMaxSide, 16, 4096);
        requireRange(problems, "videoFps", videoFps, 1, 60);
        requireRange(problems, "audioSampleRate", audioSampleRate, 8000, 96000);
        requireNotNegative(problems, "latency", latency);
        requireRate(problems, "rate429", rate429);
        requireRate(problems, "rate5xx", rate5xx);
        requireRate(problems, "resetRate", resetRate);
        requireRate(problems, "resetAfterRate", resetAfterRate);
        requireRate(problems, "slowRate", slowRate);
        requireNotNegative(problems, "slowDuration", slowDuration);
        requireRate(problems, "truncateRate", truncateRate);
        requireRate(problems, "failureRate", failureRate);
        failureCodes = List.copyOf(failureCodes);
        if (failureCodes.isEmpty() || failureCodes.stream().anyMatch(String::isBlank)) {
            problems.add("failureCodes must name at least one non-blank code");
        }
        modelRunningDurations = Map.copyOf(modelRunningDurations);
        modelRunningDurations.forEach((model, d) -> requireNotNegative(problems, "modelRunningDurations[" + model + "]", d));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid simulator config: " + String.join("; ", problems));
        }
    }

    /** How long a task of {@code model} stays RUNNING: its entry in {@code modelRunningDurations}, else {@code runningDuration}. */
    public Duration runningDurationFor(String model) {
        Duration own = model == null ? null : modelRunningDurations.get(model);
        return own != null ? own : runningDuration;
    }

    /** The defaults: PENDING 1 s, RUNNING 3 s, 5 concurrent and 1000 daily generations per model, no faults. */
    public static SimulatorConfig defaults() {
        return builder().build();
    }

    /** A builder holding the {@linkplain #defaults() defaults}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this config's values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Holds a response for a while; {@link #REAL} sleeps, a test's records the hold and returns. */
    @FunctionalInterface
    public interface Sleeper {
        /** {@link Thread#sleep(Duration)}. */
        Sleeper REAL = Thread::sleep;

        void sleep(Duration duration) throws InterruptedException;
    }

    /** Like the record's own, with the API key redacted. */
    @Override
    public String toString() {
        return "SimulatorConfig[port=" + port + ", apiKey=" + (apiKey == null ? "generated" : "<redacted>") + ", seed=" + seed
                + ", pending=" + pendingDuration + ", running=" + runningDuration + ", defaultLimits=" + defaultLimits
                + ", modelLimits=" + modelLimits + ", creditBalance=" + creditBalance + ", unknownModels=" + unknownModels
                + ", outputUrlTtl=" + outputUrlTtl + ", uploadTtl=" + uploadTtl + ", upload=" + uploadMinBytes + ".." + uploadMaxBytes
                + ", outputSizeBytes=" + outputSizeBytes + ", imageMaxSide=" + imageMaxSide + ", videoMaxSide=" + videoMaxSide
                + ", videoFps=" + videoFps + ", audioSampleRate=" + audioSampleRate + ", latency=" + latency
                + ", rate429=" + rate429 + ", rate5xx=" + rate5xx + ", resetRate=" + resetRate + ", resetAfterRate=" + resetAfterRate
                + ", slowRate=" + slowRate + ", slowDuration=" + slowDuration + ", truncateRate=" + truncateRate
                + ", failureRate=" + failureRate + ", failureCodes=" + failureCodes + "]";
    }

    /** The limits that apply to a model. */
    public ModelLimits limitsFor(String model) {
        return modelLimits.getOrDefault(model, defaultLimits);
    }

    /**
     * Reads the {@code RUNWAY_SIM_*} entries of an environment map over the defaults. Entries without
     * the prefix are ignored; an unknown {@code RUNWAY_SIM_*} name is an error (it is almost always a
     * typo). Every bad entry is named in one {@link IllegalArgumentException}.
     */
    public static SimulatorConfig fromEnv(Map<String, String> env) {
        Builder b = builder();
        List<String> problems = new ArrayList<>();
        Map<String, Function<String, Object>> readers = new LinkedHashMap<>();
        readers.put("PORT", v -> b.port(Integer.parseInt(v)));
        readers.put("API_KEY", b::apiKey);
        readers.put("SEED", v -> b.seed(Long.parseLong(v)));
        readers.put("PENDING_MS", v -> b.pendingDuration(Duration.ofMillis(Long.parseLong(v))));
        readers.put("RUNNING_MS", v -> b.runningDuration(Duration.ofMillis(Long.parseLong(v))));
        readers.put("MAX_CONCURRENT", v -> b.defaultLimits(new ModelLimits(parseLimit(v), b.defaultLimits.maxDailyGenerations())));
        readers.put("MAX_DAILY", v -> b.defaultLimits(new ModelLimits(b.defaultLimits.maxConcurrentGenerations(), parseLimit(v))));
        readers.put("MODEL_LIMITS", v -> b.modelLimits(parseModelLimits(v)));
        readers.put("CREDIT_BALANCE", v -> b.creditBalance(Long.parseLong(v)));
        readers.put("UNKNOWN_MODELS", v -> b.unknownModels(UnknownModelPolicy.valueOf(v.trim().toUpperCase(Locale.ROOT))));
        readers.put("OUTPUT_URL_TTL_S", v -> b.outputUrlTtl(Duration.ofSeconds(Long.parseLong(v))));
        readers.put("UPLOAD_TTL_S", v -> b.uploadTtl(Duration.ofSeconds(Long.parseLong(v))));
        readers.put("UPLOAD_MIN_BYTES", v -> b.uploadMinBytes(parseSize(v)));
        readers.put("UPLOAD_MAX_BYTES", v -> b.uploadMaxBytes(parseSize(v)));
        readers.put("OUTPUT_SIZE", v -> b.outputSizeBytes(parseSize(v)));
        readers.put("IMAGE_MAX_SIDE", v -> b.imageMaxSide(Integer.parseInt(v)));
        readers.put("VIDEO_MAX_SIDE", v -> b.videoMaxSide(Integer.parseInt(v)));
        readers.put("VIDEO_FPS", v -> b.videoFps(Integer.parseInt(v)));
        readers.put("AUDIO_SAMPLE_RATE", v -> b.audioSampleRate(Integer.parseInt(v)));
        readers.put("LATENCY_MS", v -> b.latency(Duration.ofMillis(Long.parseLong(v))));
        readers.put("RATE_429", v -> b.rate429(Double.parseDouble(v)));
        readers.put("RATE_5XX", v -> b.rate5xx(Double.parseDouble(v)));
        readers.put("RATE_RESET", v -> b.resetRate(Double.parseDouble(v)));
        readers.put("RATE_RESET_AFTER", v -> b.resetAfterRate(Double.parseDouble(v)));
        readers.put("RATE_SLOW", v -> b.slowRate(Double.parseDouble(v)));
        readers.put("SLOW_MS", v -> b.slowDuration(Duration.ofMillis(Long.parseLong(v))));
        readers.put("RATE_TRUNCATE", v -> b.truncateRate(Double.parseDouble(v)));
        readers.put("FAILURE_RATE", v -> b.failureRate(Double.parseDouble(v)));
        readers.put("FAILURE_CODES", v -> b.failureCodes(List.of(v.trim().split("\\s*,\\s*"))));
        readers.put("MODEL_RUNNING_MS", v -> b.modelRunningDurations(parseModelDurations(v)));

        Set<String> names = new TreeSet<>(env.keySet());
        for (String name : names) {
            if (!name.startsWith(ENV_PREFIX)) {
                continue;
            }
            String key = name.substring(ENV_PREFIX.length());
            Function<String, Object> reader = readers.get(key);
            if (reader == null) {
                problems.add(name + " is not a simulator setting (known: " + ENV_PREFIX + "{" + String.join(",", readers.keySet()) + "})");
                continue;
            }
            String value = env.get(name).trim();
            try {
                reader.apply(value);
            } catch (RuntimeException e) {
                problems.add(name + "='" + (key.equals("API_KEY") ? "<redacted>" : value) + "' is invalid: " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid simulator environment: " + String.join("; ", problems));
        }
        return b.build();
    }

    /** Parses a byte count such as {@code 512}, {@code 64KiB}, {@code 10M} or {@code 2GiB} (binary units). */
    static long parseSize(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a byte count like 1048576, 512KiB, 10MiB or 2GiB");
        }
        long value = Long.parseLong(m.group(1));
        int shift = switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "K", "KIB" -> 10;
            case "M", "MIB" -> 20;
            case "G", "GIB" -> 30;
            default -> 0;
        };
        return Math.multiplyExact(value, 1L << shift);
    }

    private static Integer parseLimit(String text) {
        String v = text.trim();
        return v.equalsIgnoreCase("unlimited") || v.equalsIgnoreCase("null") ? null : Integer.valueOf(v);
    }

    /** Parses {@code model=concurrent/daily,...}, e.g. {@code gen4.5=1/50,veo3.1=unlimited/10}. */
    private static Map<String, ModelLimits> parseModelLimits(String text) {
        Map<String, ModelLimits> out = new LinkedHashMap<>();
        if (text.isBlank()) {
            return out;
        }
        for (String entry : text.split(",")) {
            String[] kv = entry.trim().split("=", 2);
            String[] limits = kv.length == 2 ? kv[1].split("/", 2) : new String[0];
            if (limits.length != 2 || kv[0].isBlank()) {
                throw new IllegalArgumentException("expected model=concurrent/daily entries separated by commas, got '" + entry.trim() + "'");
            }
            out.put(kv[0].trim(), new ModelLimits(parseLimit(limits[0]), parseLimit(limits[1])));
        }
        return out;
    }

    /** Parses {@code model=milliseconds,...}, e.g. {@code gen4_image=8000,veo3.1=120000}. */
    private static Map<String, Duration> parseModelDurations(String text) {
        Map<String, Duration> out = new LinkedHashMap<>();
        if (text.isBlank()) {
            return out;
        }
        for (String entry : text.split(",")) {
            String[] kv = entry.trim().split("=", 2);
            if (kv.length != 2 || kv[0].isBlank()) {
                throw new IllegalArgumentException("expected model=milliseconds entries separated by commas, got '" + entry.trim() + "'");
            }
            out.put(kv[0].trim(), Duration.ofMillis(Long.parseLong(kv[1].trim())));
        }
        return out;
    }

    private static void requireNotNegative(List<String> problems, String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            problems.add(name + " must not be negative, was " + d);
        }
    }

    private static void requirePositive(List<String> problems, String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            problems.add(name + " must be positive, was " + d);
        }
    }

    private static void requireRange(List<String> problems, String name, int value, int min, int max) {
        if (value < min || value > max) {
            problems.add(name + " must be " + min + ".." + max + ", was " + value);
        }
    }

    private static void requireRate(List<String> problems, String name, double rate) {
        if (!(rate >= 0.0 && rate <= 1.0)) {
            problems.add(name + " must be between 0 and 1, was " + rate);
        }
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private int port;
        private String apiKey;
        private long seed = 20241106L;
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.REAL;
        private Duration pendingDuration = Duration.ofSeconds(1);
        private Duration runningDuration = Duration.ofSeconds(3);
        private ModelLimits defaultLimits = new ModelLimits(5, 1000);
        private Map<String, ModelLimits> modelLimits = Map.of();
        private long creditBalance = 1_000_000L;
        private UnknownModelPolicy unknownModels = UnknownModelPolicy.REJECT;
        private Duration outputUrlTtl = Duration.ofHours(24);
        private Duration uploadTtl = Duration.ofHours(24);
        private long uploadMinBytes = 512;
        private long uploadMaxBytes = 200L * 1024 * 1024;
        private long outputSizeBytes;
        private int imageMaxSide = 512;
        private int videoMaxSide = 320;
        private int videoFps = 8;
        private int audioSampleRate = 16_000;
        private Duration latency = Duration.ZERO;
        private double rate429;
        private double rate5xx;
        private double resetRate;
        private double resetAfterRate;
        private double slowRate;
        private Duration slowDuration = Duration.ofSeconds(2);
        private double truncateRate;
        private double failureRate;
        private List<String> failureCodes = List.of("INTERNAL.BAD_OUTPUT.CODE01", "THIRD_PARTY.UNAVAILABLE", "INTERNAL");
        private Map<String, Duration> modelRunningDurations = Map.of();

        private Builder() {
        }

        private Builder(SimulatorConfig c) {
            port = c.port;
            apiKey = c.apiKey;
            seed = c.seed;
            clock = c.clock;
            sleeper = c.sleeper;
            pendingDuration = c.pendingDuration;
            runningDuration = c.runningDuration;
            defaultLimits = c.defaultLimits;
            modelLimits = c.modelLimits;
            creditBalance = c.creditBalance;
            unknownModels = c.unknownModels;
            outputUrlTtl = c.outputUrlTtl;
            uploadTtl = c.uploadTtl;
            uploadMinBytes = c.uploadMinBytes;
            uploadMaxBytes = c.uploadMaxBytes;
            outputSizeBytes = c.outputSizeBytes;
            imageMaxSide = c.imageMaxSide;
            videoMaxSide = c.videoMaxSide;
            videoFps = c.videoFps;
            audioSampleRate = c.audioSampleRate;
            latency = c.latency;
            rate429 = c.rate429;
            rate5xx = c.rate5xx;
            resetRate = c.resetRate;
            resetAfterRate = c.resetAfterRate;
            slowRate = c.slowRate;
            slowDuration = c.slowDuration;
            truncateRate = c.truncateRate;
            failureRate = c.failureRate;
            failureCodes = c.failureCodes;
            modelRunningDurations = c.modelRunningDurations;
        }

        public Builder port(int v) { port = v; return this; }
        public Builder apiKey(String v) { apiKey = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder clock(Clock v) { clock = v; return this; }
        public Builder sleeper(Sleeper v) { sleeper = v; return this; }
        public Builder pendingDuration(Duration v) { pendingDuration = v; return this; }
        public Builder runningDuration(Duration v) { runningDuration = v; return this; }
        public Builder defaultLimits(ModelLimits v) { defaultLimits = v; return this; }
        public Builder modelLimits(Map<String, ModelLimits> v) { modelLimits = v; return this; }
        /** Adds or replaces the limits of one model. */
        public Builder modelLimit(String model, ModelLimits v) {
            Map<String, ModelLimits> copy = new LinkedHashMap<>(modelLimits);
            copy.put(model, v);
            modelLimits = copy;
            return this;
        }
        public Builder creditBalance(long v) { creditBalance = v; return this; }
        public Builder unknownModels(UnknownModelPolicy v) { unknownModels = v; return this; }
        public Builder outputUrlTtl(Duration v) { outputUrlTtl = v; return this; }
        public Builder uploadTtl(Duration v) { uploadTtl = v; return this; }
        public Builder uploadMinBytes(long v) { uploadMinBytes = v; return this; }
        public Builder uploadMaxBytes(long v) { uploadMaxBytes = v; return this; }
        public Builder outputSizeBytes(long v) { outputSizeBytes = v; return this; }
        public Builder imageMaxSide(int v) { imageMaxSide = v; return this; }
        public Builder videoMaxSide(int v) { videoMaxSide = v; return this; }
        public Builder videoFps(int v) { videoFps = v; return this; }
        public Builder audioSampleRate(int v) { audioSampleRate = v; return this; }
        public Builder latency(Duration v) { latency = v; return this; }
        public Builder rate429(double v) { rate429 = v; return this; }
        public Builder rate5xx(double v) { rate5xx = v; return this; }
        public Builder resetRate(double v) { resetRate = v; return this; }
        public Builder resetAfterRate(double v) { resetAfterRate = v; return this; }
        public Builder slowRate(double v) { slowRate = v; return this; }
        public Builder slowDuration(Duration v) { slowDuration = v; return this; }
        public Builder truncateRate(double v) { truncateRate = v; return this; }
        public Builder failureRate(double v) { failureRate = v; return this; }
        public Builder failureCodes(List<String> v) { failureCodes = v; return this; }
        public Builder modelRunningDurations(Map<String, Duration> v) { modelRunningDurations = v; return this; }
        /** Adds or replaces the running duration of one model. */
        public Builder modelRunningDuration(String model, Duration v) {
            Map<String, Duration> copy = new LinkedHashMap<>(modelRunningDurations);
            copy.put(model, v);
            modelRunningDurations = copy;
            return this;
        }

        /** Validates and returns the config; throws {@link IllegalArgumentException} naming every problem. */
        public SimulatorConfig build() {
            return new SimulatorConfig(port, apiKey, seed, clock, sleeper, pendingDuration, runningDuration, defaultLimits,
                    modelLimits, creditBalance, unknownModels, outputUrlTtl, uploadTtl, uploadMinBytes, uploadMaxBytes,
                    outputSizeBytes, imageMaxSide, videoMaxSide, videoFps, audioSampleRate, latency, rate429, rate5xx,
                    resetRate, resetAfterRate, slowRate, slowDuration, truncateRate, failureRate, failureCodes,
                    modelRunningDurations);
        }
    }
}
