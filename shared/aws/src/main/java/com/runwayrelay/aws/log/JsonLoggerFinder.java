package com.runwayrelay.aws.log;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.text.MessageFormat;
import java.util.ResourceBundle;
import java.util.function.Supplier;

/**
 * Makes every {@link System.Logger} in the JVM write {@link JsonLog} lines ({@code event: "log"},
 * {@code logger}, {@code message}, and an exception's class and message, without its stack), so the
 * functions' remaining log calls, the Runway client's included, are JSON like their events. Installed
 * as a service ({@code META-INF/services/java.lang.System$LoggerFinder}); the threshold is Lambda's
 * {@code AWS_LAMBDA_LOG_LEVEL}.
 */
public final class JsonLoggerFinder extends System.LoggerFinder {
    private final JsonLog log;

    public JsonLoggerFinder() {
        this(JsonLog.STDOUT);
    }

    JsonLoggerFinder(JsonLog log) {
        this.log = log;
    }

    @Override
    public Logger getLogger(String name, Module module) {
        return new JsonLogger(name, log);
    }

    /** One named logger. */
    static final class JsonLogger implements Logger {
        private final String name;
        private final JsonLog log;

        JsonLogger(String name, JsonLog log) {
            this.name = name;
            this.log = log;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean isLoggable(Level level) {
            return log.loggable(level);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
            if (isLoggable(level)) {
                write(level, localized(bundle, message), thrown);
            }
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            if (isLoggable(level)) {
                String pattern = localized(bundle, format);
                write(level, params == null || params.length == 0 ? pattern : MessageFormat.format(pattern, params), null);
            }
        }

        @Override
        public void log(Level level, Supplier<String> message) {
            if (isLoggable(level)) {
                write(level, message.get(), null);
            }
        }

        private void write(Level level, String message, Throwable thrown) {
            JsonLog.Event event = log.event("log").field("logger", name).field("message", message);
            if (thrown != null) {
                event.field("error", thrown.getClass().getName()).field("errorMessage", String.valueOf(thrown.getMessage()));
            }
            event.at(level);
        }

        private static String localized(ResourceBundle bundle, String key) {
            if (bundle != null && key != null && bundle.containsKey(key)) {
                return bundle.getString(key);
            }
            return key;
        }
    }
}
