package com.runwayrelay.testkit.aws;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;

/**
 * s3proxy inside this JVM on 127.0.0.1, enforcing AWS Signature V2/V4 with one fixed identity,
 * so pre-signed links behave as on S3: tampered, swapped or expired links get 403.
 */
final class S3ProxyServer implements AutoCloseable {

    private static final String LOOPBACK = "127.0.0.1";

    private final S3Proxy proxy;
    private final BlobStore blobStore;

    private S3ProxyServer(S3Proxy proxy, BlobStore blobStore) {
        this.proxy = proxy;
        this.blobStore = blobStore;
    }

    /**
     * Starts the server.
     *
     * @param blobDirectory where to keep objects; empty keeps them in memory
     * @param requestedPort the port, or 0 for any free one
     * @param accessKeyId the only identity accepted
     * @param secretAccessKey its secret
     * @throws EmulatorStartException if the port is taken or the server fails to start
     */
    static S3ProxyServer start(Optional<Path> blobDirectory, int requestedPort, String accessKeyId, String secretAccessKey) {
        BlobStore blobStore = blobDirectory.map(S3ProxyServer::filesystemStore).orElseGet(() -> BlobStores.create("transient", new Properties()));
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(blobStore)
                .endpoint(URI.create("http://" + LOOPBACK + ":" + requestedPort))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKeyId, secretAccessKey)
                // the default waits ~2 s for idle connections on stop; nothing here needs that
                .stopTimeout(0)
                .build();
        try {
            proxy.start();
        } catch (Exception e) {
            stopQuietly(proxy, e);
            blobStore.close();
            if (PortConflict.causedBy(e)) {
                throw PortConflict.error("s3proxy", requestedPort, "withS3Port", e);
            }
            throw new EmulatorStartException("s3proxy failed to start on " + LOOPBACK + ":" + requestedPort + ": " + e, e);
        }
        if (!"STARTED".equals(proxy.getState())) {
            stopQuietly(proxy, null);
            blobStore.close();
            throw new EmulatorStartException("s3proxy did not start on " + LOOPBACK + ":" + requestedPort + "; state " + proxy.getState());
        }
        return new S3ProxyServer(proxy, blobStore);
    }

    int port() {
        return proxy.getPort();
    }

    /** Stops the server and releases the blob store; in-memory objects are gone. */
    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping s3proxy", e);
        } catch (Exception e) {
            throw new IllegalStateException("s3proxy did not stop cleanly: " + e, e);
        } finally {
            blobStore.close();
        }
    }

    private static BlobStore filesystemStore(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new EmulatorStartException("cannot create s3proxy's data folder " + directory.toAbsolutePath() + ": " + e, e);
        }
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", directory.toAbsolutePath().toString());
        return BlobStores.create("filesystem", properties);
    }

    private static void stopQuietly(S3Proxy proxy, Exception failure) {
        try {
            proxy.stop();
        } catch (Exception e) {
            if (failure != null) {
                failure.addSuppressed(e);
            }
        }
    }
}
