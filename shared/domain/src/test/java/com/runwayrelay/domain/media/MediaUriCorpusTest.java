package com.runwayrelay.domain.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Runs the shared security corpora in {@code src/test/resources/security} against the policy. */
class MediaUriCorpusTest {
    private static final String HOSTILE = "/security/hostile-media-uris.txt";
    private static final String VALID = "/security/valid-media-uris.txt";

    @TestFactory
    Stream<DynamicTest> rejectsEveryHostileUri_withTheExpectedCode() throws IOException {
        MediaUriCorpus corpus = MediaUriCorpus.load(HOSTILE);
        MediaUriPolicy policy = corpus.policy();
        return corpus.entries().stream().map(entry -> dynamicTest(entry.displayName(), () -> {
            List<MediaViolation> violations = policy.check(entry.uri(), entry.kinds());
            assertEquals(1, violations.size(), "expected a rejection for line " + entry.line());
            assertEquals(entry.expectedCode(), violations.get(0).code(),
                    "line " + entry.line() + ": " + violations.get(0).message());
        }));
    }

    @TestFactory
    Stream<DynamicTest> acceptsEveryValidUri() throws IOException {
        MediaUriCorpus corpus = MediaUriCorpus.load(VALID);
        MediaUriPolicy policy = corpus.policy();
        return corpus.entries().stream().map(entry -> dynamicTest(entry.displayName(),
                () -> assertEquals(List.of(), policy.check(entry.uri(), entry.kinds()), "line " + entry.line())));
    }

    @Test
    void hostileCorpusCoversEveryCategoryTheIssueNames() throws IOException {
        List<MediaUriCorpus.Entry> entries = MediaUriCorpus.load(HOSTILE).entries();
        assertTrue(entries.size() >= 60, "only " + entries.size() + " hostile URIs");
        Set<String> codes = entries.stream().map(MediaUriCorpus.Entry::expectedCode).collect(Collectors.toSet());
        assertEquals(Set.of(MediaViolation.SCHEME_NOT_ALLOWED, MediaViolation.HOST_NOT_ALLOWED, MediaViolation.IP_LITERAL,
                MediaViolation.PRIVATE_ADDRESS, MediaViolation.UNRESOLVABLE_HOST, MediaViolation.TOO_LONG,
                MediaViolation.USERINFO_NOT_ALLOWED, MediaViolation.PORT_NOT_ALLOWED, MediaViolation.ILLEGAL_CHARACTER,
                MediaViolation.DATA_URI_MEDIA_TYPE, MediaViolation.DATA_URI_CONTENT_MISMATCH, MediaViolation.DATA_URI_TOO_LARGE,
                MediaViolation.DATA_URI_NOT_BASE64,
                MediaViolation.MALFORMED_URI), codes);
    }

    @Test
    void validCorpusExpectsOnlyAcceptance() throws IOException {
        List<MediaUriCorpus.Entry> entries = MediaUriCorpus.load(VALID).entries();
        assertTrue(entries.size() >= 20, "only " + entries.size() + " valid URIs");
        assertEquals(Set.of("ok"), entries.stream().map(MediaUriCorpus.Entry::expectedCode).collect(Collectors.toSet()));
    }

    @Test
    void expandsPlaceholders() {
        assertEquals("a b\tc", MediaUriCorpus.expand("a{U+0020}b{U+0009}c"));
        assertEquals("x" + "y".repeat(5) + "z", MediaUriCorpus.expand("x{5*y}z"));
        assertEquals("", MediaUriCorpus.expand("{0*a}"));
    }
}
