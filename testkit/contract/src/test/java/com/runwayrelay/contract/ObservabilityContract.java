package com.runwayrelay.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.aws.config.MetricsSettings;
import com.runwayrelay.aws.metrics.EmfMetrics;
import com.runwayrelay.domain.metrics.RelayMetric;
import com.runwayrelay.testkit.aws.CloudFormationTemplate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the template's logging, alarms and dashboard against what the code emits: every function
 * logs JSON and is told the metrics' namespace and service; every alarm and every dashboard metric
 * of the gateway's namespace names a {@link RelayMetric} with exactly its dimensions ({@code Service}
 * first, then the metric's own, closed ones with a value the code can record); AWS metrics name this
 * stack's own functions and queues; every function's errors and throttles are alarmed, both parked
 * queues too; and the dashboard shows every metric. {@link #problems()} lists what is wrong.
 */
final class ObservabilityContract {
    static final String NAMESPACE_PARAMETER = "MetricsNamespace";
    static final String SERVICE_PARAMETER = "MetricsServiceName";
    static final String ALARM_TOPIC = "AlarmTopic";
    private static final String FUNCTION = "AWS::Serverless::Function";
    private static final String ALARM = "AWS::CloudWatch::Alarm";
    private static final String DASHBOARD = "AWS::CloudWatch::Dashboard";
    private static final Set<String> PARKING_QUEUES = Set.of("StreamFailureQueue", "PollerDeadLetterQueue");
    /** {@code SEARCH('{ns,Dim1,Dim2} MetricName="X" …', …)} in a dashboard expression. */
    private static final Pattern SEARCH = Pattern.compile("SEARCH\\('\\{([^}]*)\\}\\s+MetricName=\"([^\"]+)\"");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NAMESPACE_TOKEN = "@namespace@";

    private final CloudFormationTemplate template;
    private final List<String> problems = new ArrayList<>();

    ObservabilityContract(CloudFormationTemplate template) {
        this.template = template;
    }

    List<String> problems() {
        problems.clear();
        Map<String, Map<String, Object>> functions = template.resourcesOfType(FUNCTION);
        for (String function : functions.keySet()) {
            checkLogging(function, functions.get(function));
            checkMetricsVariables(function, functions.get(function));
        }
        Map<String, Set<String>> alarmedLambdaMetrics = new HashMap<>();
        Set<String> alarmedQueues = new TreeSet<>();
        for (var alarm : template.resourcesOfType(ALARM).entrySet()) {
            checkAlarm(alarm.getKey(), map(alarm.getValue().get("Properties")), alarmedLambdaMetrics, alarmedQueues);
        }
        for (String function : functions.keySet()) {
            for (String metric : List.of("Errors", "Throttles")) {
                if (!alarmedLambdaMetrics.getOrDefault(metric, Set.of()).contains(function)) {
                    problems.add(function + ": no alarm on its AWS/Lambda " + metric);
                }
            }
        }
        for (String queue : PARKING_QUEUES) {
            if (!alarmedQueues.contains(queue)) {
                problems.add(queue + ": no alarm on the messages parked in it");
            }
        }
        Map<String, Map<String, Object>> dashboards = template.resourcesOfType(DASHBOARD);
        if (dashboards.isEmpty()) {
            problems.add("the template declares no " + DASHBOARD);
        }
        dashboards.forEach((name, dashboard) -> checkDashboard(name, map(dashboard.get("Properties"))));
        return List.copyOf(problems);
    }

    private void checkLogging(String function, Map<String, Object> resource) {
        Map<String, Object> logging = new HashMap<>(map(map(template.globals().get("Function")).get("LoggingConfig")));
        logging.putAll(map(map(resource.get("Properties")).get("LoggingConfig")));
        if (!"JSON".equals(logging.get("LogFormat"))) {
            problems.add(function + ": LoggingConfig.LogFormat is " + logging.get("LogFormat") + ", not JSON");
        }
        for (String level : List.of("ApplicationLogLevel", "SystemLogLevel")) {
            if (!(logging.get(level) instanceof Map<?, ?> ref && ref.get("Ref") instanceof String parameter
                    && template.parameters().containsKey(parameter))) {
                problems.add(function + ": LoggingConfig." + level + " is not set from a parameter");
            }
        }
    }

    private void checkMetricsVariables(String function, Map<String, Object> resource) {
        Map<String, Object> variables = new HashMap<>(variables(template.globals().get("Function")));
        variables.putAll(variables(resource.get("Properties")));
        Map<String, String> expected = Map.of(MetricsSettings.NAMESPACE, NAMESPACE_PARAMETER,
                MetricsSettings.SERVICE, SERVICE_PARAMETER);
        expected.forEach((variable, parameter) -> {
            if (!isRef(variables.get(variable), parameter)) {
                problems.add(function + ": " + variable + " must be !Ref " + parameter + " (the alarms' and dashboard's), is "
                        + variables.get(variable));
            }
        });
    }

    private void checkAlarm(String alarm, Map<String, Object> props, Map<String, Set<String>> lambda, Set<String> queues) {
        if (!(props.get("AlarmActions") instanceof List<?> actions && actions.stream().anyMatch(a -> isRef(a, ALARM_TOPIC)))) {
            problems.add(alarm + ": AlarmActions does not notify " + ALARM_TOPIC);
        }
        List<Map<String, Object>> metrics = new ArrayList<>();
        if (props.containsKey("MetricName")) {
            metrics.add(props);
        }
        if (props.get("Metrics") instanceof List<?> queries) {
            for (Object query : queries) {
                Map<String, Object> stat = map(map(query).get("MetricStat"));
                if (!stat.isEmpty()) {
                    metrics.add(map(stat.get("Metric")));
                }
            }
        }
        if (metrics.isEmpty()) {
            problems.add(alarm + ": names no metric");
        }
        for (Map<String, Object> metric : metrics) {
            Map<String, Object> dimensions = new LinkedHashMap<>();
            if (metric.get("Dimensions") instanceof List<?> list) {
                for (Object dimension : list) {
                    dimensions.put(String.valueOf(map(dimension).get("Name")), map(dimension).get("Value"));
                }
            }
            String name = String.valueOf(metric.get("MetricName"));
            Object namespace = metric.get("Namespace");
            if (isRef(namespace, NAMESPACE_PARAMETER)) {
                checkOwnMetric(alarm, name, dimensions, value -> isRef(value, SERVICE_PARAMETER));
            } else if ("AWS/Lambda".equals(namespace)) {
                Object function = dimensions.get("FunctionName");
                if (dimensions.size() != 1 || !(function instanceof Map<?, ?> ref && ref.get("Ref") instanceof String id
                        && template.resourcesOfType(FUNCTION).containsKey(id))) {
                    problems.add(alarm + ": " + name + " must name one of this stack's functions by FunctionName");
                } else {
                    lambda.computeIfAbsent(name, k -> new TreeSet<>()).add(String.valueOf(((Map<?, ?>) function).get("Ref")));
                }
            } else if ("AWS/SQS".equals(namespace)) {
                Object queue = dimensions.get("QueueName");
                if (queue instanceof Map<?, ?> getAtt && getAtt.get("Fn::GetAtt") instanceof List<?> parts
                        && parts.size() == 2 && "QueueName".equals(parts.get(1))) {
                    queues.add(String.valueOf(parts.get(0)));
                } else {
                    problems.add(alarm + ": " + name + " must name one of this stack's queues by !GetAtt <Queue>.QueueName");
                }
            } else {
                problems.add(alarm + ": namespace " + namespace + " is neither !Ref " + NAMESPACE_PARAMETER
                        + " nor AWS/Lambda or AWS/SQS");
            }
        }
    }

    /** A metric of the gateway's namespace: a known name, exactly its dimensions, values the code can record. */
    private void checkOwnMetric(String where, String name, Map<String, Object> dimensions,
                                Predicate<Object> isService) {
        var metric = RelayMetric.named(name);
        if (metric.isEmpty()) {
            problems.add(where + ": no function emits a metric named " + name);
            return;
        }
        List<String> expected = new ArrayList<>(List.of(EmfMetrics.SERVICE_DIMENSION));
        metric.get().dimensions().forEach(d -> expected.add(d.name()));
        if (!new ArrayList<>(dimensions.keySet()).equals(expected)) {
            problems.add(where + ": " + name + " is emitted with dimensions " + expected + ", not " + dimensions.keySet());
            return;
        }
        if (!isService.test(dimensions.get(EmfMetrics.SERVICE_DIMENSION))) {
            problems.add(where + ": " + name + "'s Service dimension must be the " + SERVICE_PARAMETER + " parameter");
        }
        for (RelayMetric.Dimension dimension : metric.get().dimensions()) {
            Object value = dimensions.get(dimension.name());
            if (!dimension.values().isEmpty() && !dimension.values().contains(String.valueOf(value))) {
                problems.add(where + ": " + name + " is never emitted with " + dimension.name() + "=" + value
                        + " (one of " + new TreeSet<>(dimension.values()) + ")");
            }
        }
    }

    private void checkDashboard(String dashboard, Map<String, Object> props) {
        Object body = props.get("DashboardBody");
        if (!(body instanceof Map<?, ?> sub && sub.get("Fn::Sub") instanceof String text)) {
            problems.add(dashboard + ": DashboardBody must be a !Sub string");
            return;
        }
        String namespace = "${" + NAMESPACE_PARAMETER + "}";
        String service = "${" + SERVICE_PARAMETER + "}";
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            problems.add(dashboard + ": DashboardBody is not JSON: " + e.getOriginalMessage());
            return;
        }
        Set<String> shown = new LinkedHashSet<>();
        for (JsonNode widget : root.path("widgets")) {
            String title = dashboard + " widget '" + widget.path("properties").path("title").asText() + "'";
            for (JsonNode entry : widget.path("properties").path("metrics")) {
                if (entry.size() == 1 && entry.get(0).has("expression")) {
                    // The namespace placeholder holds braces of its own; the search schema's braces are the ones wanted.
                    Matcher search = SEARCH.matcher(entry.get(0).get("expression").asText().replace(namespace, NAMESPACE_TOKEN));
                    while (search.find()) {
                        List<String> keys = List.of(search.group(1).split(","));
                        String name = search.group(2);
                        shown.add(name);
                        checkSearch(title, keys, name, NAMESPACE_TOKEN);
                    }
                    continue;
                }
                List<String> parts = new ArrayList<>();
                entry.forEach(part -> {
                    if (part.isTextual()) {
                        parts.add(part.asText());
                    }
                });
                if (parts.size() < 2 || parts.size() % 2 != 0) {
                    problems.add(title + ": a metric must be [namespace, name, dimension, value, …] in full, got " + entry);
                    continue;
                }
                Map<String, Object> dimensions = new LinkedHashMap<>();
                for (int i = 2; i < parts.size(); i += 2) {
                    dimensions.put(parts.get(i), parts.get(i + 1));
                }
                if (parts.get(0).equals(namespace)) {
                    shown.add(parts.get(1));
                    checkOwnMetric(title, parts.get(1), dimensions, service::equals);
                } else if (!parts.get(0).startsWith("AWS/")) {
                    problems.add(title + ": namespace " + parts.get(0) + " is neither " + namespace + " nor an AWS one");
                }
            }
        }
        for (RelayMetric metric : RelayMetric.values()) {
            if (!shown.contains(metric.metricName())) {
                problems.add(dashboard + ": no widget shows " + metric.metricName());
            }
        }
    }

    private void checkSearch(String where, List<String> keys, String name, String namespace) {
        var metric = RelayMetric.named(name);
        if (metric.isEmpty()) {
            problems.add(where + ": no function emits a metric named " + name);
            return;
        }
        List<String> expected = new ArrayList<>(List.of(namespace, EmfMetrics.SERVICE_DIMENSION));
        metric.get().dimensions().forEach(d -> expected.add(d.name()));
        if (!keys.equals(expected)) {
            problems.add(where + ": SEARCH for " + name + " must use the schema " + expected + ", not " + keys);
        }
    }

    private static boolean isRef(Object value, String target) {
        return value instanceof Map<?, ?> ref && Objects.equals(ref.get("Ref"), target);
    }

    private static Map<String, Object> variables(Object functionOrProps) {
        return map(map(map(functionOrProps).get("Environment")).get("Variables"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
