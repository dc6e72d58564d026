package com.runwayrelay.testkit.aws;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * DynamoDB Local's HTTP server inside this JVM, listening on 127.0.0.1 only.
 *
 * <p>DynamoDB Local rejects {@code -port 0} and has no host option, so it is created with a
 * placeholder port and its Jetty connector is pointed at the loopback address and the wanted
 * port (0 for a free one) before it starts. {@code -sharedDb} makes every access key and region
 * see one database, as handlers and tests expect; telemetry is off.
 */
final class DynamoDbLocalServer implements AutoCloseable {

    private static final String LOOPBACK = "127.0.0.1";
    // Only parsed by DynamoDB Local's option reader, never bound: the connector is re-pointed first.
    private static final int PLACEHOLDER_PORT = 8000;

    private final DynamoDBProxyServer server;
    private final int port;

    private DynamoDbLocalServer(DynamoDBProxyServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Starts the server.
     *
     * @param databaseDirectory where to keep the database file; empty keeps it in memory
     * @param requestedPort the port, or 0 for any free one
     * @throws EmulatorStartException if the port is taken or the server fails to start
     */
    static DynamoDbLocalServer start(Optional<Path> databaseDirectory, int requestedPort) {
        List<String> args = new ArrayList<>(List.of(
                "-port", String.valueOf(requestedPort == 0 ? PLACEHOLDER_PORT : requestedPort),
                "-sharedDb", "-disableTelemetry"));
        databaseDirectory.ifPresentOrElse(
                directory -> args.addAll(List.of("-dbPath", directory.toAbsolutePath().toString())),
                () -> args.add("-inMemory"));
        DynamoDBProxyServer server;
        ServerConnector connector;
        try {
            server = ServerRunner.createServerFromCommandLineArgs(args.toArray(String[]::new));
            connector = loopbackConnector(server);
        } catch (Exception e) {
            throw new EmulatorStartException("DynamoDB Local could not be created: " + e.getMessage(), e);
        }
        connector.setHost(LOOPBACK);
        connector.setPort(requestedPort);
        try {
            server.safeStart();
        } catch (Exception e) {
            stopQuietly(server, e);
            if (PortConflict.causedBy(e)) {
                throw PortConflict.error("DynamoDB Local", requestedPort, "withDynamoPort", e);
            }
            throw new EmulatorStartException("DynamoDB Local failed to start on " + LOOPBACK + ":" + requestedPort + ": " + e, e);
        }
        return new DynamoDbLocalServer(server, connector.getLocalPort());
    }

    int port() {
        return port;
    }

    /** Stops the server; in-memory data is gone. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping DynamoDB Local", e);
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not stop cleanly: " + e, e);
        }
    }

    private static ServerConnector loopbackConnector(DynamoDBProxyServer proxy) throws ReflectiveOperationException {
        Field field = DynamoDBProxyServer.class.getDeclaredField("server");
        field.setAccessible(true);
        Server jetty = (Server) field.get(proxy);
        Connector[] connectors = jetty.getConnectors();
        if (connectors.length != 1 || !(connectors[0] instanceof ServerConnector connector)) {
            throw new IllegalStateException("expected one Jetty ServerConnector in DynamoDB Local, found " + List.of(connectors));
        }
        return connector;
    }

    private static void stopQuietly(DynamoDBProxyServer server, Exception failure) {
        try {
            server.stop();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }
}
