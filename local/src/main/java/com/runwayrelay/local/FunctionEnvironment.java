package com.runwayrelay.local;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds the environment a function gets in the local stack from the variables {@code template.yaml}
 * gives it, resolved for this machine: {@code !Ref} of the table and bucket become the emulators'
 * names, {@code !Ref} of a parameter becomes its local value (or its template default), the Secrets
 * Manager ARN of the Runway key is replaced by the local-only {@code RUNWAYML_API_SECRET}, {@code !Ref} of an SQS
 * queue (its URL) becomes empty (there is no queue locally), and the
 * emulators' {@code AWS_*} variables and the stack's local-only settings are added.
 */
final class FunctionEnvironment {
    /** The template parameter holding the ARN of the Runway key's secret; never set locally. */
    static final String RUNWAY_KEY_SECRET_PARAMETER = "RunwayApiKeySecretArn";
    /** The variable that carries the Runway key itself in local mode (see {@code RunwaySettings}). */
    static final String LOCAL_RUNWAY_KEY = "RUNWAYML_API_SECRET";

    private FunctionEnvironment() {
    }

    /**
     * What the local stack substitutes.
     *
     * @param table      the task table's name ({@code !Ref} of the {@code AWS::DynamoDB::Table})
     * @param bucket     the archive bucket's name ({@code !Ref} of the {@code AWS::S3::Bucket})
     * @param parameters local values of template parameters; others fall back to their defaults
     * @param runwayKey  the Runway key (the simulator's, or a real one)
     * @param aws        the emulators' {@code AWS_*} variables, added to every function
     * @param overrides  local values of variables, used only where the template sets that variable
     * @param localOnly  variables only the local stack sets (never the template), added to every function
     */
    record LocalValues(String table, String bucket, Map<String, String> parameters, String runwayKey,
                       Map<String, String> aws, Map<String, String> overrides, Map<String, String> localOnly) {
        LocalValues {
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(runwayKey, "runwayKey");
            parameters = Map.copyOf(parameters);
            aws = Map.copyOf(aws);
            overrides = Map.copyOf(overrides);
            localOnly = Map.copyOf(localOnly);
        }
    }

    /**
     * The function's environment, in template order (overridden values in place), then the {@code AWS_*}
     * variables, then the local-only ones.
     *
     * @throws IllegalArgumentException naming the function and variable when a template value cannot be
     *     resolved locally (an unknown resource, a parameter without default or local value, another intrinsic)
     */
    static Map<String, String> resolve(StackTemplate template, FunctionSpec function, LocalValues local) {
        Map<String, String> env = new LinkedHashMap<>();
        function.environment().forEach((name, raw) -> {
            if (raw instanceof Map<?, ?> intrinsic && RUNWAY_KEY_SECRET_PARAMETER.equals(intrinsic.get("Ref"))) {
                env.put(LOCAL_RUNWAY_KEY, local.runwayKey());
            } else if (local.overrides().containsKey(name)) {
                env.put(name, local.overrides().get(name));
            } else {
                env.put(name, value(template, function, name, raw, local));
            }
        });
        env.putAll(local.aws());
        env.putAll(local.localOnly());
        return env;
    }

    private static String value(StackTemplate template, FunctionSpec function, String variable, Object raw, LocalValues local) {
        String where = function.logicalId() + ": environment variable " + variable;
        if (raw instanceof Map<?, ?> intrinsic) {
            if (intrinsic.size() == 1 && intrinsic.get("Ref") instanceof String ref) {
                if (template.hasParameter(ref)) {
                    String value = local.parameters().get(ref);
                    if (value != null) {
                        return value;
                    }
                    return template.parameterDefault(ref).orElseThrow(() -> new IllegalArgumentException(
                            where + " refers to parameter " + ref + ", which has no default and no local value"));
                }
                String type = template.resourceType(ref).orElseThrow(() -> new IllegalArgumentException(
                        where + " refers to " + ref + ", which is neither a parameter nor a resource of " + template.origin()));
                return switch (type) {
                    case "AWS::DynamoDB::Table" -> local.table();
                    case "AWS::S3::Bucket" -> local.bucket();
                    // No SQS locally: a queue's URL is empty, and a function reading it reports the queue as
                    // not available (the stack's stand-ins are local-only variables, e.g. RELAY_STREAM_FAILURE_FILE).
                    case "AWS::SQS::Queue" -> "";
                    default -> throw new IllegalArgumentException(where + " refers to " + ref + " (" + type
                            + "); the local stack only resolves the table, the bucket and queues (as empty)");
                };
            }
            throw new IllegalArgumentException(where + " uses " + intrinsic.keySet()
                    + "; the local stack resolves only !Ref of parameters, the table, the bucket and queues");
        }
        if (raw == null || raw instanceof List<?>) {
            throw new IllegalArgumentException(where + " must be a scalar, found " + raw);
        }
        return String.valueOf(raw);
    }
}
