package com.runwayrelay.bench.archiver;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/**
 * A write-only S3 endpoint that keeps nothing: it answers the calls the archiver's store makes
 * (PutObject, CreateMultipartUpload, UploadPart, CompleteMultipartUpload, CopyObject,
 * AbortMultipartUpload) and counts the payload bytes it received, decoding the SDK's
 * {@code aws-chunked} framing. It measures the archiver itself, without an emulator's disk and
 * checksum work in the way (s3proxy ingests at a few hundred MB/s on a small machine). No
 * signature is checked. For benchmarks only.
 */
final class DiscardS3 implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicLong payloadBytes = new AtomicLong();

    private DiscardS3(HttpServer server) {
        this.server = server;
    }

    /** Starts plain http on a free loopback port. */
    static DiscardS3 start() throws IOException {
        return start(null);
    }

    /**
     * Starts on a free loopback port, over https when {@code tls} is given (the path the SDK takes
     * with real S3: no payload signing, the body encrypted instead).
     */
    static DiscardS3 start(SSLContext tls) throws IOException {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        HttpServer server;
        if (tls == null) {
            server = HttpServer.create(loopback, 64);
        } else {
            HttpsServer https = HttpsServer.create(loopback, 64);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        }
        DiscardS3 sink = new DiscardS3(server);
        server.createContext("/", sink::handle);
        server.setExecutor(sink.threads);
        server.start();
        return sink;
    }

    /** {@code http(s)://127.0.0.1:<port>}, for {@code AWS_ENDPOINT_URL_S3}. */
    URI endpoint() {
        return URI.create((server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Object bytes received so far (framing excluded). */
    long payloadBytes() {
        return payloadBytes.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String query = exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery();
            String path = exchange.getRequestURI().getRawPath();
            String body = "";
            long received = drain(exchange);
            if (method.equals("POST") && query.contains("uploads")) {
                body = "<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>" + path + "</Key><UploadId>"
                        + UUID.randomUUID() + "</UploadId></InitiateMultipartUploadResult>";
            } else if (method.equals("POST") && query.contains("uploadId")) {
                body = "<CompleteMultipartUploadResult><Bucket>b</Bucket><Key>" + path
                        + "</Key><ETag>\"etag\"</ETag></CompleteMultipartUploadResult>";
            } else if (method.equals("PUT") && exchange.getRequestHeaders().containsKey("x-amz-copy-source")) {
                body = "<CopyObjectResult><ETag>\"etag\"</ETag><LastModified>2026-01-01T00:00:00.000Z</LastModified>"
                        + "</CopyObjectResult>";
            } else if (method.equals("PUT")) {
                payloadBytes.addAndGet(received);
            } else if (method.equals("DELETE")) {
                exchange.sendResponseHeaders(204, -1);
                return;
            }
            exchange.getResponseHeaders().add("ETag", "\"etag\"");
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            if (bytes.length > 0) {
                exchange.getResponseHeaders().add("Content-Type", "application/xml");
            }
            exchange.sendResponseHeaders(200, bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    /** Reads the whole body; returns the object bytes in it, decoding {@code aws-chunked} when used. */
    private static long drain(HttpExchange exchange) throws IOException {
        InputStream in = exchange.getRequestBody();
        String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
        if (encoding == null || !encoding.contains("aws-chunked")) {
            return in.transferTo(OutputStreamSink.INSTANCE);
        }
        long total = 0;
        byte[] buffer = new byte[64 * 1024];
        while (true) {
            String line = line(in);
            int semicolon = line.indexOf(';');
            long size = Long.parseLong((semicolon < 0 ? line : line.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                in.transferTo(OutputStreamSink.INSTANCE);
                return total;
            }
            long left = size;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new IOException("aws-chunked body ended inside a chunk");
                }
                left -= n;
            }
            total += size;
            line(in);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.close();
    }

    /** Discards what is written. */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
