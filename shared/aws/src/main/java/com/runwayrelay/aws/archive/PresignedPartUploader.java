package com.runwayrelay.aws.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Sends one part of a multipart upload as a pre-signed {@code UploadPart} request, its bytes
 * written straight from the part buffer in a few large writes.
 *
 * <p>Why not the SDK client's {@code uploadPart}: the synchronous SDK clients copy a request body
 * through a 4 KiB buffer and, when the endpoint is plain http, sign every 128 KiB chunk of it
 * (another SHA-256 pass over every byte). Both together cost the archiver about a third of its CPU
 * (docs/BENCHMARKS.md). A pre-signed request carries {@code UNSIGNED-PAYLOAD}; the part's CRC32
 * is one of its signed headers, so S3 still refuses a part whose bytes changed on the way. The
 * signing is the SDK's ({@link PartSigner}: its presigner for an object's first part, its SigV4
 * signer for the others); this class only sends the request and reads the answer.
 *
 * <p>Retries as the SDK's standard mode would: up to {@code maxAttempts} attempts (3 by default)
 * for a failed connection, a timeout, HTTP 5xx, 429, or S3's {@code RequestTimeout},
 * {@code SlowDown} and {@code InternalError} codes, with exponential back-off and full jitter. Any
 * other answer fails at once with S3's code and message. Each attempt is signed anew.
 *
 * <p><b>Write timeout.</b> A socket write has no timeout of its own: a peer that stops reading
 * (its receive window full) would block the sender until the Lambda is stopped. The bytes go out
 * in {@link #WRITE_CHUNK}-sized writes, and a watchdog disconnects the connection when one of
 * them makes no progress for the write timeout; the blocked write then fails, and the attempt
 * counts as a retryable failure whose message names the timeout. A peer that reads slowly but
 * steadily is not cut off: the timeout bounds one chunk, not the part (docs/decisions.md).
 */
final class PresignedPartUploader implements PartUploader {
    /** Retry jitter: fresh OS bytes in every draw, also after a SnapStart restore (docs/decisions.md). */
    private static final SecureRandom JITTER = new SecureRandom();
    /** How long each pre-signed request stays valid: one attempt's connect and transfer fit well inside it. */
    static final Duration SIGNATURE_LIFETIME = Duration.ofMinutes(15);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** From the last byte sent to the answer: S3 answers once it has stored the part. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    /** Default bound on one chunk's write: how long a peer may take none of the part's bytes. */
    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);
    /** Bytes per write: the unit of progress the write timeout watches; large enough to cost nothing per call. */
    static final int WRITE_CHUNK = 256 * 1024;
    static final int MAX_ATTEMPTS = 3;
    static final Duration BASE_DELAY = Duration.ofMillis(100);
    private static final int MAX_ERROR_BODY = 16 * 1024;
    private static final Pattern CODE = Pattern.compile("<Code>([^<]{1,200})</Code>");
    private static final Pattern MESSAGE = Pattern.compile("<Message>([^<]{1,500})</Message>");
    private static final List<String> RETRYABLE_CODES = List.of("RequestTimeout", "SlowDown", "InternalError",
            "ServiceUnavailable");

    /** Disconnects stalled writes; one daemon thread serves every upload, as firing only closes a socket. */
    private static final ScheduledExecutorService WATCHDOG = watchdog();

    private final PartSigner signer;
    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;
    private final Duration writeTimeout;
    private final int maxAttempts;
    private final Duration baseDelay;

    /** @param credentials the presigner's own credentials (the S3 client's) */
    PresignedPartUploader(S3Presigner presigner, IdentityProvider<? extends AwsCredentialsIdentity> credentials) {
        this(presigner, credentials, WRITE_TIMEOUT);
    }

    /** @param writeTimeout how long one write may make no progress before the attempt fails */
    PresignedPartUploader(S3Presigner presigner, IdentityProvider<? extends AwsCredentialsIdentity> credentials,
                          Duration writeTimeout) {
        this(presigner, credentials, CONNECT_TIMEOUT, READ_TIMEOUT, writeTimeout, MAX_ATTEMPTS, BASE_DELAY);
    }

    PresignedPartUploader(S3Presigner presigner, IdentityProvider<? extends AwsCredentialsIdentity> credentials,
                          Duration connectTimeout, Duration readTimeout, Duration writeTimeout, int maxAttempts,
                          Duration baseDelay) {
        this.signer = new PartSigner(presigner, credentials, Clock.systemUTC());
        this.connectTimeoutMillis = millis(connectTimeout);
        this.readTimeoutMillis = millis(readTimeout);
        millis(writeTimeout);
        this.writeTimeout = writeTimeout;
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1");
        }
        this.maxAttempts = maxAttempts;
        this.baseDelay = Objects.requireNonNull(baseDelay, "baseDelay");
    }

    @Override
    public String upload(Part part, byte[] bytes, int length) throws IOException {
        Objects.checkFromIndexSize(0, length, bytes.length);
        IOException last = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            if (attempt > 1) {
                pause(attempt);
            }
            PartSigner.Signed request = presign(part, length);
            try {
                return send(request, bytes, length, part.number());
            } catch (Refused e) {
                throw e;
            } catch (Retryable e) {
                last = e;
            } catch (IOException e) {
                last = new IOException("part " + part.number() + " could not be sent: " + e.getMessage(), e);
            }
        }
        throw new IOException(last.getMessage() + " (after " + maxAttempts + " attempts)", last);
    }

    private PartSigner.Signed presign(Part part, int length) throws IOException {
        try {
            return signer.sign(part, length, SIGNATURE_LIFETIME);
        } catch (SdkException | CompletionException e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            throw new Refused("part " + part.number() + " could not be signed: " + cause.getMessage());
        }
    }

    private String send(PartSigner.Signed request, byte[] bytes, int length, int number) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) request.url().openConnection();
        try {
            connection.setRequestMethod("PUT");
            connection.setInstanceFollowRedirects(false);
            connection.setConnectTimeout(connectTimeoutMillis);
            connection.setReadTimeout(readTimeoutMillis);
            connection.setUseCaches(false);
            connection.setDoOutput(true);
            connection.setFixedLengthStreamingMode(length);
            for (Map.Entry<String, List<String>> header : request.signedHeaders().entrySet()) {
                String name = header.getKey();
                // The connection writes Host and Content-Length itself, from the URL and the fixed length.
                if (!name.equalsIgnoreCase("host") && !name.equalsIgnoreCase("content-length")) {
                    connection.setRequestProperty(name, String.join(",", header.getValue()));
                }
            }
            write(connection, bytes, length, number);
            int status = connection.getResponseCode();
            if (status / 100 == 2) {
                String etag = connection.getHeaderField("ETag");
                drain(connection.getInputStream());
                if (etag == null || etag.isBlank()) {
                    throw new Refused("S3 accepted part " + number + " but sent no ETag");
                }
                return etag;
            }
            String body = errorBody(connection);
            String code = first(CODE, body);
            String message = first(MESSAGE, body);
            String described = "S3 answered part " + number + " with HTTP " + status
                    + (code.isEmpty() ? "" : " " + code) + (message.isEmpty() ? "" : ": " + message);
            if (status >= 500 || status == 429 || RETRYABLE_CODES.contains(code)) {
                throw new Retryable(described);
            }
            throw new Refused(described);
        } catch (IOException e) {
            connection.disconnect();
            throw e;
        }
    }

    /**
     * Writes the part chunk by chunk, each under the watchdog.
     *
     * @throws Retryable naming the write timeout when the watchdog cut the connection
     */
    private void write(HttpURLConnection connection, byte[] bytes, int length, int number) throws IOException {
        Watchdog watchdog = new Watchdog(connection, writeTimeout);
        try {
            // Connecting is bounded by the connect timeout; the request head fits any socket buffer.
            OutputStream out = connection.getOutputStream();
            for (int offset = 0; offset < length; offset += WRITE_CHUNK) {
                int from = offset;
                int count = Math.min(WRITE_CHUNK, length - offset);
                watchdog.guard(() -> {
                    out.write(bytes, from, count);
                    return null;
                });
            }
            watchdog.guard(() -> {
                out.close();
                return null;
            });
        } catch (IOException e) {
            if (watchdog.fired()) {
                throw new Retryable("part " + number + " could not be sent: the connection took no bytes for "
                        + describe(writeTimeout) + " (write timeout)");
            }
            throw e;
        }
    }

    private static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** Reads the rest of a success body so the connection can be kept alive. */
    private static void drain(InputStream in) throws IOException {
        try (in) {
            in.transferTo(OutputStream.nullOutputStream());
        }
    }

    private static String errorBody(HttpURLConnection connection) {
        try (InputStream in = connection.getErrorStream()) {
            return in == null ? "" : new String(in.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String first(Pattern pattern, String body) {
        Matcher m = pattern.matcher(body);
        return m.find() ? m.group(1).trim() : "";
    }

    private void pause(int attempt) throws IOException {
        long cap = baseDelay.toMillis() << Math.min(attempt - 2, 10);
        // SecureRandom, not ThreadLocalRandom, whose seeder a SnapStart snapshot freezes (docs/decisions.md).
        long sleep = cap <= 0 ? 0 : JITTER.nextLong(cap + 1);
        try {
            Thread.sleep(sleep);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting to retry a part upload", e);
        }
    }

    private static int millis(Duration d) {
        Objects.requireNonNull(d, "timeout");
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
    }

    private static ScheduledExecutorService watchdog() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "part-upload-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        // Almost every check is cancelled (the write finished): drop it at once rather than keep it queued.
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    /** One blocking step on the connection. */
    @FunctionalInterface
    private interface Step<T> {
        T run() throws IOException;
    }

    /** Disconnects the connection when a guarded step runs longer than the timeout. */
    private static final class Watchdog {
        private final HttpURLConnection connection;
        private final long timeoutNanos;
        private volatile boolean fired;

        Watchdog(HttpURLConnection connection, Duration timeout) {
            this.connection = connection;
            this.timeoutNanos = timeout.toNanos();
        }

        <T> T guard(Step<T> step) throws IOException {
            ScheduledFuture<?> check = WATCHDOG.schedule(this::fire, timeoutNanos, TimeUnit.NANOSECONDS);
            try {
                return step.run();
            } finally {
                check.cancel(false);
            }
        }

        private void fire() {
            fired = true;
            connection.disconnect();
        }

        boolean fired() {
            return fired;
        }
    }

    /** An answer worth another attempt. */
    private static final class Retryable extends IOException {
        Retryable(String message) {
            super(message);
        }
    }

    /** An answer another attempt would not change. */
    private static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }
}
