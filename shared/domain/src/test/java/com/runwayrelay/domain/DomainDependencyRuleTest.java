package com.runwayrelay.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The domain stays free of AWS, HTTP and JSON: adapters depend on it, never the other way. */
class DomainDependencyRuleTest {
    private static final Pattern FORBIDDEN = Pattern.compile(
            "^import\\s+(static\\s+)?(software\\.amazon|com\\.amazonaws|com\\.fasterxml|java\\.net\\.http"
                    + "|com\\.sun\\.net\\.httpserver|com\\.runwayrelay\\.(aws|catalog|runway|submit|status|poller"
                    + "|archiver|notifier|simulator|testkit|local))\\b.*");

    @Test
    void domainSourcesImportNoAdapterTechnology() throws IOException {
        List<String> offenders = offendingImports(Path.of("src/main/java"));
        assertTrue(offenders.isEmpty(), "domain imports adapter technology: " + offenders);
    }

    @Test
    void ruleCatchesAForbiddenImport_whenOneIsPresent() throws IOException {
        Path dir = Files.createTempDirectory("domain-rule");
        Files.writeString(dir.resolve("Bad.java"),
                "package x;\nimport software.amazon.awssdk.services.s3.S3Client;\nclass Bad {}\n");
        assertEquals(1, offendingImports(dir).size());
    }

    @Test
    void domainModuleDeclaresNoCompileDependencies() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        assertFalse(pom.contains("<dependency>"), "relay-domain must not declare dependencies");
    }

    private static List<String> offendingImports(Path root) throws IOException {
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    if (FORBIDDEN.matcher(line.trim()).matches()) {
                        offenders.add(root.relativize(file) + ": " + line.trim());
                    }
                }
            }
        }
        return offenders;
    }
}
