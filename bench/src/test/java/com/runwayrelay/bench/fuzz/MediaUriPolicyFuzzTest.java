package com.runwayrelay.bench.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.runwayrelay.domain.media.MediaKind;
import com.runwayrelay.domain.media.MediaUriPolicy;
import com.runwayrelay.domain.media.MediaViolation;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Coverage-guided fuzzing of {@link MediaUriPolicy} with arbitrary strings (see
 * docs/RELIABILITY.md for the bounded run). Without {@code JAZZER_FUZZ} only the seeds in
 * {@code src/test/resources/com/runwayrelay/bench/fuzz/MediaUriPolicyFuzzTestInputs} run.
 *
 * <p>Invariants: the policy never throws; it answers with at most one violation; and a URI it
 * accepts satisfies {@link MediaOracle#violatedInvariant}: an allowlisted DNS name resolving only
 * to public addresses over https, a runway:// URI of Runway's length, or a base64 data URI of a
 * type the field takes whose bytes carry that type's signature.
 */
class MediaUriPolicyFuzzTest {
    private static final MediaUriPolicy POLICY = MediaOracle.policy();
    private static final List<String> PREFIXES = List.of("", "https://", "https://media.example.com/",
            "https://a.cdn.example.net", "runway://", "data:image/png;base64,", "data:image/", "data:video/",
            "data:audio/", "data:image/jpeg;base64,/9j/", "data:video/mp4;base64,AAAAIGZ0eXA", "http://");

    @FuzzTest(maxDuration = "3m")
    void acceptsOnlyUrisThatSatisfyThePolicy(FuzzedDataProvider data) {
        Set<MediaKind> kinds = EnumSet.noneOf(MediaKind.class);
        int mask = data.consumeInt(1, 7);
        for (MediaKind kind : MediaKind.values()) {
            if ((mask & (1 << kind.ordinal())) != 0) {
                kinds.add(kind);
            }
        }
        String uri = data.pickValue(PREFIXES) + data.consumeRemainingAsString();
        List<MediaViolation> violations = POLICY.check(uri, kinds);
        if (violations.isEmpty()) {
            assertNull(MediaOracle.violatedInvariant(uri, kinds), uri);
        } else {
            assertEquals(1, violations.size(), violations.toString());
        }
    }
}
