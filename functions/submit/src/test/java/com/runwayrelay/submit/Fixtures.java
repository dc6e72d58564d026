package com.runwayrelay.submit;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.runwayrelay.domain.media.HostResolver;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The {@code events/submit} fixtures and a fake DNS, shared by the submit tests. */
final class Fixtures {
    /** The app key the fixtures carry. */
    static final String FIXTURE_KEY = "rr_0123456789abcdef0123456789abcdef0123456789abcdef";
    static final Path EVENTS = Path.of("..", "..", "events", "submit");

    private Fixtures() {
    }

    /** A fresh copy of {@code events/submit/<name>.json}, with mutable headers. */
    static APIGatewayV2HTTPEvent event(String name) {
        APIGatewayV2HTTPEvent event = EventLoader.loadEvent(EVENTS.resolve(name + ".json").toString(),
                APIGatewayV2HTTPEvent.class);
        event.setHeaders(new HashMap<>(event.getHeaders()));
        return event;
    }

    /** A fixture with another body (not base64), key and idempotency key (null removes it). */
    static APIGatewayV2HTTPEvent event(String name, String body, String appKey, String idempotencyKey) {
        APIGatewayV2HTTPEvent event = event(name);
        event.setBody(body);
        event.setIsBase64Encoded(false);
        if (appKey == null) {
            event.getHeaders().remove("authorization");
        } else {
            event.getHeaders().put("authorization", "Bearer " + appKey);
        }
        if (idempotencyKey == null) {
            event.getHeaders().remove("idempotency-key");
        } else {
            event.getHeaders().put("idempotency-key", idempotencyKey);
        }
        return event;
    }

    /** A resolver that knows only the given names. */
    static HostResolver dns(Map<String, String> answers) {
        return host -> {
            String address = answers.get(host);
            if (address == null) {
                throw new UnknownHostException(host);
            }
            return List.of(InetAddress.getByName(address));
        };
    }

    /** The public names the tests use: media, webhook receivers, and one that points inside. */
    static HostResolver testDns() {
        return dns(Map.of("media.example.com", "93.184.215.14", "hooks.example.com", "93.184.215.20",
                "internal.example.com", "10.0.0.7"));
    }
}
