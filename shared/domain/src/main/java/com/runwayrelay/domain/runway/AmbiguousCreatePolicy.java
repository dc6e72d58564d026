package com.runwayrelay.domain.runway;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What the gateway does after an <em>ambiguous</em> create: one that may or may not have made a
 * Runway task (a timeout, a dropped connection, a 5xx after Runway may have processed the request,
 * or a process that stopped before recording the answer). Runway has no idempotency key, so a new
 * create can bill a second task; an operator chooses per app which risk to take.
 */
public enum AmbiguousCreatePolicy {
    /**
     * Never create again: the task ends as {@code FAILED} with {@code RELAY.AMBIGUOUS_CREATE} and its
     * estimate stays counted as a possible orphan. The default: it never double-bills.
     */
    FAIL("fail"),
    /**
     * Create once more. The possible orphan's estimate is reserved against the app's daily budget
     * first (the retry is not made when the budget cannot hold it), so the app never spends more
     * than its budget even if both creates are billed.
     */
    RETRY_ONCE("retry-once");

    private final String wireName;

    AmbiguousCreatePolicy(String wireName) {
        this.wireName = wireName;
    }

    /** The name operators write and the API shows: {@code fail} or {@code retry-once}. */
    public String wireName() {
        return wireName;
    }

    /** {@link #FAIL} for null (items written before the policy existed), else the value itself. */
    public static AmbiguousCreatePolicy orDefault(AmbiguousCreatePolicy policy) {
        return policy == null ? FAIL : policy;
    }

    /**
     * The policy named {@code name} ({@link #wireName()}, case-insensitive).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static AmbiguousCreatePolicy parse(String name) {
        if (name != null) {
            for (AmbiguousCreatePolicy policy : values()) {
                if (policy.wireName.equalsIgnoreCase(name.strip())) {
                    return policy;
                }
            }
        }
        throw new IllegalArgumentException("ambiguous-create policy must be one of "
                + Arrays.stream(values()).map(AmbiguousCreatePolicy::wireName).collect(Collectors.joining(", "))
                + " (got '" + name + "')");
    }
}
