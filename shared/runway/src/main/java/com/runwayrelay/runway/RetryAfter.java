package com.runwayrelay.runway;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads the server's requested delay the way the official SDKs do: {@code retry-after-ms}
 * (milliseconds) first, then {@code retry-after} as seconds or as an HTTP date.
 */
final class RetryAfter {

    private RetryAfter() {
    }

    /** The requested delay, never negative; empty when no header holds a usable value. */
    static Optional<Duration> from(HttpHeaders headers, Clock clock) {
        Optional<Duration> millis = headers.firstValue("retry-after-ms").flatMap(v -> number(v, 1));
        if (millis.isPresent()) {
            return millis;
        }
        Optional<String> value = headers.firstValue("retry-after");
        if (value.isEmpty()) {
            return Optional.empty();
        }
        Optional<Duration> seconds = number(value.get(), 1000);
        return seconds.isPresent() ? seconds : httpDate(value.get(), clock);
    }

    private static Optional<Duration> number(String text, long millisPerUnit) {
        try {
            double value = Double.parseDouble(text.trim());
            if (!Double.isFinite(value) || value < 0) {
                return Optional.empty();
            }
            return Optional.of(Duration.ofNanos(Math.round(value * millisPerUnit * 1_000_000d)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<Duration> httpDate(String text, Clock clock) {
        try {
            Instant at = ZonedDateTime.parse(text.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(clock.instant(), at);
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
