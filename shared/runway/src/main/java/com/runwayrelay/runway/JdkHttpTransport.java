package com.runwayrelay.runway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link Transport} over the JDK {@link HttpClient}: one attempt per call, response bodies read
 * into memory up to a cap.
 *
 * <p>HTTP/1.1 is forced: on plain-http endpoints (simulator, local stack) the JDK client would
 * otherwise attempt an h2c upgrade, and with HTTP/1.1 a dropped connection fails exactly the
 * one request that was on it, which keeps the "may the request have arrived" analysis honest.
 * Redirects are never followed: Runway does not send them and a presigned storage POST must not
 * be replayed elsewhere.
 */
final class JdkHttpTransport implements Transport {

    private final HttpClient http;
    private final int maxResponseBytes;

    /**
     * @throws IllegalStateException if the JDK was told to replay every method on a dropped
     *     connection ({@code jdk.httpclient.enableAllMethodRetry}): that would silently repeat
     *     creates, which this client promises never to do
     */
    JdkHttpTransport(Duration connectTimeout, int maxResponseBytes) {
        requireNoReplayOfAllMethods(System.getProperty("jdk.httpclient.enableAllMethodRetry"));
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout)
                .build();
        this.maxResponseBytes = maxResponseBytes;
    }

    /** Fails when {@code value} (of {@code jdk.httpclient.enableAllMethodRetry}) enables POST replays. */
    static void requireNoReplayOfAllMethods(String value) {
        // The JDK treats an empty value as "true".
        if (value != null && (value.isEmpty() || Boolean.parseBoolean(value))) {
            throw new IllegalStateException("system property jdk.httpclient.enableAllMethodRetry=true makes the JDK "
                    + "HTTP client replay POSTs, which could create duplicate billable Runway tasks; unset it");
        }
    }

    @Override
    public Response send(Request request) throws TransportFailure {
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri())
                .timeout(request.timeout())
                .method(request.method(),
                        request.body() == null ? HttpRequest.BodyPublishers.noBody() : request.body());
        request.headers().forEach(builder::header);

        // The request timeout of the JDK client stops at the response headers; the deadline on
        // the future also bounds a server that stalls in the middle of the body.
        CompletableFuture<HttpResponse<byte[]>> future =
                http.sendAsync(builder.build(), info -> new BoundedBodySubscriber(maxResponseBytes));
        try {
            HttpResponse<byte[]> response = future.get(request.timeout().toMillis(), TimeUnit.MILLISECONDS);
            return new Response(response.statusCode(), response.headers(), response.body());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw timedOut(request, e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new TransportFailure(request.operation() + ": interrupted", true, false, e);
        } catch (ExecutionException e) {
            throw classify(request, e.getCause() == null ? e : e.getCause());
        }
    }

    private static TransportFailure classify(Request request, Throwable cause) {
        if (isConnectFailure(cause)) {
            boolean timedOut = cause instanceof HttpConnectTimeoutException;
            return new TransportFailure(
                    request.operation() + ": could not connect to " + request.uri().getHost()
                            + (request.uri().getPort() < 0 ? "" : ":" + request.uri().getPort())
                            + " (" + describe(cause) + ")",
                    false, timedOut, cause);
        }
        if (cause instanceof HttpTimeoutException) {
            // The JDK's own request timeout and the deadline on the future above are the same
            // limit; whichever fires first, the caller sees one message.
            return timedOut(request, cause);
        }
        return new TransportFailure(
                request.operation() + ": connection failed after the request was sent (" + describe(cause) + ")",
                true, false, cause);
    }

    private static TransportFailure timedOut(Request request, Throwable cause) {
        return new TransportFailure(
                request.operation() + ": no complete response within " + request.timeout(), true, true, cause);
    }

    /** True when the failure happened before a connection existed, so nothing was sent. */
    private static boolean isConnectFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException
                    || t instanceof HttpConnectTimeoutException
                    || t instanceof UnknownHostException
                    || t instanceof UnresolvedAddressException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable t) {
        String type = t.getClass().getSimpleName();
        return t.getMessage() == null ? type : type + ": " + t.getMessage();
    }

    @Override
    public void close() {
        http.close();
    }

    /** Collects the body and fails once it grows beyond the cap, so memory stays bounded. */
    private static final class BoundedBodySubscriber implements BodySubscriber<byte[]> {

        private final int maxBytes;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        BoundedBodySubscriber(int maxBytes) {
            this.maxBytes = maxBytes;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer item : items) {
                if (buffer.size() + item.remaining() > maxBytes) {
                    subscription.cancel();
                    result.completeExceptionally(
                            new IOException("response body larger than " + maxBytes + " bytes"));
                    return;
                }
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                buffer.writeBytes(chunk);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            result.complete(buffer.toByteArray());
        }
    }
}
