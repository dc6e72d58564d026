package com.runwayrelay.aws.log;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One JSON object per line: {@code level}, {@code timestamp}, {@code event}, then the event's fields
 * ({@code taskId}, {@code appId}, {@code runwayTaskId}, {@code state}, {@code durationMs}, …). Callers
 * pass only ids, states, outcomes, codes, counts and durations: never a request body, a key, a secret,
 * a URL or a message that could quote one. Lines below the threshold (Lambda's {@code
 * AWS_LAMBDA_LOG_LEVEL}, from the template's {@code ApplicationLogLevel}; INFO when unset) are not
 * written. Thread-safe: one {@code println} per line.
 */
public final class JsonLog {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The standard output of the moment (looked up per line, so a redirected {@code System.out} is honoured). */
    public static final JsonLog STDOUT = new JsonLog(() -> System.out, Clock.systemUTC(), threshold(System.getenv("AWS_LAMBDA_LOG_LEVEL")));

    private final Supplier<PrintStream> out;
    private final Clock clock;
    private final Level threshold;

    public JsonLog(Supplier<PrintStream> out, Clock clock, Level threshold) {
        this.out = Objects.requireNonNull(out, "out");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.threshold = Objects.requireNonNull(threshold, "threshold");
    }

    /**
     * A stream that writes to the standard output of the moment ({@code System.out} looked up per write),
     * for writers that take a stream at init: the local stack redirects standard output after functions load.
     */
    public static PrintStream currentStandardOutput() {
        return new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                System.out.write(b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                System.out.write(bytes, offset, length);
            }

            @Override
            public void flush() {
                System.out.flush();
            }
        }, true, StandardCharsets.UTF_8);
    }

    /** The level a Lambda log-level name stands for ({@code TRACE}…{@code FATAL}); INFO for none or another. */
    public static Level threshold(String lambdaLogLevel) {
        if (lambdaLogLevel == null) {
            return Level.INFO;
        }
        return switch (lambdaLogLevel.trim().toUpperCase(Locale.ROOT)) {
            case "TRACE" -> Level.TRACE;
            case "DEBUG" -> Level.DEBUG;
            case "WARN" -> Level.WARNING;
            case "ERROR", "FATAL" -> Level.ERROR;
            default -> Level.INFO;
        };
    }

    /** The name Lambda's filter reads for a level. */
    static String levelName(Level level) {
        return switch (level) {
            case ALL, TRACE -> "TRACE";
            case DEBUG -> "DEBUG";
            case INFO -> "INFO";
            case WARNING -> "WARN";
            case ERROR, OFF -> "ERROR";
        };
    }

    /** Starts an event named {@code name} (e.g. {@code archiver.attempt}). */
    public Event event(String name) {
        ObjectNode line = JSON.createObjectNode();
        line.put("level", "INFO");
        line.put("timestamp", clock.instant().toString());
        line.put("event", Objects.requireNonNull(name, "name"));
        return new Event(line);
    }

    boolean loggable(Level level) {
        return level != Level.OFF && level.getSeverity() >= threshold.getSeverity();
    }

    void write(Level level, ObjectNode line) {
        if (!loggable(level)) {
            return;
        }
        line.put("level", levelName(level));
        String text;
        try {
            text = JSON.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a log line", e);
        }
        out.get().println(text);
    }

    /** An event being filled in; written by {@link #info()}, {@link #warn()} or {@link #error()}. */
    public final class Event {
        private final ObjectNode line;

        private Event(ObjectNode line) {
            this.line = line;
        }

        public Event taskId(String taskId) {
            return field("taskId", taskId);
        }

        public Event appId(String appId) {
            return field("appId", appId);
        }

        public Event runwayTaskId(String runwayTaskId) {
            return field("runwayTaskId", runwayTaskId);
        }

        public Event state(String state) {
            return field("state", state);
        }

        public Event duration(Duration duration) {
            line.put("durationMs", duration.toMillis());
            return this;
        }

        /** A field; a null value is left out. */
        public Event field(String name, String value) {
            if (value != null) {
                line.put(name, value);
            }
            return this;
        }

        public Event field(String name, long value) {
            line.put(name, value);
            return this;
        }

        public void info() {
            write(Level.INFO, line);
        }

        public void warn() {
            write(Level.WARNING, line);
        }

        public void error() {
            write(Level.ERROR, line);
        }

        void at(Level level) {
            write(level, line);
        }
    }
}
