package com.runwayrelay.local;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * The Lambda {@link Context} of one local invocation: a fresh request id, the function's configured
 * memory, and a remaining time counted down from the template's {@code Timeout}, so code that stops
 * claiming work when time runs low behaves as it does in Lambda.
 */
final class LocalContext implements Context {
    private static final String ACCOUNT = "000000000000";

    private final String functionName;
    private final int memoryMb;
    private final Instant deadline;
    private final Clock clock;
    private final String requestId = UUID.randomUUID().toString();
    private final LambdaLogger logger;

    LocalContext(FunctionSpec function, Clock clock, StackLog log) {
        this.functionName = function.logicalId();
        this.memoryMb = function.memoryMb();
        this.clock = clock;
        this.deadline = clock.instant().plus(function.timeout());
        this.logger = new LambdaLogger() {
            @Override
            public void log(String message) {
                log.info("[" + functionName + "] " + message.stripTrailing());
            }

            @Override
            public void log(byte[] message) {
                log(new String(message, StandardCharsets.UTF_8));
            }
        };
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return "local";
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:" + functionName;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return (int) Math.max(0, deadline.toEpochMilli() - clock.millis());
    }

    @Override
    public int getMemoryLimitInMB() {
        return memoryMb;
    }

    @Override
    public LambdaLogger getLogger() {
        return logger;
    }
}
