package com.runwayrelay.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** After {@code package}, every CodeUri exists and holds its handler, its libraries, and nothing a function must not ship. */
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
        }
        assertTrue(hasHandler, zip + " lacks " + handler);
        assertTrue(hasLambdaCore, zip + " lacks lib/aws-lambda-java-core");
        assertEquals(List.of(), forbidden, zip + " ships what no function needs");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> properties(String function) {
        return (Map<String, Object>) CloudFormationTemplate.load(TemplateContractTest.REPO.resolve("template.yaml"))
                .resource(function).get("Properties");
    }
}
