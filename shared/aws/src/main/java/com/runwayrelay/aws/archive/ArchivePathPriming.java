package com.runwayrelay.aws.archive;

import com.runwayrelay.domain.archive.MeasuredStream;
import com.runwayrelay.domain.archive.OutputSource.Download;
import com.runwayrelay.domain.media.AddressGuard;
import com.runwayrelay.domain.media.HostResolver;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32;
import javax.net.ssl.SSLSocketFactory;

/**
 * Runs the archiver's per-read and per-part code on loopback, so that the JIT has compiled it before a
 * SnapStart snapshot is taken. {@link #read}: the {@link GuardedDownloader}'s socket body, the
 * {@link MeasuredStream}'s SHA-256 and {@link S3ArchiveStore#fill}'s CRC32, which every read of every
 * archive runs. {@link #upload}: the {@link PresignedPartUploader} (its {@link PartSigner}, the S3 presigner
 * for an object's first part and the SigV4 signer for the others, and the PUT with its watchdog), which every
 * part runs. In a fresh archiver that code reaches C2 only after several GiB (docs/BENCHMARKS.md, "A warm
 * container reaches the goal"), and until then each archive pays tier-3 profiling code and the compilations
 * themselves.
 *
 * <p>The reads and parts are small, so the code is called often enough for C2 without moving gigabytes.
 * Nothing leaves the process: a server socket on the loopback address serves the bytes or takes the parts
 * and is closed before the method returns; the presigner signs for that address with made-up credentials;
 * no AWS client call, no log line, no metric. The SDK calls of an archive (DynamoDB, S3's
 * {@code CreateMultipartUpload} and {@code CompleteMultipartUpload}) are not run: they need AWS.
 */
public final class ArchivePathPriming {
    private static final int SERVER_CHUNK = 64 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private ArchivePathPriming() {
    }

    /**
     * What a run read: the bytes of each download and the SHA-256 of the last one, as the measured
     * stream computed them (a test compares them with the bytes served).
     */
    public record Result(int downloads, long bytesPerDownload, String lastSha256) {
    }

    /**
     * Serves {@code downloads} bodies of {@code bytesPerDownload} pseudo-random bytes (the same bytes
     * for the same {@code seed}) on loopback and reads each through the archiver's read path, in reads
     * of at most {@code readBytes}.
     *
     * @throws IOException when a download fails or a body is not read complete
     */
    public static Result read(int downloads, long bytesPerDownload, int readBytes, long seed) throws IOException {
        if (downloads < 1 || bytesPerDownload < 1 || readBytes < 1) {
            throw new IllegalArgumentException("downloads, bytesPerDownload and readBytes must be positive");
        }
        GuardedDownloader downloader = new GuardedDownloader(new AddressGuard(HostResolver.system(), true),
                (SSLSocketFactory) SSLSocketFactory.getDefault(), TIMEOUT, TIMEOUT, "runway-relay-priming/1");
        AtomicReference<Throwable> serverFailure = new AtomicReference<>();
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread serving = Thread.ofPlatform().daemon().name("read-path-priming").start(() -> {
                try {
                    for (int i = 0; i < downloads; i++) {
                        try (Socket socket = server.accept()) {
                            serve(socket, bytesPerDownload, seed);
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    serverFailure.set(e);
                }
            });
            URI url = URI.create("http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":"
                    + server.getLocalPort() + "/priming/output.mp4");
            byte[] part = new byte[readBytes];
            CRC32 crc = new CRC32();
            String sha = null;
            try {
                for (int i = 0; i < downloads; i++) {
                    sha = readOne(downloader, url, bytesPerDownload, part, crc);
                }
            } catch (IOException | RuntimeException e) {
                Throwable cause = serverFailure.get();
                if (cause != null) {
                    e.addSuppressed(cause);
                }
                throw e;
            } finally {
                server.close();
                join(serving);
            }
            return new Result(downloads, bytesPerDownload, sha);
        } catch (com.runwayrelay.domain.archive.DownloadRefusedException e) {
            throw new IOException("the priming download was refused: " + e.getMessage(), e);
        }
    }

    private static String readOne(GuardedDownloader downloader, URI url, long expected, byte[] part, CRC32 crc)
            throws IOException, com.runwayrelay.domain.archive.DownloadRefusedException {
        try (Download download = downloader.open(url)) {
            MeasuredStream body = new MeasuredStream(download.body(), download.contentLength(), expected);
            // As S3ArchiveStore.put does per part: fill a part buffer while computing its CRC32, until the body ends.
            while (S3ArchiveStore.fill(body, part, part.length, crc) == part.length) {
                crc.getValue();
            }
            if (!body.complete() || body.size() != expected) {
                throw new IOException("the priming body ended after " + body.size() + " of " + expected + " bytes");
            }
            return body.sha256();
        }
    }

    /**
     * Sends {@code objects} × {@code partsPerObject} parts of {@code partBytes} bytes through a
     * {@link PresignedPartUploader} to a loopback server that takes each one as S3 would (200 and an ETag),
     * signed for that server with made-up credentials.
     *
     * @return the parts S3's stand-in took
     * @throws IOException when a part was not taken
     */
    public static int upload(int objects, int partsPerObject, int partBytes) throws IOException {
        if (objects < 1 || partsPerObject < 1 || partBytes < 1) {
            throw new IllegalArgumentException("objects, partsPerObject and partBytes must be positive");
        }
        byte[] bytes = new byte[partBytes];
        fillRandom(new SplittableRandom(objects), bytes, partBytes);
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, partBytes);
        String crc32 = S3ArchiveStore.base64(crc);
        java.util.concurrent.atomic.AtomicInteger taken = new java.util.concurrent.atomic.AtomicInteger();
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread accepting = Thread.ofPlatform().daemon().name("part-path-priming").start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket socket = server.accept();
                        Thread.ofPlatform().daemon().name("part-path-priming-connection")
                                .start(() -> takeParts(socket, taken));
                    } catch (IOException e) {
                        return; // closed
                    }
                }
            });
            URI endpoint = URI.create("http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":"
                    + server.getLocalPort());
            var credentials = software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                    software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("AKIDPRIMING", "priming"));
            try (var presigner = software.amazon.awssdk.services.s3.presigner.S3Presigner.builder()
                    .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                    .credentialsProvider(credentials)
                    .endpointOverride(endpoint)
                    .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder()
                            .pathStyleAccessEnabled(true).build())
                    .build()) {
                PresignedPartUploader uploader = new PresignedPartUploader(presigner, credentials, TIMEOUT, TIMEOUT,
                        TIMEOUT, 1, Duration.ofMillis(1));
                for (int object = 0; object < objects; object++) {
                    for (int number = 1; number <= partsPerObject; number++) {
                        uploader.upload(new PartUploader.Part("priming", "priming/" + object, "priming-upload",
                                number, crc32), bytes, partBytes);
                    }
                }
            } finally {
                server.close();
                join(accepting);
            }
        }
        return taken.get();
    }

    /** Takes PUTs on one kept-alive connection until the client closes it: reads each body, answers 200 with an ETag. */
    private static void takeParts(Socket socket, java.util.concurrent.atomic.AtomicInteger taken) {
        try (socket) {
            InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            String head;
            while ((head = readHead(in)) != null) {
                long length = 0;
                for (String line : head.split("\r\n")) {
                    int colon = line.indexOf(':');
                    if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                        length = Long.parseLong(line.substring(colon + 1).trim());
                    }
                }
                in.skipNBytes(length);
                // Only a signed UploadPart PUT is taken; anything else is refused as S3 would, and fails the priming.
                String requestLine = head.substring(0, head.indexOf('\r'));
                boolean uploadPart = requestLine.startsWith("PUT /priming/priming/") && requestLine.contains("partNumber=")
                        && requestLine.contains("uploadId=priming-upload") && requestLine.contains("X-Amz-Signature=");
                if (uploadPart) {
                    taken.incrementAndGet();
                }
                out.write((uploadPart ? "HTTP/1.1 200 OK\r\nETag: \"priming\"\r\nContent-Length: 0\r\n\r\n"
                        : "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            // The client sees the failure as an unanswered part.
        }
    }

    /** A request head up to its empty line, or null at the end of the stream before one began. */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                if (head.isEmpty()) {
                    return null;
                }
                throw new IOException("a request ended before its head did");
            }
            head.append((char) b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
        }
        return head.toString();
    }

    /** The body served: the bytes of {@link #bytes} for {@code seed}, after a minimal HTTP/1.1 head. */
    private static void serve(Socket socket, long length, long seed) throws IOException {
        if (readHead(socket.getInputStream()) == null) {
            throw new IOException("the priming request ended before its head did");
        }
        OutputStream out = socket.getOutputStream();
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\nContent-Length: " + length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        byte[] chunk = new byte[SERVER_CHUNK];
        SplittableRandom random = new SplittableRandom(seed);
        for (long sent = 0; sent < length; ) {
            int n = (int) Math.min(chunk.length, length - sent);
            fillRandom(random, chunk, n);
            out.write(chunk, 0, n);
            sent += n;
        }
        out.flush();
    }

    /**
     * The bytes a run serves for {@code seed}: {@code length} bytes in the order served (a test
     * hashes them to check what the measured stream reported).
     */
    public static void bytes(long seed, long length, OutputStream to) {
        byte[] chunk = new byte[SERVER_CHUNK];
        SplittableRandom random = new SplittableRandom(seed);
        try {
            for (long written = 0; written < length; ) {
                int n = (int) Math.min(chunk.length, length - written);
                fillRandom(random, chunk, n);
                to.write(chunk, 0, n);
                written += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void fillRandom(SplittableRandom random, byte[] chunk, int n) {
        for (int i = 0; i < n; i += 8) {
            long value = random.nextLong();
            for (int j = 0; j < 8 && i + j < n; j++) {
                chunk[i + j] = (byte) (value >>> (8 * j));
            }
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join(TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
