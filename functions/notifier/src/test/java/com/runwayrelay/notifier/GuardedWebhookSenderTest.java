package com.runwayrelay.notifier;

import com.runwayrelay.aws.outbound.PinnedHttpClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.media.AddressGuard;
import com.runwayrelay.domain.media.HostResolver;
import com.runwayrelay.domain.webhook.SendOutcome;
import com.runwayrelay.domain.webhook.WebhookMessage;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GuardedWebhookSenderTest {
    private static final Instant NOW = Instant.parse("2026-11-21T06:30:00Z");
    private static final WebhookMessage MESSAGE = new WebhookMessage("msg_1", NOW.getEpochSecond(), "v1,abc",
            "{}".getBytes(StandardCharsets.UTF_8));
    private static final HostResolver DNS = host -> switch (host) {
        case "internal.example.com" -> List.of(InetAddress.getByName("10.0.0.5"));
        case "metadata.example.com" -> List.of(InetAddress.getByName("169.254.169.254"));
        case "public.example.com" -> List.of(InetAddress.getByName("93.184.215.14"));
        default -> throw new UnknownHostException(host);
    };

    private static GuardedWebhookSender sender(boolean allowLoopbackHttp, Duration timeout) {
        return new GuardedWebhookSender(new AddressGuard(DNS, allowLoopbackHttp),
                new PinnedHttpClient((SSLSocketFactory) SSLSocketFactory.getDefault(), timeout, "relay-test/1"),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private final GuardedWebhookSender local = sender(true, Duration.ofSeconds(30));

    @ParameterizedTest
    @ValueSource(ints = {200, 201, 202, 204, 299})
    void delivers_whenTheReceiverAnswers2xx(int status) throws Exception {
        try (Receiver receiver = Receiver.http().reply(status)) {
            assertEquals(new SendOutcome.Delivered(status), local.send(receiver.url("/hook"), MESSAGE));
            assertEquals("v1,abc", receiver.requests().getFirst().header("webhook-signature"));
        }
    }

    @Test
    void reportsGone_whenTheReceiverAnswers410() throws Exception {
        try (Receiver receiver = Receiver.http().reply(410)) {
            assertInstanceOf(SendOutcome.Gone.class, local.send(receiver.url("/hook"), MESSAGE));
        }
    }

    @Test
    void neverFollowsARedirect_andCountsItAsAFailure() throws Exception {
        try (Receiver receiver = Receiver.http()) {
            receiver.reply(301, "Location", receiver.url("/moved").toString());

            SendOutcome outcome = local.send(receiver.url("/hook"), MESSAGE);

            assertEquals(new SendOutcome.Retryable(301, "HTTP 301: redirects are not followed", null), outcome);
            assertEquals(List.of("/hook"), receiver.requests().stream().map(Receiver.Request::uri).toList());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 404, 408, 500, 502, 503, 504})
    void retries_whenTheReceiverAnswersAnotherError(int status) throws Exception {
        try (Receiver receiver = Receiver.http().reply(status)) {
            assertEquals(new SendOutcome.Retryable(status, "HTTP " + status, null), local.send(receiver.url("/"), MESSAGE));
        }
    }

    @Test
    void passesOnRetryAfter_givenInSecondsOrAsADate() throws Exception {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(NOW.plusSeconds(600), ZoneOffset.UTC));
        try (Receiver receiver = Receiver.http().reply(429, "Retry-After", "120").reply(503, "Retry-After", date)
                .reply(429, "Retry-After", "soon")) {
            assertEquals(Duration.ofSeconds(120), ((SendOutcome.Retryable) local.send(receiver.url("/"), MESSAGE)).retryAfter());
            assertEquals(Duration.ofSeconds(600), ((SendOutcome.Retryable) local.send(receiver.url("/"), MESSAGE)).retryAfter());
            assertNull(((SendOutcome.Retryable) local.send(receiver.url("/"), MESSAGE)).retryAfter());
        }
    }

    @Test
    void refusesPrivateAndMetadataAddresses_withoutConnecting() {
        SendOutcome internal = local.send(URI.create("https://internal.example.com/hook"), MESSAGE);
        SendOutcome metadata = local.send(URI.create("https://metadata.example.com/latest"), MESSAGE);
        SendOutcome literal = sender(false, Duration.ofSeconds(1)).send(URI.create("https://192.168.1.20/hook"), MESSAGE);

        assertTrue(((SendOutcome.Refused) internal).error().startsWith("not sent: "), internal.toString());
        assertTrue(((SendOutcome.Refused) internal).error().contains("private"), internal.toString());
        assertTrue(((SendOutcome.Refused) metadata).error().contains("link-local"), metadata.toString());
        assertInstanceOf(SendOutcome.Refused.class, literal);
    }

    @Test
    void refusesPlainHttp_exceptToLoopbackInTheLocalStack() throws Exception {
        try (Receiver receiver = Receiver.http()) {
            SendOutcome strict = sender(false, Duration.ofSeconds(1)).send(receiver.url("/hook"), MESSAGE);
            SendOutcome publicHttp = local.send(URI.create("http://public.example.com/hook"), MESSAGE);

            assertInstanceOf(SendOutcome.Refused.class, strict);
            assertInstanceOf(SendOutcome.Refused.class, publicHttp);
            assertTrue(((SendOutcome.Refused) publicHttp).error().contains("plain http"), publicHttp.toString());
            assertTrue(receiver.requests().isEmpty());
        }
    }

    @Test
    void retries_whenTheHostDoesNotResolve() {
        assertEquals(new SendOutcome.Retryable(0, "not sent: the callback host does not resolve", null),
                local.send(URI.create("https://gone.example.com/hook"), MESSAGE));
    }

    @Test
    void retries_whenNothingListens() throws Exception {
        int port;
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = server.getLocalPort();
        }

        assertEquals(new SendOutcome.Retryable(0, "could not connect to the callback host", null),
                local.send(URI.create("http://127.0.0.1:" + port + "/hook"), MESSAGE));
    }

    @Test
    void retries_whenTheReceiverDoesNotAnswerInTime() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Socket> held = CompletableFuture.supplyAsync(() -> {
                try {
                    return server.accept();
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            });

            SendOutcome outcome = sender(true, Duration.ofMillis(300))
                    .send(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/hook"), MESSAGE);

            assertEquals(new SendOutcome.Retryable(0, "no response within 300 ms", null), outcome);
            held.get(5, TimeUnit.SECONDS).close();
        }
    }

    @Test
    void headersCarryTheStandardWebhooksFields() {
        assertEquals(Map.of("content-type", "application/json", "webhook-id", "msg_1",
                "webhook-timestamp", Long.toString(NOW.getEpochSecond()), "webhook-signature", "v1,abc"), MESSAGE.headers());
    }
}
