package com.runwayrelay.notifier;

import com.runwayrelay.aws.outbound.PinnedHttpClient;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class PinnedHttpClientTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Map<String, String> HEADERS = new LinkedHashMap<>(Map.of("webhook-id", "msg_1"));
    private static TestTls hooksTest;
    private static TestTls otherTest;

    private final PinnedHttpClient plain = client((SSLSocketFactory) SSLSocketFactory.getDefault(), Duration.ofSeconds(30));

    @BeforeAll
    static void certificates() throws Exception {
        hooksTest = TestTls.forHost("hooks.test");
        otherTest = TestTls.forHost("other.test");
    }

    private static PinnedHttpClient client(SSLSocketFactory tls, Duration timeout) {
        return new PinnedHttpClient(tls, timeout, "relay-test/1");
    }

    @Test
    void postsTheExactBodyAndHeaders_toTheGivenAddressWithoutResolvingTheName() throws Exception {
        byte[] body = "{\"prompt\":\"café\"}".getBytes(StandardCharsets.UTF_8);
        try (Receiver receiver = Receiver.http().reply(204)) {
            // .invalid never resolves: the request can only arrive through the given address.
            URI target = URI.create("http://hooks.invalid:" + receiver.port() + "/hooks/runway?token=a%20b");

            PinnedHttpClient.Response response = plain.post(target, LOOPBACK, HEADERS, body);

            assertEquals(204, response.status());
            Receiver.Request request = receiver.requests().getFirst();
            assertEquals("POST", request.method());
            assertEquals("/hooks/runway?token=a%20b", request.uri());
            assertEquals("hooks.invalid:" + receiver.port(), request.header("host"));
            assertEquals("msg_1", request.header("webhook-id"));
            assertEquals("relay-test/1", request.header("user-agent"));
            assertEquals(Integer.toString(body.length), request.header("content-length"));
            assertArrayEquals(body, request.body());
        }
    }

    @Test
    void returnsARedirect_withoutFollowingIt() throws Exception {
        try (Receiver receiver = Receiver.http()) {
            receiver.reply(301, "Location", receiver.url("/elsewhere").toString());

            PinnedHttpClient.Response response = plain.post(receiver.url("/hook"), LOOPBACK, HEADERS, new byte[0]);

            assertEquals(301, response.status());
            assertEquals(receiver.url("/elsewhere").toString(), response.headers().get("location"));
            assertEquals(List.of("/hook"), receiver.requests().stream().map(Receiver.Request::uri).toList());
        }
    }

    @Test
    void speaksTlsToTheUriHost_overTheGivenAddress() throws Exception {
        try (Receiver receiver = Receiver.https(hooksTest.server)) {
            PinnedHttpClient https = client(hooksTest.client.getSocketFactory(), Duration.ofSeconds(30));

            PinnedHttpClient.Response response = https.post(URI.create("https://hooks.test:" + receiver.port() + "/h"),
                    LOOPBACK, HEADERS, "{}".getBytes(StandardCharsets.UTF_8));

            assertEquals(200, response.status());
            assertEquals("hooks.test:" + receiver.port(), receiver.requests().getFirst().header("host"));
        }
    }

    @Test
    void refusesACertificateIssuedForAnotherHost() throws Exception {
        try (Receiver receiver = Receiver.https(otherTest.server)) {
            // The client trusts the certificate, but it names other.test, not hooks.test.
            PinnedHttpClient https = client(otherTest.client.getSocketFactory(), Duration.ofSeconds(30));

            assertThrows(SSLHandshakeException.class, () -> https.post(
                    URI.create("https://hooks.test:" + receiver.port() + "/h"), LOOPBACK, HEADERS, new byte[0]));
            assertTrue(receiver.requests().isEmpty());
        }
    }

    @Test
    void sendsTheUriHostAsServerNameIndication() throws Exception {
        try (SSLServerSocket server = (SSLServerSocket) hooksTest.server.getServerSocketFactory()
                .createServerSocket(0, 1, LOOPBACK)) {
            CompletableFuture<List<SNIServerName>> names = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket socket = (SSLSocket) server.accept()) {
                    socket.startHandshake();
                    List<SNIServerName> requested = ((ExtendedSSLSession) socket.getSession()).getRequestedServerNames();
                    readHead(socket.getInputStream());
                    socket.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    return requested;
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            PinnedHttpClient https = client(hooksTest.client.getSocketFactory(), Duration.ofSeconds(30));

            https.post(URI.create("https://hooks.test:" + server.getLocalPort() + "/"), LOOPBACK, HEADERS, new byte[0]);

            assertEquals(List.of(new SNIHostName("hooks.test")), names.get(5, TimeUnit.SECONDS));
        }
    }

    /** The hang guard is the test's only bound on time: without a timeout the call would never return. */
    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void timesOut_whenTheServerNeverAnswers() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, LOOPBACK)) {
            CompletableFuture<Socket> held = CompletableFuture.supplyAsync(() -> accept(server));
            PinnedHttpClient quick = client((SSLSocketFactory) SSLSocketFactory.getDefault(), Duration.ofMillis(300));

            SocketTimeoutException e = assertThrows(SocketTimeoutException.class,
                    () -> quick.post(URI.create("http://127.0.0.1:" + server.getLocalPort()), LOOPBACK, HEADERS,
                            new byte[0]));

            assertEquals("no complete response within 300 ms", e.getMessage(),
                    "one message whichever of the watchdog and the read timeout fires first");
            held.get(5, TimeUnit.SECONDS).close();
        }
    }

    /** The hang guard is the test's only bound on time: a read timeout alone never fires while bytes keep coming. */
    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void timesOutOnTheWholeExchange_whenTheServerDripsItsHeadersForever() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, LOOPBACK)) {
            Thread dripper = Thread.ofVirtual().start(() -> {
                try (Socket socket = server.accept()) {
                    readHead(socket.getInputStream());
                    OutputStream out = socket.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII));
                    while (true) {
                        out.write("X-Drip: 1\r\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException e) {
                    // The client hung up: done.
                }
            });
            PinnedHttpClient quick = client((SSLSocketFactory) SSLSocketFactory.getDefault(), Duration.ofMillis(700));

            SocketTimeoutException e = assertThrows(SocketTimeoutException.class,
                    () -> quick.post(URI.create("http://127.0.0.1:" + server.getLocalPort()), LOOPBACK, HEADERS,
                            new byte[0]));

            assertEquals("no complete response within 700 ms", e.getMessage());
            dripper.join(5_000);
        }
    }

    @Test
    void fails_whenTheAnswerIsNotHttp() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, LOOPBACK)) {
            Thread.ofVirtual().start(() -> {
                try (Socket socket = server.accept()) {
                    readHead(socket.getInputStream());
                    socket.getOutputStream().write("SSH-2.0-OpenSSH_9.6\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    // The client hung up: done.
                }
            });

            IOException e = assertThrows(IOException.class, () -> plain.post(URI.create("http://127.0.0.1:" + server.getLocalPort()),
                    LOOPBACK, HEADERS, new byte[0]));
            assertEquals("the response is not HTTP/1.x", e.getMessage());
        }
    }

    @Test
    void failsToConnect_whenNothingListens() throws Exception {
        int port;
        try (ServerSocket server = new ServerSocket(0, 1, LOOPBACK)) {
            port = server.getLocalPort();
        }

        assertThrows(ConnectException.class, () -> plain.post(URI.create("http://127.0.0.1:" + port), LOOPBACK, HEADERS,
                new byte[0]));
    }

    @Test
    void refusesHeaderValuesThatWouldInjectLines() {
        Map<String, String> injected = Map.of("webhook-id", "msg_1\r\nX-Evil: 1");

        assertThrows(IllegalArgumentException.class, () -> plain.post(URI.create("http://127.0.0.1:9/"), LOOPBACK, injected,
                new byte[0]));
    }

    private static Socket accept(ServerSocket server) {
        try {
            return server.accept();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads up to the blank line ending a request head (the tests send no body). */
    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        for (int b = in.read(); b != -1; b = in.read()) {
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == end.length) {
                return;
            }
        }
    }
}
