package com.runwayrelay.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.testkit.aws.CloudFormationTemplate;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionEnvironmentTest {
    private static final StackTemplate TEMPLATE = StackTemplate.fromClasspath();
    private static final Map<String, String> AWS = Map.of("AWS_REGION", "us-east-1", "AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:1",
            "RELAY_TABLE", "from-aws");

    private static FunctionEnvironment.LocalValues local(Map<String, String> parameters, Map<String, String> overrides) {
        return new FunctionEnvironment.LocalValues("t-local", "b-local", parameters, "key_sim", AWS, overrides,
                Map.of("RELAY_ALLOW_LOOPBACK_HTTP", "true"));
    }

    @Test
    void resolve_givesEveryTemplateVariableALocalValue() {
        for (FunctionSpec function : TEMPLATE.functions()) {
            Map<String, String> env = FunctionEnvironment.resolve(TEMPLATE, function,
                    local(Map.of("RunwayApiBaseUrl", "http://127.0.0.1:9"), Map.of()));
            for (String name : function.environment().keySet()) {
                if (!name.equals("RUNWAY_API_KEY_SECRET_ARN")) {
                    assertTrue(env.containsKey(name), function.logicalId() + " " + name);
                    // Queues resolve to an empty URL locally (no SQS runs there), by design.
                    boolean queue = function.environment().get(name) instanceof Map<?, ?> ref
                            && ref.get("Ref") instanceof String id
                            && TEMPLATE.resourceType(id).filter("AWS::SQS::Queue"::equals).isPresent();
                    assertFalse(env.get(name).isBlank() && !name.equals("RELAY_MEDIA_HOST_ALLOWLIST") && !queue,
                            function.logicalId() + " " + name);
                }
            }
            assertFalse(env.containsKey("RUNWAY_API_KEY_SECRET_ARN"), function.logicalId() + " must not get the secret's ARN");
            assertEquals("true", env.get("RELAY_ALLOW_LOOPBACK_HTTP"));
            assertEquals("us-east-1", env.get("AWS_REGION"));
        }
    }

    @Test
    void resolve_replacesTheSecretArnByTheLocalKey_onlyWhereTheTemplateSetsIt() {
        var values = local(Map.of(), Map.of());
        Map<String, String> submit = FunctionEnvironment.resolve(TEMPLATE, TEMPLATE.function("SubmitFunction"), values);
        Map<String, String> notifier = FunctionEnvironment.resolve(TEMPLATE, TEMPLATE.function("NotifierFunction"), values);

        assertEquals("key_sim", submit.get("RUNWAYML_API_SECRET"));
        assertFalse(notifier.containsKey("RUNWAYML_API_SECRET"), "the notifier has no business with the Runway key");
    }

    @Test
    void resolve_usesLocalParametersThenDefaultsThenResources() {
        StackTemplate template = StackTemplate.from(CloudFormationTemplate.parse("""
                Parameters:
                  Local: {Type: String, Default: template-value}
                  Defaulted: {Type: Number, Default: 3600}
                Resources:
                  Table: {Type: AWS::DynamoDB::Table}
                  Bucket: {Type: AWS::S3::Bucket}
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.FnHandler::handleRequest
                      Environment:
                        Variables:
                          LOCAL: !Ref Local
                          DEFAULTED: !Ref Defaulted
                          TABLE: !Ref Table
                          BUCKET: !Ref Bucket
                          LITERAL: "50"
                          RELAY_TABLE: !Ref Table
                """, "test"));

        Map<String, String> env = FunctionEnvironment.resolve(template, template.function("Fn"), local(Map.of("Local", "local-value"), Map.of()));

        assertEquals("local-value", env.get("LOCAL"));
        assertEquals("3600", env.get("DEFAULTED"));
        assertEquals("t-local", env.get("TABLE"));
        assertEquals("b-local", env.get("BUCKET"));
        assertEquals("50", env.get("LITERAL"));
        assertEquals("from-aws", env.get("RELAY_TABLE"), "the emulators' variables come after the template's");
    }

    @Test
    void resolve_appliesOverridesOnlyToFunctionsThatHaveTheVariable() {
        var values = local(Map.of(), Map.of("RELAY_POLLER_RUN_SECONDS", "1"));

        assertEquals("1", FunctionEnvironment.resolve(TEMPLATE, TEMPLATE.function("PollerFunction"), values).get("RELAY_POLLER_RUN_SECONDS"));
        assertFalse(FunctionEnvironment.resolve(TEMPLATE, TEMPLATE.function("SubmitFunction"), values).containsKey("RELAY_POLLER_RUN_SECONDS"));
    }

    @Test
    void resolve_namesTheFunctionAndVariable_whenAValueCannotBeResolved() {
        StackTemplate template = StackTemplate.from(CloudFormationTemplate.parse("""
                Parameters:
                  NoDefault: {Type: String}
                Resources:
                  Topic: {Type: AWS::SNS::Topic}
                  Queue: {Type: AWS::SQS::Queue}
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.FnHandler::handleRequest
                      Environment:
                        Variables:
                          A: !Ref NoDefault
                          B: !Ref Topic
                          C: !Sub "${Queue}"
                          D: !Ref Missing
                """, "test"));
        FunctionSpec function = template.function("Fn");
        for (String variable : new String[] {"A", "B", "C", "D"}) {
            FunctionSpec only = new FunctionSpec(function.logicalId(), function.handlerClass(), function.timeout(), function.memoryMb(),
                    function.reservedConcurrency(), Map.of(variable, function.environment().get(variable)), function.routes(),
                    function.streams(), function.schedules());
            var error = assertThrows(IllegalArgumentException.class, () -> FunctionEnvironment.resolve(template, only, local(Map.of(), Map.of())));
            assertTrue(error.getMessage().startsWith("Fn: environment variable " + variable), error.getMessage());
        }
    }

    @Test
    void resolve_givesAnEmptyUrl_whenAVariableRefersToAQueue() {
        StackTemplate template = StackTemplate.from(CloudFormationTemplate.parse("""
                Resources:
                  Queue: {Type: AWS::SQS::Queue}
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.FnHandler::handleRequest
                      Environment:
                        Variables:
                          QUEUE_URL: !Ref Queue
                """, "test"));

        assertEquals("", FunctionEnvironment.resolve(template, template.function("Fn"), local(Map.of(), Map.of())).get("QUEUE_URL"));
    }
}
