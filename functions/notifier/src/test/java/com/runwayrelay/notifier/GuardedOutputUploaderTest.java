package com.runwayrelay.notifier;

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

    @Test
    void failsTheAttempt_whenTheBodyEndsBeforeItsLength() throws Exception {
        try (Receiver storage = Receiver.http().reply(200)) {
            Upload upload = local.put(storage.url("/b/o"), "image/png", BODY.length + 10, body());

            Upload.Retryable retryable = assertInstanceOf(Upload.Retryable.class, upload);
            assertTrue(retryable.error().contains("ended after"), retryable.error());
        }
    }
}
