package com.runwayrelay.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.testkit.aws.CloudFormationTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** template.yaml agrees with the code; and the checker notices when it does not. */
class TemplateContractTest {
    static final Path REPO = Path.of("../..").toAbsolutePath().normalize();
    private static final Path TEMPLATE = REPO.resolve("template.yaml");

    private static List<String> problemsOf(String yaml) throws IOException {
        return new TemplateContract(CloudFormationTemplate.parse(yaml, "mutated template"), REPO).problems();
    }

    private static String template() throws IOException {
        return Files.readString(TEMPLATE);
    }

    @Test
    void templateAgreesWithHandlersConfigurationArtifactsFiltersAndEvents() throws IOException {
        List<String> problems = new TemplateContract(CloudFormationTemplate.load(TEMPLATE), REPO).problems();
        assertEquals(List.of(), problems);
    }

    @Test
    void reportsTheHandler_whenAHandlerClassIsRenamed() throws IOException {
        String yaml = template().replace("com.runwayrelay.submit.SubmitHandler::handleRequest",
                "com.runwayrelay.submit.SubmitRequestHandler::handleRequest");

        List<String> problems = problemsOf(yaml);

        assertTrue(problems.contains(
                "SubmitFunction: Handler class com.runwayrelay.submit.SubmitRequestHandler does not exist"), problems.toString());
    }

    @Test
    void reportsTheMethod_whenAHandlerMethodDoesNotExist() throws IOException {
        String yaml = template().replace("PollerHandler::handleRequest", "PollerHandler::handle");

        assertTrue(problemsOf(yaml).contains(
                "PollerFunction: Handler method com.runwayrelay.poller.PollerHandler::handle does not exist"));
    }

    @Test
    void reportsAnHttpApiFunction_whoseHandlerTheRuntimeWouldGiveTypedEvents() throws IOException {
        // The poller's handler takes typed scheduled events only: routed from the HTTP API, the runtime would build its serializer.
        String yaml = template();
        String poller = yaml.substring(yaml.indexOf("  PollerFunction:"));
        String events = poller.substring(poller.indexOf("      Events:\n"));
        String withRoute = events.replaceFirst("      Events:\n", "      Events:\n        Probe:\n          Type: HttpApi\n"
                + "          Properties:\n            ApiId: !Ref HttpApi\n            Method: GET\n            Path: /v1/probe\n");
        yaml = yaml.replace(events, withRoute);

        List<String> problems = problemsOf(yaml);

        assertTrue(problems.stream().anyMatch(p -> p.startsWith("PollerFunction: has HTTP API events, but the Lambda runtime would call "
                + "com.runwayrelay.poller.PollerHandler::handleRequest[class com.amazonaws.services.lambda.runtime.events.ScheduledEvent,")),
                problems.toString());
        assertFalse(problems.stream().anyMatch(p -> p.startsWith("SubmitFunction") || p.startsWith("StatusFunction")
                || p.startsWith("AdminFunction")), problems.toString());
    }

    @Test
    void reportsTheVariable_whenTheTemplateStopsSettingOneAConfigurationReads() throws IOException {
        String yaml = template();
        String status = yaml.substring(yaml.indexOf("  StatusFunction:"));
        String withoutBucket = status.replaceFirst("\\n\\s+RELAY_BUCKET: !Ref ArchiveBucket", "");
        yaml = yaml.replace(status, withoutBucket);

        List<String> problems = problemsOf(yaml);

        assertTrue(problems.contains("StatusFunction: com.runwayrelay.status.StatusConfig reads RELAY_BUCKET "
                + "but the template does not set it"), problems.toString());
    }

    @Test
    void reportsTheLease_whenTheSubmitTimeoutGrowsPastIt() throws IOException {
        String yaml = template();
        String submit = yaml.substring(yaml.indexOf("  SubmitFunction:"), yaml.indexOf("  StatusFunction:"));
        yaml = yaml.replace(submit, submit.replaceFirst("Timeout: 29", "Timeout: 40"));

        List<String> problems = problemsOf(yaml);

        assertTrue(problems.contains("SubmitFunction: RELAY_SUBMIT_TIMEOUT_SECONDS is 29 but the function's Timeout is 40;"
                + " the claim lease must last at least as long as the function can run"), problems.toString());
    }

    @Test
    void reportsTheGap_whenPollerInvocationsDoNotCoverTheScheduleInterval() throws IOException {
        String yaml = template();
        String poller = yaml.substring(yaml.indexOf("  PollerFunction:"), yaml.indexOf("  ArchiverFunction:"));
        yaml = yaml.replace(poller, poller.replaceFirst("Timeout: \\d+", "Timeout: 60")
                .replaceFirst("RELAY_POLLER_RUN_SECONDS: \"\\d+\"", "RELAY_POLLER_RUN_SECONDS: \"50\""));

        List<String> problems = problemsOf(yaml);

        assertTrue(problems.contains("PollerFunction: an invocation claims work for 50 s (RELAY_POLLER_RUN_SECONDS, Timeout less "
                + "the claim margin) but one starts every 60 s; reads falling due in between wait for the next invocation"),
                problems.toString());
    }

    @Test
    void reportsTheConcurrency_whenOverlappingPollerInvocationsWouldBeThrottled() throws IOException {
        String yaml = template();
        String poller = yaml.substring(yaml.indexOf("  PollerFunction:"), yaml.indexOf("  ArchiverFunction:"));
        yaml = yaml.replace(poller, poller.replaceFirst("ReservedConcurrentExecutions: \\d+", "ReservedConcurrentExecutions: 1"));

        List<String> problems = problemsOf(yaml);

        assertTrue(problems.stream().anyMatch(p -> p.startsWith("PollerFunction: up to 2 invocations run at once")
                && p.endsWith("but ReservedConcurrentExecutions is 1")), problems.toString());
    }

    @Test
    void streamEventsHandRecordsOverWithoutABatchingWait() throws IOException {
        var functions = CloudFormationTemplate.load(TEMPLATE).resourcesOfType("AWS::Serverless::Function");
        int streams = 0;
        for (var function : functions.entrySet()) {
            var events = (java.util.Map<?, ?>) ((java.util.Map<?, ?>) function.getValue().get("Properties")).get("Events");
            for (Object event : events == null ? List.of() : events.values()) {
                var map = (java.util.Map<?, ?>) event;
                if ("DynamoDB".equals(map.get("Type"))) {
                    streams++;
                    Object window = ((java.util.Map<?, ?>) map.get("Properties")).get("MaximumBatchingWindowInSeconds");
                    assertEquals("0", String.valueOf(window), function.getKey()
                            + ": a batching window delays every archive and webhook by up to that long (docs/decisions.md)");
                    Object factor = ((java.util.Map<?, ?>) map.get("Properties")).get("ParallelizationFactor");
                    assertEquals("10", String.valueOf(factor), function.getKey()
                            + ": one batch per shard at a time archives a burst one task after another (docs/decisions.md, issue #20)");
                }
            }
        }
        assertEquals(2, streams, "the archiver's and the notifier's stream events");
    }

    @Test
    void reportsTheCodeUri_whenItIsNotTheBuiltArtifact() throws IOException {
        String yaml = template().replace("CodeUri: functions/archiver/target/function.zip",
                "CodeUri: functions/archiver/target/archiver.jar");

        assertTrue(problemsOf(yaml).contains("ArchiverFunction: CodeUri is functions/archiver/target/archiver.jar "
                + "but the build produces functions/archiver/target/function.zip"));
    }

    @Test
    void reportsTheState_whenAStreamFilterNamesOneTheCodeDoesNotUse() throws IOException {
        String yaml = template().replace("{\"S\":[\"OUTPUT_READY\"]}", "{\"S\":[\"OUTPUTS_READY\"]}");

        assertTrue(problemsOf(yaml).contains(
                "ArchiverFunction: stream filter names state OUTPUTS_READY, which TaskState does not have"));
    }

    @Test
    void reportsTheEvent_whenAnEventFileRoutesToARouteTheFunctionDoesNotServe() throws IOException {
        String yaml = template().replace("Path: /v1/uploads }", "Path: /v1/upload }");

        assertTrue(problemsOf(yaml).stream().anyMatch(p -> p.startsWith(
                "events/submit/apigw-uploads.json: routeKey 'POST /v1/uploads' is not a route of this function")));
    }
}
