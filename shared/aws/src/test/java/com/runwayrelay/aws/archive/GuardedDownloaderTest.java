package com.runwayrelay.aws.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.archive.DownloadRefusedException;
import com.runwayrelay.domain.archive.DownloadRefusedException.Reason;
import com.runwayrelay.domain.archive.MeasuredStream;
import com.runwayrelay.domain.archive.OutputSource.Download;
import com.runwayrelay.domain.archive.TruncatedOutputException;
import com.runwayrelay.domain.media.AddressGuard;
import com.runwayrelay.domain.media.HostResolver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GuardedDownloaderTest {
    private static final HostResolver LOOPBACK_DNS = host -> List.of(InetAddress.getByName("127.0.0.1"));

    private final List<ScriptedServer> servers = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopServers() throws IOException {
        for (ScriptedServer server : servers) {
            server.close();
        }
    }

    private GuardedDownloader downloader(AddressGuard guard, SSLSocketFactory tls, Duration readTimeout) {
        return new GuardedDownloader(guard, tls, Duration.ofSeconds(2), readTimeout, "relay-test/1");
    }

    private GuardedDownloader localDownloader() {
        return downloader(new AddressGuard(LOOPBACK_DNS, true), (SSLSocketFactory) SSLSocketFactory.getDefault(),
                Duration.ofSeconds(30));
    }

    private ScriptedServer serve(String head, byte[] body) throws IOException {
        ScriptedServer server = new ScriptedServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), head, body);
        servers.add(server);
        return server;
    }

    @Test
    void streamsBodyWithTypeAndLength_whenHostAnswers200() throws Exception {
        byte[] png = "png-bytes-0123456789".getBytes(StandardCharsets.US_ASCII);
        ScriptedServer server = serve("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: " + png.length + "\r\n\r\n", png);

        try (Download download = localDownloader().open(server.uri("/_outputs/t/0/output.png?exp=1&sig=abc"))) {
            assertEquals("image/png", download.contentType());
            assertEquals(png.length, download.contentLength());
            assertArrayEquals(png, download.body().readAllBytes());
        }
        String request = server.request();
        assertTrue(request.startsWith("GET /_outputs/t/0/output.png?exp=1&sig=abc HTTP/1.1\r\n"), request);
        assertTrue(request.contains("\r\nHost: 127.0.0.1:" + server.port() + "\r\n"), request);
        assertTrue(request.contains("\r\nAccept-Encoding: identity\r\n"), request);
        assertTrue(request.contains("\r\nConnection: close\r\n"), request);
        assertTrue(request.contains("\r\nUser-Agent: relay-test/1\r\n"), request);
    }

    @Test
    void connectsToResolvedAddress_withOriginalNameInHostHeader() throws Exception {
        ScriptedServer server = serve("HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\nContent-Length: 2\r\n\r\n", new byte[2]);
        AtomicInteger lookups = new AtomicInteger();
        HostResolver counting = host -> {
            lookups.incrementAndGet();
            return LOOPBACK_DNS.resolve(host);
        };

        try (Download download = downloader(new AddressGuard(counting, true), (SSLSocketFactory) SSLSocketFactory.getDefault(),
                Duration.ofSeconds(30)).open(URI.create("http://media.localhost:" + server.port() + "/a.mp4"))) {
            download.body().readAllBytes();
        }

        assertEquals(1, lookups.get(), "resolved once, by the guard");
        assertTrue(server.request().contains("\r\nHost: media.localhost:" + server.port() + "\r\n"), server.request());
    }

    @Test
    void decodesChunkedBody_withUnknownLength() throws Exception {
        String chunked = "5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n";
        ScriptedServer server = serve("HTTP/1.1 200 OK\r\nContent-Type: audio/wav\r\nTransfer-Encoding: chunked\r\n\r\n",
                chunked.getBytes(StandardCharsets.US_ASCII));

        try (Download download = localDownloader().open(server.uri("/a.wav"))) {
            assertEquals(-1, download.contentLength());
            assertEquals("hello, world", new String(download.body().readAllBytes(), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void failsRead_whenChunkedBodyIsCutInsideAChunk() throws Exception {
        ScriptedServer server = serve("HTTP/1.1 200 OK\r\nContent-Type: audio/wav\r\nTransfer-Encoding: chunked\r\n\r\n",
                "10\r\nonly-five".getBytes(StandardCharsets.US_ASCII));

        try (Download download = localDownloader().open(server.uri("/a.wav"))) {
            IOException e = assertThrows(IOException.class, () -> download.body().readAllBytes());
            assertTrue(e.getMessage().contains("inside a chunk"), e.getMessage());
        }
    }

    @Test
    void readsUntilClose_whenNoLengthIsAnnounced() throws Exception {
        ScriptedServer server = serve("HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\n\r\n", new byte[1234]);

        try (Download download = localDownloader().open(server.uri("/a.jpg"))) {
            assertEquals(-1, download.contentLength());
            assertEquals(1234, download.body().readAllBytes().length);
        }
    }

    @Test
    void endsEarly_soMeasuredStreamReportsTruncation_whenConnectionIsCut() throws Exception {
        ScriptedServer server = serve("HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\nContent-Length: 1000\r\n\r\n", new byte[10]);

        try (Download download = localDownloader().open(server.uri("/a.mp4"))) {
            MeasuredStream body = new MeasuredStream(download.body(), download.contentLength(), 10_000);
            TruncatedOutputException e = assertThrows(TruncatedOutputException.class, body::readAllBytes);
            assertEquals(10, e.received());
        }
    }

    @Test
    void reportsRedirectWithoutFollowing() throws Exception {
        ScriptedServer server = serve("HTTP/1.1 302 Found\r\nLocation: http://169.254.169.254/latest\r\nContent-Length: 0\r\n\r\n",
                new byte[0]);

        DownloadRefusedException e = assertThrows(DownloadRefusedException.class,
                () -> localDownloader().open(server.uri("/a.png")));

        assertEquals(Reason.REDIRECTED, e.reason());
        assertEquals(302, e.status());
        assertEquals(1, server.connections());
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 403, 404, 410})
    void reportsExpired_whenHostRefusesLink(int status) throws Exception {
        ScriptedServer server = serve("HTTP/1.1 " + status + " No\r\nContent-Length: 0\r\n\r\n", new byte[0]);

        DownloadRefusedException e = assertThrows(DownloadRefusedException.class,
                () -> localDownloader().open(server.uri("/a.png?sig=secret")));

        assertEquals(Reason.EXPIRED, e.reason());
        assertEquals(status, e.status());
        assertTrue(!e.getMessage().contains("secret"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {429, 500, 503, 400})
    void reportsHttpError_forOtherStatuses(int status) throws Exception {
        ScriptedServer server = serve("HTTP/1.1 " + status + " No\r\nContent-Length: 0\r\n\r\n", new byte[0]);

        DownloadRefusedException e = assertThrows(DownloadRefusedException.class,
                () -> localDownloader().open(server.uri("/a.png")));

        assertEquals(Reason.HTTP_ERROR, e.reason());
    }

    @Test
    void refusesCompressedBody_becauseIdentityWasAskedFor() throws Exception {
        ScriptedServer server = serve("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Encoding: gzip\r\n"
                + "Content-Length: 3\r\n\r\n", new byte[3]);

        DownloadRefusedException e = assertThrows(DownloadRefusedException.class,
                () -> localDownloader().open(server.uri("/a.png")));

        assertEquals(Reason.HTTP_ERROR, e.reason());
    }

    @Test
    void blocksWithoutConnecting_whenTargetIsLoopbackInStrictMode() throws Exception {
        ScriptedServer server = serve("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", new byte[0]);
        GuardedDownloader strict = downloader(AddressGuard.strict(LOOPBACK_DNS),
                (SSLSocketFactory) SSLSocketFactory.getDefault(), Duration.ofSeconds(1));

        DownloadRefusedException https = assertThrows(DownloadRefusedException.class,
                () -> strict.open(URI.create("https://cdn.example.com:" + server.port() + "/a.png")));
        DownloadRefusedException http = assertThrows(DownloadRefusedException.class,
                () -> strict.open(server.uri("/a.png")));

        assertEquals(Reason.BLOCKED, https.reason());
        assertEquals("private_address", https.code());
        assertEquals(Reason.BLOCKED, http.reason());
        assertEquals(0, https.status());
        assertEquals(0, server.connections(), "nothing was sent");
    }

    @Test
    void failsWithTimeout_whenHostStallsBeforeAnswering() throws Exception {
        ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        try (silent) {
            GuardedDownloader impatient = downloader(new AddressGuard(LOOPBACK_DNS, true),
                    (SSLSocketFactory) SSLSocketFactory.getDefault(), Duration.ofMillis(200));

            assertThrows(SocketTimeoutException.class,
                    () -> impatient.open(URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/a.png")));
        }
    }

    @Test
    void fails_whenAnswerIsNotHttp() throws Exception {
        ScriptedServer server = serve("SSH-2.0-OpenSSH\r\n\r\n", new byte[0]);

        IOException e = assertThrows(IOException.class, () -> localDownloader().open(server.uri("/a.png")));

        assertTrue(e.getMessage().contains("HTTP/1.x"), e.getMessage());
    }

    @Test
    void fails_whenContentLengthsConflict() throws Exception {
        ScriptedServer server = serve("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", new byte[4]);

        assertThrows(IOException.class, () -> localDownloader().open(server.uri("/a.png")));
    }

    @Test
    void leavesContentTypeNull_whenAbsent() throws Exception {
        ScriptedServer server = serve("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n", new byte[1]);

        try (Download download = localDownloader().open(server.uri("/a"))) {
            assertNull(download.contentType());
        }
    }

    @Test
    void verifiesCertificateAgainstUrlHost_whileConnectingToCheckedAddress(@TempDir Path dir) throws Exception {
        SSLContext server = tlsContext(dir);
        byte[] png = "tls-png".getBytes(StandardCharsets.US_ASCII);
        ScriptedServer tlsServer = new ScriptedServer(server.getServerSocketFactory().createServerSocket(0, 50,
                InetAddress.getLoopbackAddress()), "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: "
                + png.length + "\r\n\r\n", png);
        servers.add(tlsServer);
        GuardedDownloader trusting = downloader(new AddressGuard(LOOPBACK_DNS, true), server.getSocketFactory(),
                Duration.ofSeconds(30));

        try (Download download = trusting.open(URI.create("https://localhost:" + tlsServer.port() + "/a.png"))) {
            assertArrayEquals(png, download.body().readAllBytes());
        }
        // Same address, same certificate, but the URL names a host the certificate is not for.
        assertThrows(IOException.class,
                () -> trusting.open(URI.create("https://media.localhost:" + tlsServer.port() + "/a.png")));
    }

    /** A self-signed certificate for {@code localhost}, made with the JDK's keytool. */
    private static SSLContext tlsContext(Path dir) throws Exception {
        Path store = dir.resolve("server.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost", "-validity", "2",
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), output);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, "changeit".toCharArray());
        }
        Certificate certificate = keys.getCertificate("server");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", certificate);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "changeit".toCharArray());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    /** Answers every connection with the same raw response, then closes it; records the requests. */
    private static final class ScriptedServer implements AutoCloseable {
        private final ServerSocket socket;
        private final List<String> requests = new CopyOnWriteArrayList<>();
        private final AtomicInteger connections = new AtomicInteger();
        private final Thread thread;

        ScriptedServer(ServerSocket socket, String head, byte[] body) {
            this.socket = socket;
            this.thread = Thread.ofPlatform().daemon().start(() -> {
                while (!socket.isClosed()) {
                    try (Socket client = socket.accept()) {
                        connections.incrementAndGet();
                        requests.add(readHead(client.getInputStream()));
                        client.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
                        client.getOutputStream().write(body);
                        client.getOutputStream().flush();
                    } catch (IOException e) {
                        // closed, or the client went away
                    }
                }
            });
        }

        int port() {
            return socket.getLocalPort();
        }

        URI uri(String pathAndQuery) {
            return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
        }

        String request() {
            return requests.get(0);
        }

        int connections() {
            return connections.get();
        }

        private static String readHead(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            int b;
            while (matched < 4 && (b = in.read()) != -1) {
                head.write(b);
                matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                        ? matched + 1 : 0;
            }
            return head.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() throws IOException {
            socket.close();
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
