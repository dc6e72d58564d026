package com.runwayrelay.aws.priming;

import java.util.Map;

/**
 * Whether a function is being wired inside a Lambda runtime: only there do the composition roots
 * register a SnapStart priming hook, so tests and the local stack, which wire functions from maps of
 * their own, get none unless they add the variable (the cold-start benchmark does, as Lambda would).
 */
public final class LambdaRuntime {
    /** The variable every managed Lambda runtime sets at init, e.g. {@code AWS_Lambda_java21}. */
    public static final String EXECUTION_ENV = "AWS_EXECUTION_ENV";
    /** What every managed runtime's {@link #EXECUTION_ENV} begins with. */
    static final String PREFIX = "AWS_Lambda_";

    private LambdaRuntime() {
    }

    /** Whether {@code env} is a Lambda runtime's: its {@link #EXECUTION_ENV} names one ({@code AWS_Lambda_…}). */
    public static boolean isLambda(Map<String, String> env) {
        String runtime = env.get(EXECUTION_ENV);
        return runtime != null && runtime.startsWith(PREFIX) && runtime.length() > PREFIX.length();
    }
}
