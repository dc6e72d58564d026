package com.runwayrelay.domain.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MediaUriPolicyTest {
    private static final Set<MediaKind> IMAGE = Set.of(MediaKind.IMAGE);

    private final FakeHostResolver dns = new FakeHostResolver()
            .answer("media.example.com", "93.184.215.14")
            .answer("a.example.com", "93.184.215.14")
            .answer("a.b.example.com", "93.184.215.14")
            .answer("rebind.example.com", "93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c", "10.0.0.5")
            .answer("localhost", "127.0.0.1")
            .answerNothing("empty.example.com");

    private MediaUriPolicy policy(List<String> allowlist) {
        return new MediaUriPolicy(MediaPolicySettings.of(allowlist), dns);
    }

    private static String onlyCode(List<MediaViolation> violations) {
        assertEquals(1, violations.size(), violations.toString());
        return violations.get(0).code();
    }

    @Test
    void acceptsAnAllowlistedHttpsUrl_andResolvesTheNormalizedHostOnce() {
        assertEquals(List.of(), policy(List.of("media.example.com")).check("https://MEDIA.example.com./a.png", IMAGE));
        assertEquals(List.of("media.example.com"), dns.lookups());
    }

    @Test
    void matchesWildcardSubdomainsOnly_neverTheApexOrLookAlikes() {
        MediaUriPolicy policy = policy(List.of("*.example.com"));
        assertEquals(List.of(), policy.check("https://a.example.com/x.png", IMAGE));
        assertEquals(List.of(), policy.check("https://a.b.example.com/x.png", IMAGE));
        for (String uri : List.of("https://example.com/x.png", "https://example.com.evil.net/x.png",
                "https://evilexample.com/x.png")) {
            assertEquals(MediaViolation.HOST_NOT_ALLOWED, onlyCode(policy.check(uri, IMAGE)), uri);
        }
    }

    @Test
    void rejectsEverything_whenTheAllowlistIsEmpty_butStillAcceptsRunwayAndDataUris() {
        MediaUriPolicy policy = policy(List.of());
        assertEquals(MediaViolation.HOST_NOT_ALLOWED, onlyCode(policy.check("https://media.example.com/a.png", IMAGE)));
        assertEquals(List.of(), policy.check("runway://upload/abc123", IMAGE));
        assertEquals(List.of(), policy.check("data:image/png;base64,iVBORw0KGgo=", IMAGE));
    }

    @Test
    void checksEveryResolvedAddress_notJustTheFirst() {
        List<MediaViolation> violations = policy(List.of("*.example.com")).check("https://rebind.example.com/a.png", IMAGE);
        assertEquals(MediaViolation.PRIVATE_ADDRESS, onlyCode(violations));
        assertFalse(violations.get(0).message().contains("10.0.0.5"), "resolved addresses stay out of messages");
        assertTrue(violations.get(0).message().contains("rebind.example.com"), violations.get(0).message());
    }

    @Test
    void reportsUnresolvable_whenTheResolverAnswersNothing() {
        assertEquals(MediaViolation.UNRESOLVABLE_HOST,
                onlyCode(policy(List.of("*.example.com")).check("https://empty.example.com/a.png", IMAGE)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://evil.net/a.png", "https://127.0.0.1/a.png", "https://localhost/a.png",
        "https://user@media.example.com/a.png", "https://media.example.com:8080/a.png", "http://media.example.com/a.png",
        "https://media.example.com/a b.png"})
    void neverResolves_whenAStaticRuleFails(String uri) {
        assertEquals(1, policy(List.of("media.example.com")).check(uri, IMAGE).size());
        assertEquals(List.of(), dns.lookups());
    }

    @Test
    void reportsNullAndEmptyUrisAsMalformed() {
        MediaUriPolicy policy = policy(List.of());
        assertEquals(MediaViolation.MALFORMED_URI, onlyCode(policy.check(null, IMAGE)));
        assertEquals(MediaViolation.MALFORMED_URI, onlyCode(policy.check("", IMAGE)));
    }

    @Test
    void refusesAnEmptySetOfAcceptedKinds() {
        assertThrows(IllegalArgumentException.class, () -> policy(List.of()).check("runway://upload/abc123", Set.of()));
    }

    @Test
    void acceptsDataUrisOfAnyAcceptedKind_andNamesTheExpectedKindsWhenRejecting() {
        MediaUriPolicy policy = policy(List.of());
        Set<MediaKind> audioOrVideo = Set.of(MediaKind.VIDEO, MediaKind.AUDIO);
        assertEquals(List.of(), policy.check("data:audio/mpeg;base64,SUQz", audioOrVideo));
        assertEquals(List.of(), policy.check("data:video/mp4;base64,AAAAIGZ0eXBpc29t", audioOrVideo));
        List<MediaViolation> violations = policy.check("data:image/png;base64,AAAA", audioOrVideo);
        assertEquals(MediaViolation.DATA_URI_MEDIA_TYPE, onlyCode(violations));
        assertTrue(violations.get(0).message().contains("video/* or audio/*"), violations.get(0).message());
    }

    @Test
    void neverEchoesTheDataUriPayload() {
        String payload = "c2VjcmV0LXBheWxvYWQtdGhhdC1tdXN0LW5vdC1sZWFr";
        MediaUriPolicy policy = new MediaUriPolicy(new MediaPolicySettings(List.of(), 60, 2048, false, Set.of()), dns);
        for (String uri : List.of("data:text/html;base64," + payload, "data:image/png," + payload,
                "data:image/png;base64," + payload + "!", "data:image/png;base64," + payload + payload)) {
            MediaViolation violation = policy.check(uri, IMAGE).get(0);
            assertFalse(violation.message().contains(payload.substring(0, 12)), violation.message());
        }
    }

    @Test
    void neverEchoesCredentialsOrQueryStrings() {
        MediaUriPolicy policy = policy(List.of("media.example.com"));
        MediaViolation userinfo = policy.check("https://user:s3cret@media.example.com/a.png", IMAGE).get(0);
        assertEquals(MediaViolation.USERINFO_NOT_ALLOWED, userinfo.code());
        assertFalse(userinfo.message().contains("s3cret"), userinfo.message());
        MediaViolation noScheme = policy.check("media.example.com/a.png?sig=s3cret", IMAGE).get(0);
        assertEquals(MediaViolation.MALFORMED_URI, noScheme.code());
        assertFalse(noScheme.message().contains("s3cret"), noScheme.message());
    }

    @Test
    void truncatesEchoedInputInMessages() {
        String longScheme = "x".repeat(500);
        MediaViolation violation = policy(List.of()).check(longScheme + "://a", IMAGE).get(0);
        assertEquals(MediaViolation.SCHEME_NOT_ALLOWED, violation.code());
        assertFalse(violation.message().contains("x".repeat(101)), violation.message());
        assertTrue(violation.message().contains("(500 characters)"), violation.message());
    }

    @Test
    void honoursConfiguredLimits() {
        MediaUriPolicy policy = new MediaUriPolicy(
                new MediaPolicySettings(List.of("media.example.com"), 34, 40, false, Set.of()), dns);
        assertEquals(List.of(), policy.check("https://media.example.com/abcdefghijklmn", IMAGE));
        assertEquals(MediaViolation.TOO_LONG, onlyCode(policy.check("https://media.example.com/abcdefghijklmno", IMAGE)));
        assertEquals(List.of(), policy.check("data:image/png;base64,iVBORw0KGgo=", IMAGE));
        assertEquals(MediaViolation.DATA_URI_TOO_LARGE, onlyCode(policy.check("data:image/png;base64,iVBORw0KGgoAAAAA", IMAGE)));
    }

    @Test
    void acceptsPlainHttpOnPort80_onlyWhenConfigured() {
        MediaUriPolicy http = new MediaUriPolicy(new MediaPolicySettings(List.of("media.example.com"),
                MediaPolicySettings.DEFAULT_MAX_DATA_URI_CHARS, 2048, true, Set.of()), dns);
        assertEquals(List.of(), http.check("http://media.example.com/a.png", IMAGE));
        assertEquals(List.of(), http.check("http://media.example.com:80/a.png", IMAGE));
        assertEquals(List.of(), http.check("https://media.example.com/a.png", IMAGE));
        assertEquals(MediaViolation.PORT_NOT_ALLOWED, onlyCode(http.check("http://media.example.com:443/a.png", IMAGE)));
        assertEquals(MediaViolation.SCHEME_NOT_ALLOWED,
                onlyCode(policy(List.of("media.example.com")).check("http://media.example.com/a.png", IMAGE)));
    }

    @Test
    void acceptsConfiguredLoopbackHostsOnAnyPort_forTheLocalStack() {
        MediaUriPolicy local = new MediaUriPolicy(new MediaPolicySettings(List.of(),
                MediaPolicySettings.DEFAULT_MAX_DATA_URI_CHARS, 2048, true, Set.of("localhost", "127.0.0.1", "::1")), dns);
        assertEquals(List.of(), local.check("http://localhost:4567/a.png", IMAGE));
        assertEquals(List.of(), local.check("http://127.0.0.1:4567/a.png", IMAGE));
        assertEquals(List.of(), local.check("http://[::1]:4567/a.png", IMAGE));
        assertEquals(List.of(), local.check("https://LOCALHOST./a.png", IMAGE));
        assertEquals(List.of("localhost", "localhost"), dns.lookups(), "literals are not resolved");
        assertEquals(MediaViolation.IP_LITERAL, onlyCode(local.check("http://127.0.0.2:4567/a.png", IMAGE)));
        assertEquals(MediaViolation.IP_LITERAL, onlyCode(local.check("http://2130706433:4567/a.png", IMAGE)));
        assertEquals(MediaViolation.HOST_NOT_ALLOWED, onlyCode(local.check("http://foo.localhost:4567/a.png", IMAGE)));
    }

    @Test
    void rejectsALoopbackHost_whenItResolvesToAPrivateAddress() {
        FakeHostResolver poisoned = new FakeHostResolver().answer("localhost", "127.0.0.1", "10.1.1.1");
        MediaUriPolicy local = new MediaUriPolicy(new MediaPolicySettings(List.of(),
                MediaPolicySettings.DEFAULT_MAX_DATA_URI_CHARS, 2048, true, Set.of("localhost")), poisoned);
        assertEquals(MediaViolation.PRIVATE_ADDRESS, onlyCode(local.check("http://localhost:4567/a.png", IMAGE)));
    }

    @Test
    void rejectsLocalhost_whenNotConfiguredAsALoopbackHost() {
        assertEquals(MediaViolation.HOST_NOT_ALLOWED,
                onlyCode(policy(List.of("media.example.com")).check("https://localhost:4567/a.png", IMAGE)));
    }

    @Test
    void explainsUpperCaseSchemes() {
        MediaViolation violation = policy(List.of()).check("Https://media.example.com/a.png", IMAGE).get(0);
        assertEquals(MediaViolation.SCHEME_NOT_ALLOWED, violation.code());
        assertTrue(violation.message().contains("lower case"), violation.message());
    }

    @Test
    void pointsAtTheOffendingCharacter() {
        MediaViolation violation = policy(List.of("media.example.com")).check("https://media.example.com/a\nb", IMAGE).get(0);
        assertEquals(MediaViolation.ILLEGAL_CHARACTER, violation.code());
        assertTrue(violation.message().contains("index 27"), violation.message());
    }

    @Test
    void isSafeToShareBetweenThreads() throws InterruptedException {
        MediaUriPolicy policy = policy(List.of("*.example.com"));
        List<Thread> threads = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 500; i++) {
                    boolean ok = policy.check("https://a.example.com/x.png", IMAGE).isEmpty()
                            && policy.check("https://rebind.example.com/x.png", IMAGE).size() == 1;
                    if (!ok) {
                        failures.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(0, failures.get());
    }
}
