package com.runwayrelay.aws.priming;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LambdaRuntimeTest {
    @Test
    void isLambda_whenTheExecutionEnvNamesAManagedRuntime() {
        assertTrue(LambdaRuntime.isLambda(Map.of("AWS_EXECUTION_ENV", "AWS_Lambda_java21")));
        assertTrue(LambdaRuntime.isLambda(Map.of("AWS_EXECUTION_ENV", "AWS_Lambda_java25")));
    }

    @Test
    void isNotLambda_whenTheVariableIsMissingOrNamesSomethingElse() {
        assertFalse(LambdaRuntime.isLambda(Map.of()));
        assertFalse(LambdaRuntime.isLambda(Map.of("AWS_EXECUTION_ENV", "local")));
        assertFalse(LambdaRuntime.isLambda(Map.of("AWS_EXECUTION_ENV", "")));
        assertFalse(LambdaRuntime.isLambda(Map.of("AWS_EXECUTION_ENV", "AWS_Lambda_")), "a prefix names no runtime");
        assertFalse(LambdaRuntime.isLambda(Map.of("AWS_EXECUTION_ENV", "aws_lambda_java21")), "the runtime's spelling only");
    }
}
