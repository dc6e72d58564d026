package com.runwayrelay.bench.poller;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Counts what a DynamoDB client really did: calls per operation, and the items every Query or
 * Scan examined ({@code ScannedCount}) and returned ({@code Count}), as DynamoDB reports them.
 */
final class DynamoCalls implements ExecutionInterceptor {
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final LongAdder scanned = new LongAdder();
    private final LongAdder returned = new LongAdder();
    private final LongAdder transmissions = new LongAdder();
    private final LongAdder failures = new LongAdder();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        transmissions.increment();
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        failures.increment();
    }

    /** HTTP requests sent, retries included. */
    long transmissions() {
        return transmissions.sum();
    }

    /** Calls that ended in an exception (conditional-check failures included). */
    long failures() {
        return failures.sum();
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        calls.computeIfAbsent(operation, o -> new LongAdder()).increment();
        if (context.response() instanceof QueryResponse query) {
            scanned.add(query.scannedCount());
            returned.add(query.count());
        } else if (context.response() instanceof ScanResponse scan) {
            scanned.add(scan.scannedCount());
            returned.add(scan.count());
        }
    }

    long calls(String operation) {
        LongAdder count = calls.get(operation);
        return count == null ? 0 : count.sum();
    }

    /** Items Query and Scan examined. */
    long scannedItems() {
        return scanned.sum();
    }

    /** Items Query and Scan returned. */
    long returnedItems() {
        return returned.sum();
    }

    void reset() {
        calls.clear();
        scanned.reset();
        returned.reset();
        transmissions.reset();
        failures.reset();
    }
}
