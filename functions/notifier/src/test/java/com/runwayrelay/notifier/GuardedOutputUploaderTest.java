package com.runwayrelay.notifier;

import com.runwayrelay.aws.outbound.PinnedHttpClient;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.delivery.OutputUploader.Upload;
import com.runwayrelay.domain.media.AddressGuard;
import com.runwayrelay.domain.media.HostResolver;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;

class GuardedOutputUploaderTest {
    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    private static final byte[] BODY = "an archived output's bytes".getBytes(StandardCharsets.UTF_8);
    private static final HostResolver DNS = host -> switch (host) {
        case "internal.example.com" -> List.of(InetAddress.getByName("10.0.0.5"));
        default -> throw new UnknownHostException(host);
    };

    private static GuardedOutputUploader uploader(boolean allowLoopbackHttp) {
        return new GuardedOutputUploader(new AddressGuard(DNS, allowLoopbackHttp),
                new PinnedHttpClient((SSLSocketFactory) SSLSocketFactory.getDefault(), Duration.ofSeconds(30), "relay-test/1"),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private final GuardedOutputUploader local = uploader(true);

    private static InputStream body() {
        return new ByteArrayInputStream(BODY);
    }

    @Test
    void putsTheBodyWithItsTypeAndLength_whenTheStorageAnswers200() throws Exception {
        try (Receiver storage = Receiver.http().reply(200)) {
            Upload upload = local.put(storage.url("/bucket/out-0.png?X-Amz-Signature=abc"), "image/png", BODY.length, body());

            assertEquals(new Upload.Stored(200), upload);
            Receiver.Request request = storage.requests().getFirst();
            assertEquals("PUT", request.method());
            assertEquals("/bucket/out-0.png?X-Amz-Signature=abc", request.uri());
            assertEquals("image/png", request.header("content-type"));
            assertEquals(Integer.toString(BODY.length), request.header("content-length"));
            assertArrayEquals(BODY, request.body());
        }
    }

    @Test
    void refusesARedirect_withoutFollowingIt() throws Exception {
        try (Receiver storage = Receiver.http()) {
            storage.reply(307, "Location", storage.url("/elsewhere").toString());

            Upload upload = local.put(storage.url("/bucket/out-0.png"), "image/png", BODY.length, body());

            assertEquals(new Upload.Refused(307, "HTTP 307: redirects are not followed"), upload);
            assertEquals(List.of("/bucket/out-0.png"), storage.requests().stream().map(Receiver.Request::uri).toList());
        }
    }

    @Test
    void rejectsWithoutRetry_whenTheStorageAnswers403() throws Exception {
        try (Receiver storage = Receiver.http().reply(403)) {
            Upload upload = local.put(storage.url("/bucket/out-0.png"), "image/png", BODY.length, body());

            Upload.Rejected rejected = assertInstanceOf(Upload.Rejected.class, upload);
            assertEquals(403, rejected.httpStatus());
            assertTrue(rejected.error().contains("expired"), rejected.error());
        }
    }

    @Test
    void retries_when5xxOr429_withTheStoragesRetryAfter() throws Exception {
        try (Receiver storage = Receiver.http()) {
            storage.reply(503).reply(429, "Retry-After", "7");

            assertEquals(new Upload.Retryable(503, "HTTP 503", null),
                    local.put(storage.url("/b/o"), "image/png", BODY.length, body()));
            assertEquals(new Upload.Retryable(429, "HTTP 429", Duration.ofSeconds(7)),
                    local.put(storage.url("/b/o"), "image/png", BODY.length, body()));
        }
    }

    @Test
    void refusesBeforeConnecting_whenTheTargetIsPrivateOrPlainHttpInTheDeployedPolicy() {
        GuardedOutputUploader deployed = uploader(false);

        Upload privateTarget = deployed.put(URI.create("https://internal.example.com/b/o?sig=secret"), "image/png",
                BODY.length, body());
        Upload plainHttp = deployed.put(URI.create("http://127.0.0.1:9/b/o"), "image/png", BODY.length, body());

        Upload.Refused refused = assertInstanceOf(Upload.Refused.class, privateTarget);
        assertEquals(0, refused.httpStatus());
        assertTrue(refused.error().contains("private"), refused.error());
        assertTrue(!refused.error().contains("secret"), "the URL's query never appears in an error");
        assertInstanceOf(Upload.Refused.class, plainHttp);
    }

    @Test
    void retries_whenTheHostDoesNotResolveOrRefusesConnections() {
        assertInstanceOf(Upload.Retryable.class,
                uploader(false).put(URI.create("https://nowhere.example.com/b/o"), "image/png", BODY.length, body()));
    }

    /**
     * Constant memory: 128 MiB generated on the fly (no array holds them) reach a server that only
     * counts and hashes, through reads of at most the copy buffer's size.
     */
    @Test
    void streamsALargeOutputInBufferSizedReads_neverHoldingItWhole() throws Exception {
        long size = 128L * 1024 * 1024 + 3;
        GeneratedBody body = new GeneratedBody(size);
        try (java.net.ServerSocket server = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            java.util.concurrent.CompletableFuture<String> received = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> drain(server));

            Upload upload = local.put(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/b/big.mp4"), "video/mp4",
                    size, body);

            assertEquals(new Upload.Stored(200), upload);
            assertEquals(size + " " + body.hex(), received.get(60, java.util.concurrent.TimeUnit.SECONDS));
            assertTrue(body.largestRead <= 64 * 1024, "largest read: " + body.largestRead);
            assertEquals(size, body.served);
        }
    }

    /** Accepts one PUT, counts and hashes its body, answers 200; "<bytes> <sha256>". */
    private static String drain(java.net.ServerSocket server) {
        try (java.net.Socket socket = server.accept()) {
            InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
            long length = -1;
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != -1; c = in.read()) {
                if (c != '\n') {
                    line.append((char) c);
                    continue;
                }
                String header = line.toString().trim();
                line.setLength(0);
                if (header.isEmpty()) {
                    break;
                }
                if (header.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    length = Long.parseLong(header.substring(header.indexOf(':') + 1).trim());
                }
            }
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[32 * 1024];
            long read = 0;
            while (read < length) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, length - read));
                if (n < 0) {
                    break;
                }
                digest.update(buffer, 0, n);
                read += n;
            }
            socket.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return read + " " + java.util.HexFormat.of().formatHex(digest.digest());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Bytes made up as they are read, hashed on the way; remembers the largest single read asked for. */
    private static final class GeneratedBody extends InputStream {
        private final long size;
        private final java.security.MessageDigest digest;
        private long served;
        private int largestRead;

        GeneratedBody(long size) throws Exception {
            this.size = size;
            this.digest = java.security.MessageDigest.getInstance("SHA-256");
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            largestRead = Math.max(largestRead, length);
            if (served >= size) {
                return -1;
            }
            int n = (int) Math.min(length, size - served);
            for (int i = 0; i < n; i++) {
                buffer[offset + i] = (byte) ((served + i) * 31 >>> 3);
            }
            digest.update(buffer, offset, n);
            served += n;
            return n;
        }

        String hex() {
            return java.util.HexFormat.of().formatHex(digest.digest());
        }
    }

    @Test
    void failsTheAttempt_whenTheBodyEndsBeforeItsLength() throws Exception {
        try (Receiver storage = Receiver.http().reply(200)) {
            Upload upload = local.put(storage.url("/b/o"), "image/png", BODY.length + 10, body());

            Upload.Retryable retryable = assertInstanceOf(Upload.Retryable.class, upload);
            assertTrue(retryable.error().contains("ended after"), retryable.error());
        }
    }
}
