package com.runwayrelay.aws.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.delivery.DeliveryTargetProbe.Probe;
import com.runwayrelay.domain.media.AddressGuard;
import com.runwayrelay.domain.media.HostResolver;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The probe against a server on loopback, which only the local stack's rules allow
 * ({@code allowLoopbackHttp}), as the notifier's uploader tests do.
 */
class GuardedDeliveryProbeTest {
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private URI serve(int status) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " body="
                    + exchange.getRequestBody().readAllBytes().length);
            if (status >= 300 && status < 400) {
                exchange.getResponseHeaders().add("Location", "https://elsewhere.example.com/bucket/0.png");
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/bucket/0.png?X-Amz-Signature=abc");
    }

    private static GuardedDeliveryProbe probe(boolean allowLoopbackHttp, Duration timeout) {
        return new GuardedDeliveryProbe(new AddressGuard(HostResolver.system(), allowLoopbackHttp),
                new PinnedHttpClient((SSLSocketFactory) SSLSocketFactory.getDefault(), timeout, "relay-test/1"));
    }

    @Test
    void reportsRedirected_whenTheStorageAnswers3xx_withoutFollowingIt() throws IOException {
        for (int status : new int[]{301, 302, 307, 308}) {
            URI target = serve(status);

            Probe probe = probe(true, Duration.ofSeconds(10)).probe(target);

            assertEquals(new Probe.Redirected(status), probe);
            stop();
        }
        assertEquals(4, seen.size(), "one request per probe, none to the redirect's target");
        assertTrue(seen.stream().allMatch(s -> s.equals("HEAD /bucket/0.png?X-Amz-Signature=abc body=0")), seen::toString);
    }

    @Test
    void reportsAnswered_whenTheStorageAnswersAnythingButARedirect() throws IOException {
        for (int status : new int[]{200, 403, 404, 405, 500}) {
            URI target = serve(status);

            assertEquals(new Probe.Answered(status), probe(true, Duration.ofSeconds(10)).probe(target));
            stop();
        }
    }

    @Test
    void reportsNoAnswer_whenNothingListens() throws IOException {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }

        Probe probe = probe(true, Duration.ofSeconds(10)).probe(URI.create("http://127.0.0.1:" + port + "/b/0.png"));

        assertInstanceOf(Probe.NoAnswer.class, probe);
    }

    @Test
    void reportsNoAnswer_whenTheStorageNeverAnswers_withinTheTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CountDownLatch accepted = new CountDownLatch(1);
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try (Socket held = silent.accept()) {
                    accepted.countDown();
                    held.getInputStream().readAllBytes();
                } catch (IOException e) {
                    // The probe closed the connection: expected.
                }
            });

            Probe probe = probe(true, Duration.ofMillis(300))
                    .probe(URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/b/0.png?sig=secret"));

            assertInstanceOf(Probe.NoAnswer.class, probe);
            assertTrue(((Probe.NoAnswer) probe).reason().contains("no answer within 300 ms"), probe::toString);
            assertFalse(probe.toString().contains("secret"));
            acceptor.join();
            assertEquals(0, accepted.getCount(), "it did connect");
        }
    }

    @Test
    void sendsNothing_whenTheRulesRefuseTheTarget() throws IOException {
        URI target = serve(307);

        Probe probe = probe(false, Duration.ofSeconds(10)).probe(target);

        assertInstanceOf(Probe.NoAnswer.class, probe);
        assertTrue(seen.isEmpty(), "loopback is refused outside the local stack: " + seen);
    }
}
