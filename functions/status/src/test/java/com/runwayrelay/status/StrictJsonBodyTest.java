package com.runwayrelay.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.runwayrelay.domain.Violation;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StrictJsonBodyTest {
    private static final Set<String> MEMBERS = Set.of("name", "content");

    @Test
    void readsAnEmptyBodyAsAnEmptyObject() {
        var parsed = assertInstanceOf(StrictJsonBody.Read.Parsed.class, StrictJsonBody.read(" ", MEMBERS, "x"));
        assertEquals(0, parsed.object().size());
        assertEquals(List.of(), parsed.violations());
    }

    @Test
    void listsEveryUnknownMemberInOneViolation_sortedAndQuoted() {
        var parsed = assertInstanceOf(StrictJsonBody.Read.Parsed.class,
                StrictJsonBody.read("{\"name\":\"a\",\"zeta\":1,\"alpha\":2}", MEMBERS, "the body takes name and content"));
        assertEquals(List.of(new Violation(List.of(), "unrecognized_keys",
                "Unrecognized key(s) in object: 'alpha', 'zeta'; the body takes name and content")), parsed.violations());
        assertEquals("a", parsed.object().get("name").textValue());
    }

    @Test
    void refusesADuplicateKey() {
        var refused = assertInstanceOf(StrictJsonBody.Read.Refused.class,
                StrictJsonBody.read("{\"name\":\"a\",\"name\":\"b\"}", MEMBERS, "x"));
        assertEquals(400, refused.problem().status());
        assertEquals("duplicate_key", refused.problem().issues().getFirst().code());
    }

    @Test
    void refusesTrailingTokensAndNonObjects() {
        for (String body : List.of("{\"name\":\"a\"} {}", "[1]", "\"text\"", "{\"name\":")) {
            var refused = assertInstanceOf(StrictJsonBody.Read.Refused.class, StrictJsonBody.read(body, MEMBERS, "x"), body);
            assertEquals(400, refused.problem().status(), body);
        }
    }

    @Test
    void refusesABodyOverTheLimit_with413() {
        String body = "{\"content\":\"" + "x".repeat(StrictJsonBody.MAX_BYTES) + "\"}";
        var refused = assertInstanceOf(StrictJsonBody.Read.Refused.class, StrictJsonBody.read(body, MEMBERS, "x"));
        assertEquals(413, refused.problem().status());
    }

    @Test
    void abbreviatesLongTextAndReplacesControlCharacters() {
        assertEquals("a?b", StrictJsonBody.abbreviate("a\nb"));
        assertEquals("x".repeat(60) + "...", StrictJsonBody.abbreviate("x".repeat(61)));
    }
}
