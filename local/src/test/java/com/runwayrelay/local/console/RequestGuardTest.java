package com.runwayrelay.local.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestGuardTest {
    private final RequestGuard guard = new RequestGuard(3100, "secret-token");

    private static java.util.function.Function<String, String> headers(Map<String, String> values) {
        return values::get;
    }

    @Test
    void admitsCall_whenHostOriginAndTokenAreTheConsoles() {
        assertTrue(guard.checkAdminCall(headers(Map.of("Host", "127.0.0.1:3100", "Origin", "http://127.0.0.1:3100",
                "Sec-Fetch-Site", "same-origin", "X-Console-Token", "secret-token"))).isEmpty());
        assertTrue(guard.checkAdminCall(headers(Map.of("Host", "localhost:3100", "Origin", "http://localhost:3100",
                "X-Console-Token", "secret-token"))).isEmpty());
    }

    @Test
    void refusesHost_whenItIsAnotherNameOrPort() {
        assertEquals(421, guard.checkHost("attacker.example:3100").orElseThrow().status());
        assertEquals(421, guard.checkHost("127.0.0.1:3101").orElseThrow().status());
        assertEquals(421, guard.checkHost(null).orElseThrow().status());
        assertTrue(guard.checkHost("LOCALHOST:3100").isEmpty());
    }

    @Test
    void refusesCall_whenOriginIsAnotherLoopbackPort() {
        var refusal = guard.checkAdminCall(headers(Map.of("Host", "127.0.0.1:3100", "Origin", "http://127.0.0.1:8080",
                "X-Console-Token", "secret-token"))).orElseThrow();

        assertEquals(403, refusal.status());
        assertTrue(refusal.reason().contains("http://127.0.0.1:8080"), refusal.reason());
    }

    @Test
    void refusesCall_whenTokenIsAPrefixOfTheRealOne() {
        assertEquals(403, guard.checkAdminCall(headers(Map.of("Host", "127.0.0.1:3100", "X-Console-Token", "secret")))
                .orElseThrow().status());
    }
}
