package com.runwayrelay.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.AttemptOutcome;
import com.runwayrelay.domain.RunwayStatus;
import com.runwayrelay.domain.webhook.DeliveryStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Runway status, the attempt outcome and the webhook delivery status are types
 * ({@link RunwayStatus}, {@link AttemptOutcome}, {@link DeliveryStatus}): no production source
 * spells one of their names as a string literal, so a comparison or a switch cannot drift from the
 * type (a typo, a name compared against the wrong vocabulary). Only the Runway client's wire
 * decoding reads them as text, plus the few literals listed in {@link #ALLOWED} with their reason.
 *
 * <p>ArchUnit sees bytecode, where string constants of other classes are inlined and comments are
 * gone, so this reads the sources: every {@code src/main/java} of the libraries, functions, local
 * stack and benchmarks (the test kits, which play Runway, are not production). Comments do not
 * count; string literals and text blocks do.
 */
class TypedVocabularyTest {
    /** Where the Runway client turns wire text into its typed task; the only place the names are text. */
    private static final Set<String> WIRE_MAPPERS = Set.of(
            "shared/runway/src/main/java/com/runwayrelay/runway/ResponseDecoder.java",
            "shared/runway/src/main/java/com/runwayrelay/runway/Task.java");
    /** Literals that are a name of the vocabulary by coincidence, per file, with why. */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            // The "created" column of `relay tasks` (when the task was created), not an attempt outcome.
            "local/src/main/java/com/runwayrelay/local/admin/AdminCommand.java", Set.of("CREATED"));
    private static final List<String> ROOTS = List.of("shared", "functions", "local", "bench");

    /** Every name of the three vocabularies (UNKNOWN, which no code compares against, aside). */
    static Set<String> vocabulary() {
        Set<String> names = new TreeSet<>();
        Arrays.stream(RunwayStatus.Known.values()).map(Enum::name).forEach(names::add);
        Arrays.stream(AttemptOutcome.values()).filter(o -> o != AttemptOutcome.UNKNOWN).map(Enum::name).forEach(names::add);
        Arrays.stream(DeliveryStatus.values()).filter(s -> s != DeliveryStatus.UNKNOWN).map(Enum::name).forEach(names::add);
        return names;
    }

    @Test
    void noProductionSourceSpellsAStatusOrOutcomeAsAString() throws IOException {
        Set<String> vocabulary = vocabulary();
        List<String> found = new ArrayList<>();
        int scanned = 0;
        for (Path source : productionSources()) {
            String relative = TemplateContractTest.REPO.relativize(source).toString().replace('\\', '/');
            if (WIRE_MAPPERS.contains(relative)) {
                continue;
            }
            scanned++;
            Set<String> allowed = ALLOWED.getOrDefault(relative, Set.of());
            for (String literal : literalsNamed(Files.readString(source), vocabulary)) {
                if (!allowed.contains(literal)) {
                    found.add(relative + ": \"" + literal + "\"");
                }
            }
        }
        assertTrue(scanned > 200, "scanned only " + scanned + " sources; is the repository root right?");
        assertEquals(List.of(), found, "use RunwayStatus, AttemptOutcome or DeliveryStatus instead of their names as text");
    }

    @Test
    void everyExceptionStillNamesALiteralItsFileHolds() throws IOException {
        for (Map.Entry<String, Set<String>> allowed : ALLOWED.entrySet()) {
            String source = Files.readString(TemplateContractTest.REPO.resolve(allowed.getKey()));
            assertEquals(allowed.getValue(), literalsNamed(source, allowed.getValue()), allowed.getKey());
        }
        for (String mapper : WIRE_MAPPERS) {
            assertTrue(Files.exists(TemplateContractTest.REPO.resolve(mapper)), mapper);
        }
    }

    @Test
    void findsLiteralsAndTextBlocks_butNotCommentsOrLongerText() {
        String source = """
                class Fixture {
                    // "RUNNING" in a line comment
                    /* "FAILED" in a block comment */
                    /** {@code "PENDING"} in Javadoc */
                    boolean done(String s) { return "SUCCEEDED".equals(s) || "SUCCEEDED_LATE".equals(s); }
                    String url = "http://x//y"; char quote = '"'; String escaped = "a\\"DELIVERED\\"b";
                    String json = \"""
                        {"outcome": "AMBIGUOUS"}
                        \""";
                }
                """;

        assertEquals(Set.of("SUCCEEDED", "AMBIGUOUS"), literalsNamed(source, vocabulary()));
    }

    @Test
    void vocabularyHoldsEveryTypedName() {
        Set<String> vocabulary = vocabulary();
        assertTrue(vocabulary.containsAll(Set.of("THROTTLED", "IN_FLIGHT", "NOT_CREATED", "GONE", "DELIVERED", "DISABLED")),
                vocabulary::toString);
    }

    private static List<Path> productionSources() throws IOException {
        List<Path> sources = new ArrayList<>();
        for (String root : ROOTS) {
            try (Stream<Path> files = Files.walk(TemplateContractTest.REPO.resolve(root))) {
                files.filter(p -> p.toString().endsWith(".java"))
                        .filter(p -> p.toString().replace('\\', '/').contains("/src/main/java/"))
                        .filter(p -> !p.toString().replace('\\', '/').contains("/target/"))
                        .forEach(sources::add);
            }
        }
        return sources;
    }

    /**
     * The string literals (and quoted words inside text blocks) of a Java source that are exactly
     * one of {@code names}; comments and character literals are skipped.
     */
    static Set<String> literalsNamed(String source, Set<String> names) {
        Set<String> found = new TreeSet<>();
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (c == '/' && i + 1 < n && source.charAt(i + 1) == '/') {
                int end = source.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else if (c == '/' && i + 1 < n && source.charAt(i + 1) == '*') {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                String block = source.substring(i + 3, end < 0 ? n : end);
                for (String name : names) {
                    if (block.contains("\"" + name + "\"")) {
                        found.add(name);
                    }
                }
                i = end < 0 ? n : end + 3;
            } else if (c == '"' || c == '\'') {
                StringBuilder text = new StringBuilder();
                int j = i + 1;
                while (j < n && source.charAt(j) != c && source.charAt(j) != '\n') {
                    if (source.charAt(j) == '\\' && j + 1 < n) {
                        text.append(source.charAt(j + 1));
                        j += 2;
                    } else {
                        text.append(source.charAt(j++));
                    }
                }
                if (c == '"' && names.contains(text.toString())) {
                    found.add(text.toString());
                }
                i = j + 1;
            } else {
                i++;
            }
        }
        return found;
    }
}
