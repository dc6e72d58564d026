package com.runwayrelay.notifier;

import com.runwayrelay.aws.outbound.PinnedHttpClient;
import com.runwayrelay.domain.media.AddressGuard;
import com.runwayrelay.domain.media.BlockedTargetException;
import com.runwayrelay.domain.webhook.SendOutcome;
import com.runwayrelay.domain.webhook.WebhookMessage;
import com.runwayrelay.domain.webhook.WebhookSender;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * {@link WebhookSender} that vets each callback URL at send time and connects only to the address
 * it vetted: {@link AddressGuard} resolves the host once and refuses anything but https to public
 * addresses (plain http to loopback only when the local stack allows it), then
 * {@link PinnedHttpClient} connects to exactly that address. Only 2xx counts; 410 is
 * {@link SendOutcome.Gone}; redirects are reported, never followed; every other status and every
 * network failure is retryable.
 *
 * <p>Error texts name the failure, never the URL's path or query (they may hold a receiver's token).
 */
final class GuardedWebhookSender implements WebhookSender {
    private final AddressGuard guard;
    private final PinnedHttpClient http;
    private final Clock clock;

    GuardedWebhookSender(AddressGuard guard, PinnedHttpClient http, Clock clock) {
        this.guard = Objects.requireNonNull(guard, "guard");
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public SendOutcome send(URI target, WebhookMessage message) {
        InetAddress address;
        try {
            address = guard.checkedAddress(target);
        } catch (BlockedTargetException e) {
            return new SendOutcome.Refused("not sent: " + e.getMessage());
        } catch (UnknownHostException e) {
            return new SendOutcome.Retryable(0, "not sent: the callback host does not resolve", null);
        }
        PinnedHttpClient.Response response;
        try {
            response = http.post(target, address, message.headers(), message.body());
        } catch (SocketTimeoutException e) {
            return new SendOutcome.Retryable(0, "no response within " + readable(http.timeout()), null);
        } catch (ConnectException | NoRouteToHostException e) {
            return new SendOutcome.Retryable(0, "could not connect to the callback host", null);
        } catch (SSLException e) {
            return new SendOutcome.Retryable(0, "TLS failed: " + e.getMessage(), null);
        } catch (IOException e) {
            return new SendOutcome.Retryable(0, "connection failed: " + e.getMessage(), null);
        }
        int status = response.status();
        if (status >= 200 && status <= 299) {
            return new SendOutcome.Delivered(status);
        }
        if (status == 410) {
            return new SendOutcome.Gone();
        }
        if (status >= 300 && status <= 399) {
            return new SendOutcome.Retryable(status, "HTTP " + status + ": redirects are not followed", null);
        }
        return new SendOutcome.Retryable(status, "HTTP " + status, retryAfter(response.headers().get("retry-after"), clock));
    }

    static String readable(Duration timeout) {
        return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
    }

    /** {@code Retry-After} as delay-seconds or an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String value, Clock clock) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long seconds = Long.parseLong(value.trim());
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException e) {
            try {
                Instant at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration delay = Duration.between(clock.instant(), at);
                return delay.isNegative() ? null : delay;
            } catch (DateTimeParseException unreadable) {
                return null;
            }
        }
    }
}
