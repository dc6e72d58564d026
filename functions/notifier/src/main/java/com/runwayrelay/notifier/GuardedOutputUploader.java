package com.runwayrelay.notifier;

import com.runwayrelay.aws.outbound.PinnedHttpClient;
import com.runwayrelay.domain.delivery.OutputUploader;
import com.runwayrelay.domain.media.AddressGuard;
import com.runwayrelay.domain.media.BlockedTargetException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * {@link OutputUploader} under the webhooks' outbound rules: {@link AddressGuard} vets the URL at
 * send time (https to public addresses; plain http to loopback only when the local stack allows
 * it) and {@link PinnedHttpClient} PUTs to exactly the vetted address, streaming the body with its
 * {@code Content-Type} and {@code Content-Length}. 2xx is stored; a redirect is refused, never
 * followed; 429 and 5xx are retryable (with the storage's {@code Retry-After}); any other 4xx is
 * rejected, since the same request would fail again (an expired pre-signed URL answers 403); every
 * network failure is retryable.
 *
 * <p>Error texts name the failure, never the URL's path or query (a pre-signed URL's query is its credential).
 */
final class GuardedOutputUploader implements OutputUploader {
    private final AddressGuard guard;
    private final PinnedHttpClient http;
    private final Clock clock;

    GuardedOutputUploader(AddressGuard guard, PinnedHttpClient http, Clock clock) {
        this.guard = Objects.requireNonNull(guard, "guard");
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Upload put(URI target, String contentType, long length, InputStream body) {
        InetAddress address;
        try {
            address = guard.checkedAddress(target);
        } catch (BlockedTargetException e) {
            return new Upload.Refused(0, "not sent: " + e.getMessage());
        } catch (UnknownHostException e) {
            return new Upload.Retryable(0, "not sent: the delivery host does not resolve", null);
        }
        PinnedHttpClient.Response response;
        try {
            response = http.put(target, address, Map.of("Content-Type", contentType), body, length);
        } catch (SocketTimeoutException e) {
            return new Upload.Retryable(0, "no complete response within " + GuardedWebhookSender.readable(http.timeout()),
                    null);
        } catch (ConnectException | NoRouteToHostException e) {
            return new Upload.Retryable(0, "could not connect to the delivery host", null);
        } catch (SSLException e) {
            return new Upload.Retryable(0, "TLS failed: " + e.getMessage(), null);
        } catch (IOException e) {
            return new Upload.Retryable(0, "connection failed: " + e.getMessage(), null);
        }
        int status = response.status();
        if (status >= 200 && status <= 299) {
            return new Upload.Stored(status);
        }
        if (status >= 300 && status <= 399) {
            return new Upload.Refused(status, "HTTP " + status + ": redirects are not followed");
        }
        if (status == 429 || status >= 500) {
            return new Upload.Retryable(status, "HTTP " + status,
                    GuardedWebhookSender.retryAfter(response.headers().get("retry-after"), clock));
        }
        if (status >= 400) {
            return new Upload.Rejected(status, "HTTP " + status + (status == 403
                    ? ": the storage refused the upload (an expired or wrongly signed pre-signed URL answers so)" : ""));
        }
        return new Upload.Retryable(status, "HTTP " + status + ": not a final answer to the upload", null);
    }
}
