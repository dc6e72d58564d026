package com.runwayrelay.aws.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

class PresignedPartUploaderTest {
    private static final PartUploader.Part PART = new PartUploader.Part("archive", "relay/app/t-1/0.mp4", "up-1", 3,
            "AAAAAA==");

    /** One request as the stub read it. */
    private record Seen(String method, URI uri, Headers headers, byte[] body) {
    }

    @FunctionalInterface
    private interface Answer {
        void send(HttpExchange exchange) throws IOException;
    }

    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final Queue<Answer> answers = new ConcurrentLinkedQueue<>();
    private HttpServer server;
    private S3Presigner presigner;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI(), exchange.getRequestHeaders(), body));
            Answer answer = answers.poll();
            (answer == null ? xml(500, "InternalError", "no answer programmed") : answer).send(exchange);
        });
        server.start();
        presigner = presignerFor(server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        presigner.close();
        server.stop(0);
    }

    private PresignedPartUploader uploader() {
        return new PresignedPartUploader(presigner, CREDENTIALS, Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(30), 3,
                Duration.ofMillis(1));
    }

    private static S3Presigner presignerFor(int port) {
        return S3Presigner.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS)
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build();
    }

    @Test
    void sendsThePartOnce_asASignedPutWithItsChecksum_andReturnsTheEtag() throws IOException {
        answers.add(etag("\"part-etag\""));
        byte[] bytes = random(100_000);

        String etag = uploader().upload(PART, bytes, 70_000);

        assertEquals("\"part-etag\"", etag);
        assertEquals(1, seen.size());
        Seen request = seen.get(0);
        assertEquals("PUT", request.method());
        assertEquals("/archive/relay/app/t-1/0.mp4", request.uri().getRawPath());
        String query = request.uri().getRawQuery();
        assertTrue(query.contains("partNumber=3") && query.contains("uploadId=up-1")
                && query.contains("X-Amz-Signature=") && query.contains("X-Amz-Credential="), query);
        assertTrue(query.contains("x-amz-checksum-crc32"), "the checksum header is signed: " + query);
        assertEquals("AAAAAA==", request.headers().getFirst("x-amz-checksum-crc32"));
        assertEquals("70000", request.headers().getFirst("Content-Length"));
        assertFalse(request.headers().containsKey("Expect"));
        assertArrayEquals(Arrays.copyOf(bytes, 70_000), request.body(), "exactly the part's bytes, unframed");
    }

    @Test
    void retriesSlowDown_andServerErrors_thenSucceeds() throws IOException {
        answers.add(xml(503, "SlowDown", "Please reduce your request rate."));
        answers.add(xml(500, "InternalError", "We encountered an internal error."));
        answers.add(etag("\"e3\""));

        assertEquals("\"e3\"", uploader().upload(PART, random(1000), 1000));

        assertEquals(3, seen.size());
        assertEquals(seen.get(0).headers().getFirst("x-amz-checksum-crc32"),
                seen.get(2).headers().getFirst("x-amz-checksum-crc32"));
    }

    @Test
    void retriesAConnectionClosedWithoutAnAnswer() throws IOException {
        answers.add(HttpExchange::close);
        answers.add(etag("\"e2\""));

        assertEquals("\"e2\"", uploader().upload(PART, random(1000), 1000));
        assertEquals(2, seen.size());
    }

    @Test
    void givesUpAfterThreeAttempts_namingS3sLastAnswer() {
        for (int i = 0; i < 3; i++) {
            answers.add(xml(503, "SlowDown", "Please reduce your request rate."));
        }

        IOException e = assertThrows(IOException.class, () -> uploader().upload(PART, random(10), 10));

        assertEquals("S3 answered part 3 with HTTP 503 SlowDown: Please reduce your request rate. (after 3 attempts)",
                e.getMessage());
        assertEquals(3, seen.size());
    }

    @Test
    void failsAtOnce_whenS3RefusesThePart() {
        answers.add(xml(400, "BadDigest", "The CRC32 you specified did not match the calculated checksum."));

        IOException e = assertThrows(IOException.class, () -> uploader().upload(PART, random(10), 10));

        assertEquals("S3 answered part 3 with HTTP 400 BadDigest: "
                + "The CRC32 you specified did not match the calculated checksum.", e.getMessage());
        assertEquals(1, seen.size(), "a refusal is not retried");
    }

    @Test
    void failsAtOnce_whenS3AcceptsWithoutAnEtag() {
        answers.add(exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });

        IOException e = assertThrows(IOException.class, () -> uploader().upload(PART, random(10), 10));

        assertEquals("S3 accepted part 3 but sent no ETag", e.getMessage());
        assertEquals(1, seen.size());
    }

    /**
     * A peer that accepts the connection and never reads: once the socket buffers are full the
     * write blocks, and only the write timeout ends it. The outcome and the message are asserted,
     * not the time taken; the JUnit timeout only guards against a hang.
     */
    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void failsNamingTheWriteTimeout_whenThePeerStopsReading() throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket()) {
            // A small, fixed receive buffer (no auto-tuning): the part cannot vanish into the peer's buffers.
            silent.setReceiveBufferSize(8 * 1024);
            silent.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // The test is over.
                }
            });
            try (S3Presigner stalled = presignerFor(silent.getLocalPort())) {
                PresignedPartUploader uploader = new PresignedPartUploader(stalled, CREDENTIALS, Duration.ofSeconds(5),
                        Duration.ofSeconds(5), Duration.ofMillis(500), 2, Duration.ofMillis(1));
                // Far more than the sender's socket buffer can take (Linux grows it to 4 MiB by default).
                byte[] part = random(64 * 1024 * 1024);

                IOException e = assertThrows(IOException.class, () -> uploader.upload(PART, part, part.length));

                assertEquals("part 3 could not be sent: the connection took no bytes for 500 ms (write timeout)"
                        + " (after 2 attempts)", e.getMessage());
                // The kernel completes a connection before accept() returns it: wait for the acceptor.
                long guard = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (held.size() < 2 && System.nanoTime() - guard < 0) {
                    Thread.sleep(10);
                }
                assertEquals(2, held.size(), "each attempt opened its own connection");
            } finally {
                silent.close();
                acceptor.join();
                for (Socket socket : held) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void refusesALengthBeyondTheBuffer() {
        assertThrows(IndexOutOfBoundsException.class, () -> uploader().upload(PART, new byte[10], 11));
        assertEquals(0, seen.size());
    }

    private static Answer etag(String etag) {
        return exchange -> {
            exchange.getResponseHeaders().add("ETag", etag);
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        };
    }

    private static Answer xml(int status, String code, String message) {
        return exchange -> {
            byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + message
                    + "</Message><RequestId>r-1</RequestId></Error>").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/xml");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        };
    }

    private static byte[] random(int n) {
        byte[] bytes = new byte[n];
        new Random(n).nextBytes(bytes);
        return bytes;
    }
}
