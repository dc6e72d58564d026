package com.runwayrelay.poller;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.time.Duration;

/** A Lambda context with a request id and a deadline, counted from its creation. */
final class FakeContext implements Context {
    private final String requestId;
    private final long deadlineNanos;
    private final boolean standingStill;

    FakeContext(String requestId, Duration remaining) {
        this(requestId, remaining, false);
    }

    private FakeContext(String requestId, Duration remaining, boolean standingStill) {
        this.requestId = requestId;
        this.deadlineNanos = standingStill ? remaining.toNanos() : System.nanoTime() + remaining.toNanos();
        this.standingStill = standingStill;
    }

    /** A context whose remaining time is always {@code remaining}: for runs on a manual clock. */
    static FakeContext standingStill(String requestId, Duration remaining) {
        return new FakeContext(requestId, remaining, true);
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return (int) Math.max(0, (deadlineNanos - (standingStill ? 0 : System.nanoTime())) / 1_000_000);
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/poller";
    }

    @Override
    public String getLogStreamName() {
        return "test";
    }

    @Override
    public String getFunctionName() {
        return "PollerFunction";
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:us-east-1:123456789012:function:PollerFunction";
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
    public int getMemoryLimitInMB() {
        return 1024;
    }

    @Override
    public LambdaLogger getLogger() {
        return null;
    }
}
