package com.runwayrelay.testkit.aws;

import com.amazonaws.services.dynamodbv2.local.main.CommandLineInput;
import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
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
 *
 * <p>Each server is created and started from a thread in its own {@link ThreadGroup}, so every
 * thread it spawns (Jetty's pool, its table and stream jobs) lands in that group. Stopping the
 * server leaves a non-daemon stream-rollover job asleep for minutes, which would keep a local
 * stack's JVM alive after {@link #close()}; interrupting the group ends exactly this server's
 * threads and no other instance's.
 */
final class DynamoDbLocalServer implements AutoCloseable {

    private static final String LOOPBACK = "127.0.0.1";
    // Only parsed by DynamoDB Local's option reader, never bound: the connector is re-pointed first.
    private static final int PLACEHOLDER_PORT = 8000;
    // A hang guard only: a stopped server's threads end in milliseconds.
    private static final Duration STOP_GUARD = Duration.ofSeconds(30);

    /*
     * DynamoDB Local's embedded SDK v1 warns on stderr, once per JVM, that JAXB is missing, then
     * uses its own Base64, which is fine. JUL keeps loggers weakly: hold it, or the level is lost.
     */
    private static final Logger SDK_V1_BASE64_LOG = Logger.getLogger("com.amazonaws.util.Base64");

    static {
        SDK_V1_BASE64_LOG.setLevel(Level.SEVERE);
    }

    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final DynamoDBProxyServer server;
    private final int port;
    private final ThreadGroup threads;

    private DynamoDbLocalServer(DynamoDBProxyServer server, int port, ThreadGroup threads) {
        this.server = server;
        this.port = port;
        this.threads = threads;
    }

    /**
     * Starts the server.
     *
     * @param databaseDirectory where to keep the database file; empty keeps it in memory
     * @param requestedPort the port, or 0 for any free one
     * @throws EmulatorStartException if the port is taken or the server fails to start
     */
    static DynamoDbLocalServer start(Optional<Path> databaseDirectory, int requestedPort) {
        ThreadGroup threads = new ThreadGroup("dynamodb-local-" + INSTANCES.incrementAndGet());
        FutureTask<DynamoDbLocalServer> start = new FutureTask<>(() -> startInGroup(databaseDirectory, requestedPort, threads));
        Thread.ofPlatform().group(threads).name(threads.getName() + "-start").start(start);
        try {
            return start.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmulatorStartException("interrupted while starting DynamoDB Local", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new EmulatorStartException("DynamoDB Local failed to start: " + e.getCause(), e.getCause());
        }
    }

    private static DynamoDbLocalServer startInGroup(Optional<Path> databaseDirectory, int requestedPort, ThreadGroup threads) {
        List<String> args = new ArrayList<>(List.of(
                "-port", String.valueOf(requestedPort == 0 ? PLACEHOLDER_PORT : requestedPort),
                "-sharedDb", "-disableTelemetry"));
        databaseDirectory.ifPresentOrElse(
                directory -> args.addAll(List.of("-dbPath", directory.toAbsolutePath().toString())),
                () -> args.add("-inMemory"));
        DynamoDBProxyServer server;
        ServerConnector connector;
        try {
            // createServerFromCommandLineArgs would print its configuration (with the placeholder port) to stdout
            CommandLineInput input = new CommandLineInput(args.toArray(String[]::new));
            if (!input.init()) {
                throw new IllegalArgumentException("DynamoDB Local rejected its options " + args);
            }
            server = ServerRunner.createServer(input);
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
            threads.interrupt();
            if (PortConflict.causedBy(e)) {
                throw PortConflict.error("DynamoDB Local", requestedPort, "withDynamoPort", e);
            }
            throw new EmulatorStartException("DynamoDB Local failed to start on " + LOOPBACK + ":" + requestedPort + ": " + e, e);
        }
        return new DynamoDbLocalServer(server, connector.getLocalPort(), threads);
    }

    int port() {
        return port;
    }

    /** Stops the server and ends its background threads; in-memory data is gone. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping DynamoDB Local", e);
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not stop cleanly: " + e, e);
        } finally {
            endThreads();
        }
    }

    /*
     * stop() asks the SQLite job queue to stop gracefully but does not wait for it. Interrupting it
     * while it winds down makes sqlite4java "reincarnate" it seconds later: it reopens the database
     * file, and a server started meanwhile on the same data folder finds it locked (a flake of
     * RelayCliIT's two commands in a row, and of `./relay apps` run twice). So the queue threads are
     * joined first, and only then is the rest of the group (the sleeping stream jobs) interrupted.
     */
    private void endThreads() {
        try {
            for (Thread thread : groupThreads()) {
                if (thread.getName().startsWith("SQLiteQueue")) {
                    thread.join(STOP_GUARD);
                }
            }
            threads.interrupt();
            for (Thread thread : groupThreads()) {
                thread.join(STOP_GUARD);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            threads.interrupt();
        }
    }

    private List<Thread> groupThreads() {
        Thread[] found = new Thread[threads.activeCount() + 16];
        int count = threads.enumerate(found, true);
        return Arrays.asList(found).subList(0, count).stream().filter(t -> t != Thread.currentThread()).toList();
    }

    /** This server's threads still alive (for tests; briefly non-zero right after {@link #close()}). */
    int liveThreads() {
        return threads.activeCount();
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
