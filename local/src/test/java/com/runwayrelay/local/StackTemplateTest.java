package com.runwayrelay.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.testkit.aws.CloudFormationTemplate;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StackTemplateTest {
    private static final StackTemplate TEMPLATE = StackTemplate.fromClasspath();

    @Test
    void functions_describeHandlersTimeoutsAndEventsOfTheTemplate() {
        FunctionSpec submit = TEMPLATE.function("SubmitFunction");
        assertEquals("com.runwayrelay.submit.SubmitHandler", submit.handlerClass());
        assertEquals(Duration.ofSeconds(29), submit.timeout());
        assertEquals(1024, submit.memoryMb(), "from Globals");
        assertTrue(submit.routes().contains(new FunctionSpec.HttpRoute("POST", "/v1/text_to_image")));
        assertTrue(submit.environment().containsKey("RELAY_TABLE"), "Globals variables are included");

        FunctionSpec poller = TEMPLATE.function("PollerFunction");
        assertEquals(2, poller.reservedConcurrency().orElseThrow());
        assertEquals(1, poller.schedules().size());
        assertTrue(poller.schedules().getFirst().input().contains("<aws.scheduler.scheduled-time>"));

        FunctionSpec archiver = TEMPLATE.function("ArchiverFunction");
        FunctionSpec.StreamSubscription stream = archiver.streams().getFirst();
        assertEquals(5, stream.batchSize());
        assertEquals(5, stream.maxRetries());
        assertTrue(stream.reportItemFailures());
        assertFalse(stream.filterPatterns().isEmpty());
        assertEquals(10, stream.parallelization(), "ParallelizationFactor");
    }

    @Test
    void routes_carryTheirAuthorizer_iamForTheAdminRoutesOnly() {
        FunctionSpec admin = TEMPLATE.function("AdminFunction");
        assertFalse(admin.routes().isEmpty());
        assertTrue(admin.routes().stream().allMatch(r -> r.authorizer().equals(FunctionSpec.HttpRoute.IAM)), admin.routes()::toString);
        for (String id : java.util.List.of("SubmitFunction", "StatusFunction")) {
            assertTrue(TEMPLATE.function(id).routes().stream().allMatch(r -> r.authorizer().equals(FunctionSpec.HttpRoute.NONE)), id);
        }
    }

    @Test
    void from_rejectsAnAuthorizerItCannotEnforce() {
        var error = assertThrows(IllegalArgumentException.class, () -> StackTemplate.from(CloudFormationTemplate.parse("""
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.FnHandler::handleRequest
                      Events:
                        Get:
                          Type: HttpApi
                          Properties: {Method: GET, Path: /x, Auth: {Authorizer: MyJwt}}
                """, "test")));
        assertTrue(error.getMessage().contains("Fn.Events.Get.Auth.Authorizer: MyJwt"), error.getMessage());
    }

    @Test
    void function_namesTheKnownIds_whenMissing() {
        var error = assertThrows(IllegalArgumentException.class, () -> TEMPLATE.function("Nope"));
        assertTrue(error.getMessage().contains("SubmitFunction"), error.getMessage());
    }

    @Test
    void from_appliesLambdaDefaultsAndRejectsEventsItCannotRun() {
        StackTemplate minimal = StackTemplate.from(CloudFormationTemplate.parse("""
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.FnHandler::handleRequest
                      Events:
                        Stream:
                          Type: DynamoDB
                          Properties: {Stream: x}
                """, "test"));
        FunctionSpec fn = minimal.function("Fn");
        assertEquals(Duration.ofSeconds(3), fn.timeout());
        assertEquals(128, fn.memoryMb());
        assertEquals(100, fn.streams().getFirst().batchSize());
        assertEquals(-1, fn.streams().getFirst().maxRetries());
        assertFalse(fn.streams().getFirst().reportItemFailures());
        assertEquals(1, fn.streams().getFirst().parallelization(), "Lambda's default: one batch per shard at a time");

        var error = assertThrows(IllegalArgumentException.class, () -> StackTemplate.from(CloudFormationTemplate.parse("""
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.FnHandler::handleRequest
                      Events:
                        Queue: {Type: SQS, Properties: {Queue: q}}
                """, "test")));
        assertTrue(error.getMessage().startsWith("Fn.Events.Queue: event type SQS"), error.getMessage());

        var factor = assertThrows(IllegalArgumentException.class, () -> StackTemplate.from(CloudFormationTemplate.parse("""
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.FnHandler::handleRequest
                      Events:
                        Stream: {Type: DynamoDB, Properties: {Stream: x, ParallelizationFactor: 11}}
                """, "test")));
        assertTrue(factor.getMessage().endsWith("ParallelizationFactor must be 1 to 10, found 11"), factor.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StackTemplate.from(CloudFormationTemplate.parse("""
                Resources:
                  Fn: {Type: AWS::Serverless::Function, Properties: {Handler: nocolons}}
                """, "test")));
    }
}
