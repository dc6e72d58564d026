package com.runwayrelay.aws.archive;

import com.runwayrelay.domain.archive.DownloadRefusedException;
import com.runwayrelay.domain.archive.DownloadRefusedException.Reason;
import com.runwayrelay.domain.archive.OutputSource;
import com.runwayrelay.domain.media.AddressGuard;
import com.runwayrelay.domain.media.BlockedTargetException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * {@link OutputSource} over a deliberately small HTTP/1.1 GET client that connects only where the
 * {@link AddressGuard} allows and only to the address it checked.
 *
 * <p>Why not the JDK's {@code HttpClient} or {@code HttpURLConnection}: both resolve the host
 * name themselves when they connect, so the address vetted by one lookup could differ from the
 * one connected to (DNS rebinding), and neither can be told which address to use. This client
 * resolves once (through the guard), opens a socket to that address, and speaks to the URL's
 * host over it: TLS with SNI and certificate host-name verification against the URL's host, and
 * that host in {@code Host}. One request per connection ({@code Connection: close}), identity
 * encoding only, and redirects are reported, never followed.
 *
 * <p>Timeouts: {@code connectTimeout} bounds the TCP connect and {@code readTimeout} every wait
 * for data (the TLS handshake, the response head, each read of the body), so a stalled transfer
 * fails while a long, steady one of gigabytes does not. The body is streamed as it arrives; its
 * length checks are left to the caller's {@link com.runwayrelay.domain.archive.MeasuredStream}.
 *
 * <p>Thread-safe; one instance serves all downloads.
 */
public final class GuardedDownloader implements OutputSource {
    private static final int MAX_HEAD_BYTES = 64 * 1024;
    private static final int BUFFER_BYTES = 64 * 1024;
    private static final String ACCEPT = "image/*, video/*, audio/*";

    private final AddressGuard guard;
    private final SSLSocketFactory tls;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final String userAgent;

    /**
     * @param guard          vets each target and names the address to connect to
     * @param tls            TLS sockets; the JVM default (system trust store) in production
     * @param connectTimeout bound on the TCP connect
     * @param readTimeout    bound on each wait for data
     * @param userAgent      sent as {@code User-Agent}
     */
    public GuardedDownloader(AddressGuard guard, SSLSocketFactory tls, Duration connectTimeout, Duration readTimeout,
                             String userAgent) {
        this.guard = Objects.requireNonNull(guard, "guard");
        this.tls = Objects.requireNonNull(tls, "tls");
        this.connectTimeout = positive(connectTimeout, "connectTimeout");
        this.readTimeout = positive(readTimeout, "readTimeout");
        this.userAgent = requireHeaderValue(Objects.requireNonNull(userAgent, "userAgent"));
    }

    @Override
    public Download open(URI url) throws DownloadRefusedException, IOException {
        InetAddress address;
        try {
            address = guard.checkedAddress(url);
        } catch (BlockedTargetException e) {
            throw new DownloadRefusedException(Reason.BLOCKED, 0, e.code(), e.getMessage());
        }
        boolean https = "https".equalsIgnoreCase(url.getScheme());
        String host = bare(url.getHost());
        int port = url.getPort() != -1 ? url.getPort() : https ? 443 : 80;
        Socket raw = new Socket();
        boolean handedOver = false;
        try {
            raw.setSoTimeout(millis(readTimeout));
            raw.connect(new InetSocketAddress(address, port), millis(connectTimeout));
            Socket socket = https ? handshake(raw, host, port) : raw;
            OutputStream out = socket.getOutputStream();
            out.write(requestHead(url).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream(), BUFFER_BYTES);
            ResponseHead head = ResponseHead.read(in, MAX_HEAD_BYTES);
            Download download = accept(url, head, in, socket);
            handedOver = true;
            return download;
        } finally {
            if (!handedOver) {
                closeQuietly(raw);
            }
        }
    }

    private Download accept(URI url, ResponseHead head, InputStream in, Socket socket) throws DownloadRefusedException,
            IOException {
        int status = head.status();
        String where = describe(url);
        if (status != 200) {
            Reason reason = status >= 300 && status < 400 ? Reason.REDIRECTED
                    : status == 401 || status == 403 || status == 404 || status == 410 ? Reason.EXPIRED
                    : Reason.HTTP_ERROR;
            String message = switch (reason) {
                case REDIRECTED -> where + " answered " + status + " (a redirect); redirects are not followed";
                case EXPIRED -> where + " answered " + status + "; the link has expired or been revoked";
                default -> where + " answered " + status;
            };
            throw new DownloadRefusedException(reason, status, null, message);
        }
        String encoding = head.header("content-encoding");
        if (encoding != null && !encoding.equalsIgnoreCase("identity")) {
            throw new DownloadRefusedException(Reason.HTTP_ERROR, status, null,
                    where + " sent the output with Content-Encoding '" + encoding + "' although identity was asked for");
        }
        String transfer = head.header("transfer-encoding");
        InputStream body;
        long length;
        if (transfer != null) {
            if (!transfer.trim().equalsIgnoreCase("chunked")) {
                throw new IOException(where + " used Transfer-Encoding '" + transfer + "', which is not supported");
            }
            body = new ChunkedBody(in);
            length = -1;
        } else {
            length = head.contentLength();
            body = length >= 0 ? new LengthBody(in, length) : in;
        }
        return new Download(head.header("content-type"), length, new SocketBody(body, socket));
    }

    private SSLSocket handshake(Socket raw, String host, int port) throws IOException {
        SSLSocket ssl = (SSLSocket) tls.createSocket(raw, host, port, true);
        SSLParameters parameters = ssl.getSSLParameters();
        // The certificate must match the URL's host, although the socket went to an address we chose.
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (!isIpLiteral(host)) {
            parameters.setServerNames(List.of(new SNIHostName(host)));
        }
        ssl.setSSLParameters(parameters);
        ssl.startHandshake();
        return ssl;
    }

    private String requestHead(URI url) {
        URI ascii = URI.create(url.toASCIIString());
        String path = ascii.getRawPath() == null || ascii.getRawPath().isEmpty() ? "/" : ascii.getRawPath();
        String target = ascii.getRawQuery() == null ? path : path + "?" + ascii.getRawQuery();
        requireHeaderValue(target);
        String hostHeader = url.getHost() + (url.getPort() == -1 ? "" : ":" + url.getPort());
        return "GET " + target + " HTTP/1.1\r\n"
                + "Host: " + requireHeaderValue(hostHeader) + "\r\n"
                + "User-Agent: " + userAgent + "\r\n"
                + "Accept: " + ACCEPT + "\r\n"
                + "Accept-Encoding: identity\r\n"
                + "Connection: close\r\n"
                + "\r\n";
    }

    /** Scheme, host and port, never the path's query (signed links carry credentials there). */
    static String describe(URI url) {
        return "the output host " + url.getHost() + (url.getPort() == -1 ? "" : ":" + url.getPort());
    }

    private static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    }

    /** Request line and header values are ASCII without control characters: nothing can be smuggled in. */
    private static String requireHeaderValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException("a request line or header would contain the character U+"
                        + String.format("%04X", (int) c));
            }
        }
        return value;
    }

    private static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return d;
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing more to release.
        }
    }

    /** A response head: status and headers (names lower-cased). */
    record ResponseHead(int status, Map<String, String> headers) {

        String header(String lowerCaseName) {
            return headers.get(lowerCaseName);
        }

        /** The declared length, or -1 when absent. */
        long contentLength() throws IOException {
            String value = headers.get("content-length");
            if (value == null) {
                return -1;
            }
            String trimmed = value.trim();
            if (!trimmed.matches("\\d{1,18}")) {
                throw new IOException("the output host sent an invalid Content-Length '" + value + "'");
            }
            return Long.parseLong(trimmed);
        }

        /** Reads a head of at most {@code max} bytes: status line, headers, empty line. */
        static ResponseHead read(InputStream in, int max) throws IOException {
            String statusLine = line(in, max);
            if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' ') {
                throw new IOException("the output host did not answer with HTTP/1.x");
            }
            int status;
            try {
                status = Integer.parseInt(statusLine.substring(9, 12));
            } catch (NumberFormatException e) {
                throw new IOException("the output host sent an invalid status line");
            }
            Map<String, String> headers = new HashMap<>();
            int used = statusLine.length();
            while (true) {
                String line = line(in, max - used);
                used += line.length() + 2;
                if (line.isEmpty()) {
                    return new ResponseHead(status, Map.copyOf(headers));
                }
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new IOException("the output host sent a malformed header line");
                }
                String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).trim();
                String previous = headers.putIfAbsent(name, value);
                if (previous != null && !previous.equals(value)) {
                    if (name.equals("content-length")) {
                        throw new IOException("the output host sent conflicting Content-Length headers");
                    }
                    headers.put(name, previous + ", " + value);
                }
            }
        }

        private static String line(InputStream in, int max) throws IOException {
            StringBuilder line = new StringBuilder();
            while (true) {
                int b = in.read();
                if (b == -1) {
                    throw new IOException("the output host closed the connection before the end of the response head");
                }
                if (b == '\n') {
                    int end = line.length();
                    if (end > 0 && line.charAt(end - 1) == '\r') {
                        line.setLength(end - 1);
                    }
                    return line.toString();
                }
                line.append((char) b);
                if (line.length() > max) {
                    throw new IOException("the output host sent a response head over " + MAX_HEAD_BYTES + " bytes");
                }
            }
        }
    }

    /** The body of a response with a {@code Content-Length}: ends there, even if the peer sends more. */
    static final class LengthBody extends InputStream {
        private final InputStream in;
        private long remaining;

        LengthBody(InputStream in, long length) {
            this.in = in;
            this.remaining = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** A {@code Transfer-Encoding: chunked} body, de-chunked; trailers are read and dropped. */
    static final class ChunkedBody extends InputStream {
        private static final int MAX_LINE = 4096;
        private final InputStream in;
        private long chunkRemaining;
        private boolean done;

        ChunkedBody(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (chunkRemaining == 0) {
                chunkRemaining = nextChunkSize();
                if (chunkRemaining == 0) {
                    while (!ResponseHead.line(in, MAX_LINE).isEmpty()) {
                        // trailer field: not needed
                    }
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, chunkRemaining));
            if (n == -1) {
                // The caller sees an early end; with no declared length, only the chunk framing shows the cut.
                throw new IOException("the output download ended inside a chunk");
            }
            chunkRemaining -= n;
            if (chunkRemaining == 0) {
                expectCrlf();
            }
            return n;
        }

        private long nextChunkSize() throws IOException {
            String line = ResponseHead.line(in, MAX_LINE);
            int semicolon = line.indexOf(';');
            String size = (semicolon < 0 ? line : line.substring(0, semicolon)).trim();
            if (!size.matches("[0-9a-fA-F]{1,15}")) {
                throw new IOException("the output host sent a malformed chunk size");
            }
            return Long.parseLong(size, 16);
        }

        private void expectCrlf() throws IOException {
            if (!ResponseHead.line(in, 2).isEmpty()) {
                throw new IOException("the output host sent a malformed chunk ending");
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** A body that closes its connection when closed. */
    private static final class SocketBody extends InputStream {
        private final InputStream in;
        private final Socket socket;

        SocketBody(InputStream in, Socket socket) {
            this.in = in;
            this.socket = socket;
        }

        @Override
        public int read() throws IOException {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in.read(b, off, len);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
