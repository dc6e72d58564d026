package com.runwayrelay.notifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.aws.outbound.PinnedHttpClient;
import com.runwayrelay.aws.s3.LinkSigner.SignedLink;
import com.runwayrelay.domain.media.AddressGuard;
import com.runwayrelay.domain.media.HostResolver;
import com.runwayrelay.domain.webhook.EventPayloads;
import com.runwayrelay.domain.webhook.SendOutcome;
import com.runwayrelay.domain.webhook.WebhookMessage;
import com.runwayrelay.domain.webhook.WebhookSender;
import com.standardwebhooks.Webhook;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;

class NotifierPrimingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-04T07:00:00Z"), ZoneOffset.UTC);

    private static EventPayloads payloads() {
        return new JsonEventPayloads(JSON, (key, ttl) -> new SignedLink(
                URI.create("https://bucket.example/" + key + "?X-Amz-Signature=abc"), CLOCK.instant().plusSeconds(3600)));
    }

    private static GuardedWebhookSender sender(boolean allowLoopback) {
        return new GuardedWebhookSender(new AddressGuard(HostResolver.system(), allowLoopback),
                new PinnedHttpClient((SSLSocketFactory) SSLSocketFactory.getDefault(), Duration.ofSeconds(15),
                        NotifierFunction.USER_AGENT), CLOCK);
    }

    @Test
    void readsRendersSignsAndSendsToItsOwnReceiver_writingNothingToTheOutput() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        AtomicReference<WebhookMessage> sentMessage = new AtomicReference<>();
        AtomicReference<URI> sentTo = new AtomicReference<>();
        GuardedWebhookSender real = sender(true);
        WebhookSender recording = (target, message) -> {
            sentTo.set(target);
            sentMessage.set(message);
            return real.send(target, message);
        };
        NotifierPriming priming = new NotifierPriming(reads::incrementAndGet, payloads(), recording, CLOCK);
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            // Log lines and EMF metric documents go to standard output (JsonLog, EmfMetrics).
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            priming.beforeCheckpoint(null);
            priming.afterRestore(null);
        } finally {
            System.setOut(out);
        }

        assertEquals("", captured.toString(StandardCharsets.UTF_8), "no log line, no metric");
        NotifierPriming.Outcome outcome = priming.last().orElseThrow();
        assertEquals(List.of(), outcome.failures());
        assertTrue(outcome.complete(), outcome.toString());
        assertEquals(new SendOutcome.Delivered(204), outcome.sent());
        assertEquals(1, outcome.received());
        assertEquals(1, reads.get());
        assertTrue(sentTo.get().getHost().equals("127.0.0.1") || sentTo.get().getHost().contains(":"), sentTo.get().toString());
        // The sample webhook is what an app would get: signed as Standard Webhooks asks, a task.succeeded body.
        WebhookMessage message = sentMessage.get();
        String body = new String(message.body(), StandardCharsets.UTF_8);
        // (sign, not verify: verify checks the timestamp against the wall clock, and the test's clock is fixed)
        assertEquals(new Webhook(NotifierPriming.SAMPLE_SECRET).sign(message.messageId(), message.timestampSeconds(), body),
                message.signature());
        assertEquals(CLOCK.instant().getEpochSecond(), message.timestampSeconds());
        JsonNode json = JSON.readTree(body);
        assertEquals("task.succeeded", json.get("type").asText());
        assertEquals(NotifierPriming.UNKNOWN_TASK, json.get("data").get("id").asText());
        assertEquals(1, json.get("data").get("outputs").size());
    }

    @Test
    void theReceiverIsClosedBeforePrimingReturns() throws Exception {
        AtomicReference<URI> sentTo = new AtomicReference<>();
        GuardedWebhookSender real = sender(true);
        NotifierPriming priming = new NotifierPriming(() -> { }, payloads(), (target, message) -> {
            sentTo.set(target);
            return real.send(target, message);
        }, CLOCK);

        assertTrue(priming.prime().complete());

        // A second send to the same address finds nobody listening.
        SendOutcome again = real.send(sentTo.get(), new WebhookMessage("msg_x_1", 1, "v1,x", new byte[0]));
        assertInstanceOf(SendOutcome.Retryable.class, again);
    }

    @Test
    void keepsTheFailureAndStillSends_whenTheReadsFail() {
        NotifierPriming priming = new NotifierPriming(() -> {
            throw new IllegalStateException("DynamoDB unreachable");
        }, payloads(), sender(true), CLOCK);

        priming.beforeCheckpoint(null);

        NotifierPriming.Outcome outcome = priming.last().orElseThrow();
        assertFalse(outcome.readsDone());
        assertEquals(1, outcome.failures().size(), outcome.failures().toString());
        assertTrue(outcome.failures().get(0).contains("DynamoDB unreachable"), outcome.failures().toString());
        assertEquals(new SendOutcome.Delivered(204), outcome.sent());
        assertFalse(outcome.complete());
    }

    @Test
    void keepsTheFailureAndDoesNotThrow_whenRenderingFails() {
        NotifierPriming priming = new NotifierPriming(() -> { }, (task, event) -> {
            throw new IllegalStateException("cannot render");
        }, sender(true), CLOCK);

        priming.beforeCheckpoint(null);

        NotifierPriming.Outcome outcome = priming.last().orElseThrow();
        assertTrue(outcome.readsDone());
        assertNull(outcome.sent());
        assertEquals(0, outcome.received());
        assertTrue(outcome.failures().get(0).startsWith("send: java.lang.IllegalStateException: cannot render"),
                outcome.failures().toString());
    }

    @Test
    void keepsARefusedSendAsAFailure_whenTheSenderMayNotReachLoopback() {
        NotifierPriming priming = new NotifierPriming(() -> { }, payloads(), sender(false), CLOCK);

        NotifierPriming.Outcome outcome = priming.prime();

        assertInstanceOf(SendOutcome.Refused.class, outcome.sent());
        assertEquals(0, outcome.received());
        assertFalse(outcome.complete());
        assertTrue(outcome.failures().stream().anyMatch(f -> f.startsWith("send: ")), outcome.failures().toString());
    }
}
