package com.runwayrelay.domain.media;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MediaPolicySettingsTest {

    @Test
    void usesRunwayLimits_whenBuiltFromAnAllowlist() {
        MediaPolicySettings settings = MediaPolicySettings.of(List.of("media.example.com"));
        assertEquals(5L * 1024 * 1024, settings.maxDataUriChars());
        assertEquals(2048, settings.maxUrlLength());
        assertFalse(settings.allowHttp());
        assertEquals(Set.of(), settings.loopbackHostsAllowed());
    }

    @Test
    void copiesItsCollections() {
        List<String> allowlist = new ArrayList<>(List.of("media.example.com"));
        Set<String> loopback = new HashSet<>(Set.of("localhost"));
        MediaPolicySettings settings = new MediaPolicySettings(allowlist, 10, 10, false, loopback);
        allowlist.add("evil.net");
        loopback.add("127.0.0.1");
        assertEquals(List.of("media.example.com"), settings.hostAllowlist());
        assertEquals(Set.of("localhost"), settings.loopbackHostsAllowed());
    }

    @ParameterizedTest
    @ValueSource(strings = {"media.example.com", "MEDIA.Example.com.", "*.cdn.example.net", "*.a.b.example.net",
        "assets.example.org:8443", "*.cdn.example.net:9443", "b\u00fccher.example.com", "xn--bcher-kva.example.com"})
    void acceptsValidAllowlistEntries(String entry) {
        assertDoesNotThrow(() -> MediaPolicySettings.of(List.of(entry)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "*", "*.", "*.com", "**.example.com", "exa*mple.com", "a.*.example.com", "127.0.0.1",
        "0x7f.1", "2130706433", "[::1]", "localhost", "foo.localhost", "metadata.google.internal", "*.internal",
        "instance-data", "printer.local", "bad_host.example.com", "media.example.com:0", "media.example.com:65536",
        "media.example.com:http", "media.example.com:", "https://media.example.com", "media.example.com/path",
        "media..example.com", "-media.example.com", "media example.com"})
    void refusesInvalidAllowlistEntries_namingTheEntry(String entry) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MediaPolicySettings.of(List.of(entry)));
        assertTrue(e.getMessage().contains("allowlist entry"), e.getMessage());
    }

    @Test
    void refusesANullAllowlistEntry() {
        List<String> allowlist = new ArrayList<>();
        allowlist.add(null);
        assertThrows(NullPointerException.class, () -> MediaPolicySettings.of(allowlist));
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "LOCALHOST.", "app.localhost", "127.0.0.1", "127.1.2.3", "::1", "[::1]"})
    void acceptsLoopbackHosts(String entry) {
        assertDoesNotThrow(() -> new MediaPolicySettings(List.of(), 10, 10, true, Set.of(entry)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1", "169.254.169.254", "0.0.0.0", "0x7f.1", "127.1", "example.com", "localhostx",
        "::2", "[fe80::1]", ""})
    void refusesLoopbackEntriesThatAreNotLoopback(String entry) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MediaPolicySettings(List.of(), 10, 10, true, Set.of(entry)));
        assertTrue(e.getMessage().contains("loopbackHostsAllowed"), e.getMessage());
    }

    @Test
    void refusesNonPositiveLimits() {
        assertThrows(IllegalArgumentException.class, () -> new MediaPolicySettings(List.of(), 0, 2048, false, Set.of()));
        assertThrows(IllegalArgumentException.class, () -> new MediaPolicySettings(List.of(), 10, -1, false, Set.of()));
    }
}
