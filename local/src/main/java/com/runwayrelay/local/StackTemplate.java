package com.runwayrelay.local;

import com.runwayrelay.testkit.aws.CloudFormationTemplate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The functions of {@code template.yaml} and the parameters they refer to: the one description the
 * local stack runs, so routes, environment, stream filters and schedules cannot drift from what gets
 * deployed.
 */
final class StackTemplate {
    private static final String FUNCTION = "AWS::Serverless::Function";

    private final CloudFormationTemplate template;
    private final List<FunctionSpec> functions;

    private StackTemplate(CloudFormationTemplate template, List<FunctionSpec> functions) {
        this.template = template;
        this.functions = functions;
    }

    /** The project's template, as shipped on the classpath by the emulators module. */
    static StackTemplate fromClasspath() {
        return from(CloudFormationTemplate.fromClasspath());
    }

    /**
     * Reads every {@value #FUNCTION}.
     *
     * @throws IllegalArgumentException naming the function and property when a value has an unexpected shape
     */
    static StackTemplate from(CloudFormationTemplate template) {
        Map<String, Object> globals = map(template.globals().get("Function"), "Globals.Function");
        List<FunctionSpec> functions = new ArrayList<>();
        template.resourcesOfType(FUNCTION).forEach((id, resource) ->
                functions.add(function(id, map(resource.get("Properties"), id + ".Properties"), globals)));
        return new StackTemplate(template, List.copyOf(functions));
    }

    /** Every function, in template order. */
    List<FunctionSpec> functions() {
        return functions;
    }

    /**
     * One function by logical id.
     *
     * @throws IllegalArgumentException naming the known ids if there is none
     */
    FunctionSpec function(String logicalId) {
        return functions.stream().filter(f -> f.logicalId().equals(logicalId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no function " + logicalId + " in " + template.origin()
                        + "; functions: " + functions.stream().map(FunctionSpec::logicalId).toList()));
    }

    /** A parameter's {@code Default}, if it has one. */
    Optional<String> parameterDefault(String name) {
        Object declaration = template.parameters().get(name);
        if (declaration instanceof Map<?, ?> map && map.get("Default") != null) {
            return Optional.of(String.valueOf(map.get("Default")));
        }
        return Optional.empty();
    }

    /** Whether {@code name} is a declared parameter. */
    boolean hasParameter(String name) {
        return template.parameters().containsKey(name);
    }

    /** A resource's {@code Type}, if the template declares that logical id. */
    Optional<String> resourceType(String logicalId) {
        Map<String, Object> resource = template.resources().get(logicalId);
        return resource == null ? Optional.empty() : Optional.ofNullable((String) resource.get("Type"));
    }

    /** Where the template was read from. */
    String origin() {
        return template.origin();
    }

    private static FunctionSpec function(String id, Map<String, Object> props, Map<String, Object> globals) {
        Object handler = props.getOrDefault("Handler", globals.get("Handler"));
        if (!(handler instanceof String text) || !text.contains("::")) {
            throw new IllegalArgumentException(id + ": Handler must be 'class::method', found " + handler);
        }
        Duration timeout = Duration.ofSeconds(integer(props.getOrDefault("Timeout", globals.getOrDefault("Timeout", 3)), id + ".Timeout"));
        int memory = integer(props.getOrDefault("MemorySize", globals.getOrDefault("MemorySize", 128)), id + ".MemorySize");
        Object reserved = props.get("ReservedConcurrentExecutions");
        OptionalInt reservedConcurrency = reserved == null ? OptionalInt.empty()
                : OptionalInt.of(integer(reserved, id + ".ReservedConcurrentExecutions"));

        Map<String, Object> environment = new LinkedHashMap<>(variables(globals, "Globals.Function"));
        environment.putAll(variables(props, id));

        List<FunctionSpec.HttpRoute> routes = new ArrayList<>();
        List<FunctionSpec.StreamSubscription> streams = new ArrayList<>();
        List<FunctionSpec.Schedule> schedules = new ArrayList<>();
        map(props.get("Events"), id + ".Events").forEach((name, value) -> {
            String where = id + ".Events." + name;
            Map<String, Object> event = map(value, where);
            Map<String, Object> eventProps = map(event.get("Properties"), where + ".Properties");
            switch (String.valueOf(event.get("Type"))) {
                case "HttpApi" -> routes.add(new FunctionSpec.HttpRoute(
                        String.valueOf(eventProps.getOrDefault("Method", "ANY")).toUpperCase(java.util.Locale.ROOT),
                        String.valueOf(eventProps.getOrDefault("Path", "/{proxy+}")), authorizer(eventProps, where)));
                case "DynamoDB" -> streams.add(stream(name, eventProps, where));
                case "ScheduleV2", "Schedule" -> schedules.add(new FunctionSpec.Schedule(name,
                        String.valueOf(eventProps.get("ScheduleExpression")),
                        eventProps.get("Input") == null ? null : String.valueOf(eventProps.get("Input"))));
                default -> throw new IllegalArgumentException(where + ": event type " + event.get("Type")
                        + " is not run by the local stack (it runs HttpApi, DynamoDB, ScheduleV2 and Schedule)");
            }
        });
        return new FunctionSpec(id, text.substring(0, text.indexOf("::")), timeout, memory, reservedConcurrency,
                environment, routes, streams, schedules);
    }

    /** The route's {@code Auth.Authorizer}; only {@code AWS_IAM} (or none) is run locally. */
    private static String authorizer(Map<String, Object> eventProps, String where) {
        Object auth = eventProps.get("Auth");
        if (auth == null) {
            return FunctionSpec.HttpRoute.NONE;
        }
        Object authorizer = map(auth, where + ".Auth").get("Authorizer");
        String name = authorizer == null ? FunctionSpec.HttpRoute.NONE : String.valueOf(authorizer);
        if (!name.equals(FunctionSpec.HttpRoute.IAM) && !name.equals(FunctionSpec.HttpRoute.NONE)) {
            throw new IllegalArgumentException(where + ".Auth.Authorizer: " + name
                    + " is not run by the local stack (it runs AWS_IAM and NONE)");
        }
        return name;
    }

    private static FunctionSpec.StreamSubscription stream(String name, Map<String, Object> props, String where) {
        int batchSize = integer(props.getOrDefault("BatchSize", 100), where + ".BatchSize");
        int maxRetries = integer(props.getOrDefault("MaximumRetryAttempts", -1), where + ".MaximumRetryAttempts");
        boolean itemFailures = props.get("FunctionResponseTypes") instanceof List<?> types
                && types.contains("ReportBatchItemFailures");
        List<String> patterns = new ArrayList<>();
        Object criteria = props.get("FilterCriteria");
        if (criteria != null) {
            Object filters = map(criteria, where + ".FilterCriteria").get("Filters");
            if (!(filters instanceof List<?> list)) {
                throw new IllegalArgumentException(where + ".FilterCriteria.Filters must be a list");
            }
            for (Object filter : list) {
                Object pattern = map(filter, where + ".FilterCriteria.Filters[]").get("Pattern");
                if (!(pattern instanceof String text)) {
                    throw new IllegalArgumentException(where + ": a filter Pattern must be JSON text, found " + pattern);
                }
                patterns.add(text);
            }
        }
        int parallelization = integer(props.getOrDefault("ParallelizationFactor", 1), where + ".ParallelizationFactor");
        if (parallelization < 1 || parallelization > 10) {
            throw new IllegalArgumentException(where + ".ParallelizationFactor must be 1 to 10, found " + parallelization);
        }
        return new FunctionSpec.StreamSubscription(name, batchSize, maxRetries, itemFailures, patterns, parallelization);
    }

    private static Map<String, Object> variables(Map<String, Object> props, String where) {
        Map<String, Object> environment = map(props.get("Environment"), where + ".Environment");
        return map(environment.get("Variables"), where + ".Environment.Variables");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String where) {
        if (value == null) {
            return Map.of();
        }
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new IllegalArgumentException(where + " must be a mapping, found " + value);
    }

    private static int integer(Object value, String where) {
        if (value instanceof Number number) {
            return number.intValue();
        }
        try {
            return Integer.parseInt(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + " must be a whole number, found " + value, e);
        }
    }
}
