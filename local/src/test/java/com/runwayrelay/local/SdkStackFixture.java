package com.runwayrelay.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.aws.dynamodb.DynamoDbAppRepository;
import com.runwayrelay.domain.admin.AppAdministration;
import com.runwayrelay.domain.admin.AppChanges;
import com.runwayrelay.domain.admin.AppOutcome;
import com.runwayrelay.domain.admin.KnownNames;
import com.runwayrelay.domain.media.AddressGuard;
import com.runwayrelay.domain.webhook.CallbackUrlCheck;
import com.runwayrelay.domain.webhook.WebhookSigner;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The setup the local-stack ITs share (AvatarVideos, Workflows, Recipes, AvatarsVoices, Documents, Realtime,
 * AvatarUsage, Generate, DeliverTo, WebhookEvents): a stack whose poller and simulator finish tasks quickly, a loopback webhook
 * receiver whose deliveries are checked against the app's secret, further apps made through
 * {@link AppAdministration} with their keys handed to the Node script in {@code target/node-sdk}, and the
 * small JSON helpers for the script's summary. A new IT that drives the official SDK against
 * {@link LocalStack} uses these instead of copying them; the Node side's counterpart is
 * {@code src/test/node/stack-apps.mjs}.
 */
final class SdkStackFixture {
    /** How long an IT waits for a webhook: a guard against a hang, not a timing assertion. */
    private static final long DELIVERY_MINUTES = 2;

    private SdkStackFixture() {
    }

    /**
     * Options for an ephemeral stack under {@code temp/data} whose poller runs every 500 ms and whose simulated
     * tasks are pending 200 ms and running 500 ms, so a task reaches its end within a test.
     */
    static StackOptions quickTasks(Path temp) {
        return quickTasks(temp, Duration.ofMillis(500));
    }

    /**
     * As {@link #quickTasks(Path)}, with simulated tasks running for {@code running} (a test that must see a
     * task RUNNING across several of the poller's reads, or its outputs delivered, asks for longer).
     */
    static StackOptions quickTasks(Path temp, Duration running) {
        return StackOptions.ephemeral().withDataDir(temp.resolve("data")).withPollInterval(Duration.ofMillis(500))
                .withSimulatorSettings(Map.of("RUNWAY_SIM_PENDING_MS", "200", "RUNWAY_SIM_RUNNING_MS",
                        Long.toString(running.toMillis())));
    }

    /** Options for an ephemeral stack under {@code temp/data} with the default schedules. */
    static StackOptions plain(Path temp) {
        return StackOptions.ephemeral().withDataDir(temp.resolve("data"));
    }

    /** The stack's access log to standard output. */
    static StackLog consoleLog() {
        return new StackLog(System.out, StackLog.Level.NORMAL);
    }

    /** The stack's access log into {@code sink}, so a failing assertion can show it. */
    static StackLog logInto(OutputStream sink) {
        return new StackLog(new PrintStream(sink, true, StandardCharsets.UTF_8), StackLog.Level.NORMAL);
    }

    /**
     * The stack's app administration (its DynamoDB table; callback URLs checked strictly, no host
     * resolving), for making apps beside the dev app.
     */
    static AppAdministration apps(LocalStack stack) {
        return new AppAdministration(new DynamoDbAppRepository(stack.aws().dynamoDb(), stack.aws().tableName()),
                new KnownNames(Set.of(), Set.of()), new CallbackUrlCheck(AddressGuard.strict(host -> {
                    throw new UnknownHostException(host);
                })), Clock.systemUTC());
    }

    /** Creates an app named {@code name} with a daily budget of {@code dailyCredits} and returns its key. */
    static String createApp(AppAdministration apps, String name, long dailyCredits) {
        AppOutcome created = apps.create(new AppChanges(name, dailyCredits, 5, null, null, null, false, null, null));
        return ((AppOutcome.Created) created).key();
    }

    /** Writes {@code json} to {@code fileName} next to the installed Node scripts (see stack-apps.mjs's readState). */
    static void writeScriptState(String fileName, JsonNode json) throws IOException {
        Files.writeString(Path.of("target", "node-sdk", fileName), json.toString());
    }

    /** The text of each element of a JSON array. */
    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** One webhook as received: its Standard Webhooks headers and exact body. */
    record Delivery(String id, String timestamp, String signature, byte[] body) {
        private static final ObjectMapper JSON = new ObjectMapper();

        /** The body as JSON. */
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("a webhook body that is not JSON", e);
            }
        }

        /** Asserts the delivery carries the signature {@code secret} gives its id, timestamp and body. */
        void assertSignedWith(String secret) {
            assertEquals(WebhookSigner.signatureHeader(id, Long.parseLong(timestamp), body, List.of(secret)), signature,
                    "signed with the app's secret");
        }
    }

    /**
     * A webhook receiver on a free loopback port, answering 204 to each delivery at {@link #url()}; under
     * {@link #redirectingUrl(String)} it answers every request with a 307 elsewhere, as storage that redirects.
     */
    static final class WebhookReceiver implements AutoCloseable {
        private final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
        private final HttpServer server;

        private WebhookReceiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/hook", exchange -> {
                try (exchange) {
                    var h = exchange.getRequestHeaders();
                    deliveries.add(new Delivery(h.getFirst("webhook-id"), h.getFirst("webhook-timestamp"),
                            h.getFirst("webhook-signature"), exchange.getRequestBody().readAllBytes()));
                    exchange.sendResponseHeaders(204, -1);
                }
            });
            server.createContext("/moved/", exchange -> {
                try (exchange) {
                    exchange.getResponseHeaders().add("Location", "http://127.0.0.1:1/elsewhere");
                    exchange.sendResponseHeaders(307, -1);
                }
            });
            server.start();
        }

        static WebhookReceiver start() throws IOException {
            return new WebhookReceiver();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }

        /** A URL on this receiver ending in {@code pathAndQuery} that answers with a 307 to another address. */
        String redirectingUrl(String pathAndQuery) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/moved/" + pathAndQuery;
        }

        /**
         * The next delivery; the notifier runs on its own schedule, so this awaits it (the deadline only guards
         * against a hang) and fails with {@code missing} when none comes.
         */
        Delivery next(String missing) throws InterruptedException {
            return next(missing, Duration.ofMinutes(DELIVERY_MINUTES));
        }

        /** As {@link #next(String)}, with {@code guard} as the hang guard (a test whose tasks run longer). */
        Delivery next(String missing, Duration guard) throws InterruptedException {
            Delivery delivery = deliveries.poll(guard.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(delivery, missing);
            return delivery;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
