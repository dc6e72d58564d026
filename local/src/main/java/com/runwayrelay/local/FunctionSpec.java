package com.runwayrelay.local;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What {@code template.yaml} says about one function, as far as running it locally goes.
 *
 * @param logicalId           the template's logical id, e.g. {@code SubmitFunction}
 * @param handlerClass        fully qualified handler class ({@code Handler} before {@code ::})
 * @param timeout             {@code Timeout} (function, else {@code Globals}, else Lambda's 3 s)
 * @param memoryMb            {@code MemorySize} (function, else {@code Globals}, else 128)
 * @param reservedConcurrency {@code ReservedConcurrentExecutions}, if set
 * @param environment         environment variables, {@code Globals} first then the function's, values
 *                            as the template reader gives them (scalars or intrinsic-function maps)
 * @param routes              its {@code HttpApi} events
 * @param streams             its {@code DynamoDB} events
 * @param schedules           its {@code ScheduleV2}/{@code Schedule} events
 */
record FunctionSpec(
        String logicalId,
        String handlerClass,
        Duration timeout,
        int memoryMb,
        OptionalInt reservedConcurrency,
        Map<String, Object> environment,
        List<HttpRoute> routes,
        List<StreamSubscription> streams,
        List<Schedule> schedules) {

    FunctionSpec {
        Objects.requireNonNull(logicalId, "logicalId");
        Objects.requireNonNull(handlerClass, "handlerClass");
        environment = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(environment));
        routes = List.copyOf(routes);
        streams = List.copyOf(streams);
        schedules = List.copyOf(schedules);
    }

    /**
     * One HTTP API route.
     *
     * @param method     upper-case HTTP method, or {@code ANY}
     * @param path       path template such as {@code /v1/tasks/{id}}
     * @param authorizer the event's {@code Auth.Authorizer}: {@link #IAM} or {@link #NONE}
     */
    record HttpRoute(String method, String path, String authorizer) {
        /** SigV4-signed by an IAM principal. */
        static final String IAM = "AWS_IAM";
        /** No authorizer: the function authenticates the caller itself. */
        static final String NONE = "NONE";

        HttpRoute {
            authorizer = authorizer == null ? NONE : authorizer;
        }

        /** A route without an authorizer. */
        HttpRoute(String method, String path) {
            this(method, path, NONE);
        }

        /** API Gateway's route key, e.g. {@code GET /v1/tasks/{id}}. */
        String routeKey() {
            return method + " " + path;
        }
    }

    /**
     * One DynamoDB stream event source.
     *
     * @param name              the event's name in the template
     * @param batchSize         {@code BatchSize} (Lambda's default 100)
     * @param maxRetries        {@code MaximumRetryAttempts}; -1 retries until the record expires
     * @param reportItemFailures whether {@code FunctionResponseTypes} has {@code ReportBatchItemFailures}
     * @param filterPatterns    the {@code FilterCriteria} patterns, JSON text; a record passes if any matches
     * @param parallelization   {@code ParallelizationFactor} (1 to 10): batches of one shard handled at once,
     *                          records of one item key always in the same lane
     */
    record StreamSubscription(String name, int batchSize, int maxRetries, boolean reportItemFailures,
                              List<String> filterPatterns, int parallelization) {
        StreamSubscription {
            filterPatterns = List.copyOf(filterPatterns);
            if (parallelization < 1 || parallelization > 10) {
                throw new IllegalArgumentException(name + ": ParallelizationFactor must be 1 to 10, found " + parallelization);
            }
        }

        /** One batch per shard at a time (no {@code ParallelizationFactor}). */
        StreamSubscription(String name, int batchSize, int maxRetries, boolean reportItemFailures, List<String> filterPatterns) {
            this(name, batchSize, maxRetries, reportItemFailures, filterPatterns, 1);
        }
    }

    /**
     * One schedule.
     *
     * @param name       the event's name in the template
     * @param expression e.g. {@code rate(1 minute)}
     * @param input      the JSON input the schedule sends, if the template sets one
     */
    record Schedule(String name, String expression, String input) {
    }
}
