package com.runwayrelay.aws.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Where a function's metrics go.
 *
 * @param namespace {@value #NAMESPACE}: the CloudWatch namespace (default {@value #DEFAULT_NAMESPACE})
 * @param service   {@value #SERVICE}: the value of every metric's {@code Service} dimension, so stacks
 *                  sharing a namespace stay apart (default {@value #DEFAULT_SERVICE})
 */
public record MetricsSettings(String namespace, String service) {
    public static final String NAMESPACE = "RELAY_METRICS_NAMESPACE";
    public static final String SERVICE = "RELAY_METRICS_SERVICE";
    /** The variables every function reads for its metrics (the template sets them for all). */
    public static final List<String> VARIABLES = List.of(NAMESPACE, SERVICE);
    public static final String DEFAULT_NAMESPACE = "RunwayRelay";
    public static final String DEFAULT_SERVICE = "runway-relay";
    /** CloudWatch's rule for namespaces; names starting with {@code AWS/} are AWS's own. */
    private static final Pattern NAMESPACE_SHAPE = Pattern.compile("[0-9A-Za-z.\\-_/#:]{1,255}");
    private static final Pattern SERVICE_SHAPE = Pattern.compile("[0-9A-Za-z.\\-_]{1,128}");

    public static MetricsSettings from(Env env) {
        String namespace = env.optional(NAMESPACE, DEFAULT_NAMESPACE);
        if (!NAMESPACE_SHAPE.matcher(namespace).matches() || namespace.startsWith("AWS/")) {
            env.problem(NAMESPACE + " must be 1 to 255 of A-Z a-z 0-9 . - _ / # : and not start with AWS/ (got '"
                    + namespace + "')");
        }
        String service = env.optional(SERVICE, DEFAULT_SERVICE);
        if (!SERVICE_SHAPE.matcher(service).matches()) {
            env.problem(SERVICE + " must be 1 to 128 of A-Z a-z 0-9 . - _ (got '" + service + "')");
        }
        return new MetricsSettings(namespace, service);
    }
}
