package com.runwayrelay.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.aws.outbound.GuardedDeliveryProbe;
import com.runwayrelay.aws.outbound.PinnedHttpClient;
import com.runwayrelay.catalog.Catalog;
import com.runwayrelay.catalog.UnknownModelPolicy;
import com.runwayrelay.domain.Violation;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.media.AddressGuard;
import com.runwayrelay.domain.media.HostResolver;
import com.runwayrelay.domain.media.MediaPolicySettings;
import com.runwayrelay.domain.media.MediaUriPolicy;
import com.runwayrelay.domain.owned.OwnedReferences;
import com.runwayrelay.domain.webhook.CallbackUrlCheck;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The submit-time probe of {@code relay.deliverTo} wired as {@link SubmitFunction} wires it, against a
 * storage on loopback (allowed, as in the local stack, by {@code allowLoopbackHttp}).
 */
class DeliverToProbesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    private final List<String> seen = new CopyOnWriteArrayList<>();
    private HttpServer storage;
    private String base;

    @BeforeEach
    void start() throws IOException {
        storage = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        storage.createContext("/", exchange -> {
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            boolean moved = exchange.getRequestURI().getPath().startsWith("/moved/");
            if (moved) {
                exchange.getResponseHeaders().add("Location", "http://127.0.0.1:1/elsewhere");
            }
            // A pre-signed PUT URL answers a HEAD with 403: its signature covers PUT only.
            exchange.sendResponseHeaders(moved ? 307 : 403, -1);
            exchange.close();
        });
        storage.start();
        base = "http://127.0.0.1:" + storage.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        storage.stop(0);
    }

    private List<Violation> check(String deliverTo) throws IOException {
        Catalog catalog = Catalog.loadDefault();
        AddressGuard loopbackAllowed = new AddressGuard(HostResolver.system(), true);
        RequestCheck check = new RequestCheck(catalog, UnknownModelPolicy.REJECT,
                new MediaUriPolicy(MediaPolicySettings.of(List.of("media.example.com")), HostResolver.system()),
                new CallbackUrlCheck(loopbackAllowed), OwnedReferences.none(),
                new GuardedDeliveryProbe(loopbackAllowed, new PinnedHttpClient(
                        (SSLSocketFactory) SSLSocketFactory.getDefault(), Duration.ofSeconds(10), "relay-test/1")));
        ObjectNode body = (ObjectNode) JSON.readTree("{\"model\":\"gen4_image\",\"promptText\":\"x\","
                + "\"ratio\":\"1920:1080\",\"relay\":{\"deliverTo\":" + deliverTo + "}}");
        App app = App.builder("app1", "demo", NOW).dailyCreditBudget(100).maxActiveTasks(5).build();
        return check.check(app, "text_to_image", body, NOW).violations();
    }

    @Test
    void refusesTheUrl_whenTheStorageRedirects_andSaysWhich() throws IOException {
        List<Violation> violations = check("[{\"url\":\"" + base + "/moved/0.png?X-Amz-Signature=abc\"}]");

        assertEquals(1, violations.size(), violations::toString);
        assertEquals(DeliverToProbes.CODE, violations.get(0).code());
        assertEquals(List.of("relay", "deliverTo", 0, "url"), violations.get(0).path());
        assertTrue(violations.get(0).message().contains("HTTP 307"), violations.get(0)::message);
        assertEquals(List.of("HEAD /moved/0.png"), seen, "one HEAD, the redirect not followed");
    }

    @Test
    void acceptsTheUrl_whenTheStorageAnswers403ToTheHead() throws IOException {
        assertEquals(List.of(), check("[{\"url\":\"" + base + "/bucket/0.png?X-Amz-Signature=abc\"}]"));
        assertEquals(List.of("HEAD /bucket/0.png"), seen);
    }

    @Test
    void probesATemplateAtItsExpansionForOutputZero() throws IOException {
        List<Violation> violations = check("{\"template\":\"" + base + "/moved/out-{index}.{ext}?sig=abc\"}");

        assertEquals(List.of("relay", "deliverTo", "template"), violations.get(0).path());
        assertEquals(List.of("HEAD /moved/out-0.png"), seen);
    }
}
