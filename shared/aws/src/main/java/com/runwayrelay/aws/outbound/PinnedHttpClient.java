package com.runwayrelay.aws.outbound;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A deliberately small HTTP/1.1 client that POSTs (webhooks), PUTs (outputs delivered to an app's
 * storage, streamed) or sends a HEAD (the submit-time probe of a delivery URL) to an address chosen
 * by the caller.
 *
 * <p>The JDK's clients resolve the host name themselves, so a name vetted by one lookup could be
 * connected to at another address (DNS rebinding). This client never resolves: it opens a socket
 * to the {@link InetAddress} it is given and speaks to the URI's host over it, with TLS, SNI and
 * certificate host-name verification against the URI's host, and that host in the {@code Host}
 * header. It sends one request with {@code Connection: close}, reads the status line and the
 * headers, and never follows a redirect. The whole exchange, connection and TLS handshake
 * included, is bounded by one timeout: a watchdog closes the socket when it runs out.
 *
 * <p>Thread-safe; one instance serves all deliveries.
 */
public final class PinnedHttpClient {
    private static final int MAX_HEAD_BYTES = 64 * 1024;
    private static final int COPY_BUFFER_BYTES = 64 * 1024;
    private static final ScheduledExecutorService WATCHDOG = watchdog();

    private final SSLSocketFactory tls;
    private final Duration timeout;
    private final String userAgent;

    /**
     * @param tls       TLS sockets (the JVM's default trust store in production)
     * @param timeout   bound on the whole exchange
     * @param userAgent the {@code User-Agent} sent
     */
    public PinnedHttpClient(SSLSocketFactory tls, Duration timeout, String userAgent) {
        this.tls = Objects.requireNonNull(tls, "tls");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.userAgent = Objects.requireNonNull(userAgent, "userAgent");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
    }

    /** The bound on one exchange. */
    public Duration timeout() {
        return timeout;
    }

    /**
     * POSTs {@code body} to {@code target}, connecting to {@code address}.
     *
     * @param target  an absolute {@code http} or {@code https} URI; its host names the server for TLS and {@code Host}
     * @param address where to connect: the address the target was vetted at
     * @param headers extra request headers; names and values must not contain CR or LF
     * @throws SocketTimeoutException when the exchange did not finish within the timeout
     * @throws IOException            when connecting, the TLS handshake or reading the response fails,
     *                                or the response is not HTTP/1.x
     */
    public Response post(URI target, InetAddress address, Map<String, String> headers, byte[] body) throws IOException {
        return exchange("POST", target, address, headers, body.length, out -> out.write(body));
    }

    /**
     * PUTs {@code length} bytes read from {@code body} to {@code target}, connecting to {@code address}:
     * the bytes are copied through a small buffer, never held whole. {@code body} is not closed.
     * When the server answers and closes before the whole body is sent (a refusal it need not read
     * the body for, such as an expired pre-signed URL), that answer is returned.
     *
     * @throws IOException as {@link #post}, and when {@code body} ends before {@code length} bytes
     */
    public Response put(URI target, InetAddress address, Map<String, String> headers, InputStream body, long length)
            throws IOException {
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0");
        }
        return exchange("PUT", target, address, headers, length, out -> copy(body, out, length));
    }

    /**
     * Sends a HEAD to {@code target}, connecting to {@code address}, and reads the answer's head; no
     * body is sent or read.
     *
     * @throws IOException as {@link #post}
     */
    public Response head(URI target, InetAddress address) throws IOException {
        return exchange("HEAD", target, address, Map.of(), -1, out -> { });
    }

    /** Writes a request body to the connection. */
    @FunctionalInterface
    private interface BodyWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    private static void copy(InputStream body, OutputStream out, long length) throws IOException {
        byte[] buffer = new byte[COPY_BUFFER_BYTES];
        long left = length;
        while (left > 0) {
            int n = body.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new SourceEndedException("the body ended after " + (length - left) + " of " + length + " bytes");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    /** The body to send ended early: not the server's doing, so no answer of its is looked for. */
    private static final class SourceEndedException extends IOException {
        SourceEndedException(String message) {
            super(message);
        }
    }

    private Response exchange(String method, URI target, InetAddress address, Map<String, String> headers,
                              long contentLength, BodyWriter body) throws IOException {
        String scheme = String.valueOf(target.getScheme()).toLowerCase(Locale.ROOT);
        boolean https = scheme.equals("https");
        if (!https && !scheme.equals("http")) {
            throw new IllegalArgumentException("only http and https targets are supported");
        }
        String host = hostOf(target);
        int port = target.getPort() != -1 ? target.getPort() : https ? 443 : 80;
        byte[] head = head(method, target, host, headers, contentLength);

        long deadline = System.nanoTime() + timeout.toNanos();
        Socket raw = new Socket();
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> {
            expired.set(true);
            closeQuietly(raw);
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        try {
            raw.connect(new InetSocketAddress(address, port), remainingMillis(deadline));
            Socket socket = https ? handshake(raw, host, port, deadline) : raw;
            OutputStream out = socket.getOutputStream();
            out.write(head);
            try {
                body.writeTo(out);
                out.flush();
            } catch (SourceEndedException e) {
                throw e;
            } catch (IOException e) {
                // The server may have answered and closed without reading the rest (e.g. 403 to an expired
                // URL): its answer says more than the broken pipe does.
                try {
                    return readHead(socket, deadline);
                } catch (IOException noAnswer) {
                    throw e;
                }
            }
            return readHead(socket, deadline);
        } catch (IOException e) {
            // The socket timeouts are set from the same deadline as the watchdog, rounded down to
            // whole milliseconds, so either may fire first: both are the one time limit.
            if (expired.get() || e instanceof SocketTimeoutException || System.nanoTime() - deadline >= 0) {
                SocketTimeoutException timedOut = new SocketTimeoutException("no complete response within "
                        + timeout.toMillis() + " ms");
                timedOut.initCause(e);
                throw timedOut;
            }
            throw e;
        } finally {
            watchdog.cancel(false);
            closeQuietly(raw);
        }
    }

    private Socket handshake(Socket raw, String host, int port, long deadline) throws IOException {
        SSLSocket ssl = (SSLSocket) tls.createSocket(raw, host, port, true);
        SSLParameters parameters = ssl.getSSLParameters();
        // Verify the certificate against the URI's host, as a browser would, although the
        // connection went to an address we chose.
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (!isIpLiteral(host)) {
            parameters.setServerNames(List.of(new SNIHostName(host)));
        }
        ssl.setSSLParameters(parameters);
        ssl.setSoTimeout(remainingMillis(deadline));
        ssl.startHandshake();
        return ssl;
    }

    private byte[] head(String method, URI target, String host, Map<String, String> headers, long contentLength) {
        String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
        String requestTarget = target.getRawQuery() == null ? path : path + "?" + target.getRawQuery();
        String hostHeader = (host.indexOf(':') >= 0 ? "[" + host + "]" : host)
                + (target.getPort() == -1 ? "" : ":" + target.getPort());
        StringBuilder head = new StringBuilder(512)
                .append(method).append(' ').append(requestTarget).append(" HTTP/1.1\r\n")
                .append("Host: ").append(hostHeader).append("\r\n")
                .append("User-Agent: ").append(userAgent).append("\r\n");
        if (contentLength >= 0) {
            // A HEAD has no body and says so by sending no length (-1).
            head.append("Content-Length: ").append(contentLength).append("\r\n");
        }
        head.append("Connection: close\r\n");
        for (Map.Entry<String, String> header : headers.entrySet()) {
            requireNoLineBreak(header.getKey());
            requireNoLineBreak(header.getValue());
            head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
        }
        head.append("\r\n");
        requireNoLineBreak(requestTarget);
        return head.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static Response readHead(Socket socket, long deadline) throws IOException {
        InputStream in = new BufferedInputStream(socket.getInputStream(), 2048);
        String statusLine = readLine(socket, in, deadline, new int[]{0});
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || parts[1].length() != 3) {
            throw new IOException("the response is not HTTP/1.x");
        }
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("the response has no numeric status", e);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        int[] read = {statusLine.length()};
        for (String line = readLine(socket, in, deadline, read); !line.isEmpty(); line = readLine(socket, in, deadline, read)) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.putIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        return new Response(status, headers);
    }

    /** One CRLF- (or LF-) terminated line of the response head, within the head size limit. */
    private static String readLine(Socket socket, InputStream in, long deadline, int[] headBytes) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            socket.setSoTimeout(remainingMillis(deadline));
            int b = in.read();
            if (b == -1) {
                throw new EOFException("the connection closed before the response head ended");
            }
            if (++headBytes[0] > MAX_HEAD_BYTES) {
                throw new IOException("the response head exceeds " + MAX_HEAD_BYTES + " bytes");
            }
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
    }

    private static int remainingMillis(long deadline) throws SocketTimeoutException {
        long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (remaining <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        return (int) Math.min(Integer.MAX_VALUE, remaining);
    }

    private static String hostOf(URI target) {
        String host = target.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("the target has no host");
        }
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    private static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    private static void requireNoLineBreak(String value) {
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("request line and headers must not contain CR or LF");
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing is best effort: the exchange is over either way.
        }
    }

    private static ScheduledExecutorService watchdog() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "webhook-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    /**
     * The response head.
     *
     * @param status  the status code
     * @param headers header names in lower case, first value of each
     */
    public record Response(int status, Map<String, String> headers) {
        public Response {
            headers = Map.copyOf(headers);
        }
    }
}
