package com.runwayrelay.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.testkit.aws.CloudFormationTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * After {@code package}, every CodeUri exists and holds its handler, its libraries, and nothing a
 * function must not ship: no test kit, emulator or test library, no test-jar, and no in-memory
 * fake (a class in a {@code memory} package) in its own classes or in any of our libraries.
 */
class PackagedFunctionsIT {

    static List<String> functions() {
        return List.copyOf(CloudFormationTemplate.load(TemplateContractTest.REPO.resolve("template.yaml"))
                .resourcesOfType("AWS::Serverless::Function").keySet());
    }

    @ParameterizedTest
    @MethodSource("functions")
    void zipHoldsHandlerAndRuntimeLibrariesOnly(String function) throws IOException {
        Map<String, Object> props = properties(function);
        Path zip = TemplateContractTest.REPO.resolve((String) props.get("CodeUri"));
        assertTrue(Files.isRegularFile(zip), zip + " was not built");

        String handler = ((String) props.get("Handler")).split("::")[0];
        List<String> forbidden = new ArrayList<>();
        boolean hasHandler;
        boolean hasLambdaCore;
        try (ZipFile file = new ZipFile(zip.toFile())) {
            hasHandler = file.getEntry(handler.replace('.', '/') + ".class") != null;
            hasLambdaCore = file.stream().map(ZipEntry::getName).anyMatch(n -> n.startsWith("lib/aws-lambda-java-core-"));
            file.stream().map(ZipEntry::getName)
                    .filter(n -> n.matches("lib/(apache-client|apache5-client|httpclient5|httpcore5|netty-nio-client|netty-|junit|opentest4j|"
                            + "aws-lambda-java-tests|DynamoDBLocal|s3proxy|relay-emulators|relay-simulator|relay-node-sdk).*"))
                    .forEach(forbidden::add);
            file.stream().map(ZipEntry::getName).filter(n -> n.endsWith("-tests.jar")).forEach(forbidden::add);
            file.stream().map(ZipEntry::getName).filter(PackagedFunctionsIT::isFake).forEach(forbidden::add);
            for (ZipEntry library : file.stream().filter(e -> e.getName().matches("lib/relay-.*\\.jar")).toList()) {
                try (ZipInputStream jar = new ZipInputStream(file.getInputStream(library))) {
                    for (ZipEntry entry = jar.getNextEntry(); entry != null; entry = jar.getNextEntry()) {
                        if (isFake(entry.getName())) {
                            forbidden.add(library.getName() + "!" + entry.getName());
                        }
                    }
                }
            }
        }
        assertTrue(hasHandler, zip + " lacks " + handler);
        assertTrue(hasLambdaCore, zip + " lacks lib/aws-lambda-java-core");
        assertEquals(List.of(), forbidden, zip + " ships what no function needs");
    }

    /**
     * Issue #20's goal for every deployment package: 15 MiB. Every function meets it since the SDK's
     * service modules are shrunk (functions/shrink.pro; docs/BENCHMARKS.md, function package sizes).
     */
    static final long MAX_ZIP_BYTES = 15L * 1024 * 1024;

    @ParameterizedTest
    @MethodSource("functions")
    void zipFitsTheSizeGoal(String function) throws IOException {
        Path zip = TemplateContractTest.REPO.resolve((String) properties(function).get("CodeUri"));
        assertTrue(Files.isRegularFile(zip), zip + " was not built");
        long size = Files.size(zip);
        assertTrue(size <= MAX_ZIP_BYTES, zip + " is " + size + " bytes, over the goal of " + MAX_ZIP_BYTES
                + " (docs/BENCHMARKS.md, function package sizes)");
    }

    /** A class of an in-memory fake: test code, shipped only in relay-domain's test-jar. */
    static boolean isFake(String entry) {
        return entry.startsWith("com/runwayrelay/") && entry.contains("/memory/") && entry.endsWith(".class");
    }

    @Test
    void fakeFilterMatchesTheFakes_andNothingElse() {
        assertTrue(isFake("com/runwayrelay/domain/memory/InMemoryTaskRepository.class"));
        assertTrue(isFake("com/runwayrelay/domain/gateway/memory/InMemoryUsageLedger$Entry.class"));
        assertFalse(isFake("com/runwayrelay/domain/gateway/UsageLedger.class"));
        assertFalse(isFake("com/runwayrelay/domain/memory/"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> properties(String function) {
        return (Map<String, Object>) CloudFormationTemplate.load(TemplateContractTest.REPO.resolve("template.yaml"))
                .resource(function).get("Properties");
    }
}
