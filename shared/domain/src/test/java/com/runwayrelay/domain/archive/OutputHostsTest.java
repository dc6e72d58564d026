package com.runwayrelay.domain.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class OutputHostsTest {
    private final OutputHosts strict = OutputHosts.of(List.of("*.cloudfront.net", "cdn.runwayml.com", "media.example.com:8443"), false);
    private final OutputHosts local = OutputHosts.of(List.of("*.cloudfront.net"), true);

    @ParameterizedTest
    @ValueSource(strings = {
            "https://dnznrvs05pmza.cloudfront.net/a/output.png?_jwt=x",
            "https://a.b.cloudfront.net/x.mp4",
            "https://CDN.RunwayML.com./x.png",
            "https://cdn.runwayml.com:443/x.png",
            "https://media.example.com:8443/x.png"})
    void allows_whenHostIsListed(String url) {
        assertEquals(Optional.empty(), strict.refusal(URI.create(url)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "https://cloudfront.net/x.png",
            "https://evilcloudfront.net/x.png",
            "https://cdn.runwayml.com.evil.com/x.png",
            "https://cdn.runwayml.com:8443/x.png",
            "http://cdn.runwayml.com/x.png",
            "ftp://cdn.runwayml.com/x.png",
            "https://user@cdn.runwayml.com/x.png",
            "https://127.0.0.1/x.png",
            "http://127.0.0.1:8080/x.png",
            "https://localhost/x.png",
            "/relative/x.png"})
    void refuses_whenHostOrSchemeIsNotAllowed(String url) {
        assertTrue(strict.refusal(URI.create(url)).isPresent(), url);
    }

    @Test
    void namesHostButNotQuery_whenRefusing() {
        String reason = strict.refusal(URI.create("https://evil.example.com/x.png?sig=secret")).orElseThrow();

        assertEquals("the output host evil.example.com is not on the output host allowlist", reason);
        assertFalse(reason.contains("secret"));
    }

    @Test
    void namesHost_whenRefusingPlainHttp() {
        assertEquals("the output link to 127.0.0.1:8080 uses http; only https is allowed",
                strict.refusal(URI.create("http://127.0.0.1:8080/x.png?sig=s")).orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:51234/_outputs/x.png", "https://localhost:9/x", "http://[::1]:80/x",
            "http://sim.localhost:8080/x"})
    void allowsLoopbackOverHttp_onlyInLocalMode(String url) {
        assertEquals(Optional.empty(), local.refusal(URI.create(url)));
        assertTrue(strict.refusal(URI.create(url)).isPresent());
    }

    @Test
    void stillRequiresHttpsAndAllowlist_forOtherHostsInLocalMode() {
        assertTrue(local.refusal(URI.create("http://x.cloudfront.net/a.png")).isPresent());
        assertTrue(local.refusal(URI.create("https://example.com/a.png")).isPresent());
        assertTrue(local.allowsLoopback());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "*.com", "*", "cdn.*.com", "10.0.0.1", "bad_host.com", "host.com:0", "host.com:99999",
            "host.com:abc"})
    void rejectsEntry_whenNotAHostNameOrDomainWildcard(String entry) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OutputHosts.of(List.of(entry), false));

        assertTrue(e.getMessage().contains("allowlist entry"), e.getMessage());
    }
}
