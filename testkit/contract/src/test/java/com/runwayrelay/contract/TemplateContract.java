package com.runwayrelay.contract;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.aws.config.AwsSettings;
import com.runwayrelay.aws.config.Env;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.testkit.aws.CloudFormationTemplate;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks {@code template.yaml} against the code: handler classes and methods, {@code CodeUri}s,
 * environment variables each function's configuration record reads, the states stream filters
 * name, the {@code events/} fixtures, and that an Idempotency-Key claim's lease
 * ({@code RELAY_SUBMIT_TIMEOUT_SECONDS}) is not shorter than the function's {@code Timeout}. {@link #problems()} lists every mismatch found; an
 * empty list means the template and the code agree.
 */
final class TemplateContract {
    private static final String FUNCTION = "AWS::Serverless::Function";
    private static final Pattern FINAL_NAME = Pattern.compile("<finalName>([^<]+)</finalName>");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LEASE_VARIABLE = "RELAY_SUBMIT_TIMEOUT_SECONDS";
    private static final Pattern RATE = Pattern.compile("rate\\((\\d+) (second|seconds|minute|minutes|hour|hours)\\)");

    private final CloudFormationTemplate template;
    private final Path repo;
    private final List<String> problems = new ArrayList<>();

    TemplateContract(CloudFormationTemplate template, Path repo) {
        this.template = template;
        this.repo = repo;
    }

    /** Every mismatch between the template and the code, each naming the function and what is wrong. */
    List<String> problems() throws IOException {
        problems.clear();
        Map<String, Map<String, Object>> functions = template.resourcesOfType(FUNCTION);
        if (functions.isEmpty()) {
            problems.add("the template declares no " + FUNCTION);
        }
        Map<String, Class<?>> handlerByDirectory = new HashMap<>();
        for (var entry : functions.entrySet()) {
            String name = entry.getKey();
            Map<String, Object> props = map(entry.getValue().get("Properties"));
            Class<?> handler = checkHandler(name, props);
            if (handler != null) {
                Path moduleDir = moduleDirectoryOf(handler);
                checkCodeUri(name, props, moduleDir);
                checkEnvironment(name, props, handler);
                checkClaimLease(name, props);
                checkPollerCoverage(name, props);
                handlerByDirectory.put(moduleDir.getFileName().toString(), handler);
            }
            checkStreamFilters(name, props);
        }
        checkEvents(handlerByDirectory, functions);
        return List.copyOf(problems);
    }

    private Class<?> checkHandler(String function, Map<String, Object> props) {
        Object handlerValue = props.get("Handler");
        if (!(handlerValue instanceof String handler) || !handler.contains("::")) {
            problems.add(function + ": Handler must be 'class::method' (got " + handlerValue + ")");
            return null;
        }
        String className = handler.substring(0, handler.indexOf("::"));
        String methodName = handler.substring(handler.indexOf("::") + 2);
        Class<?> type;
        try {
            type = Class.forName(className, false, getClass().getClassLoader());
        } catch (ClassNotFoundException e) {
            problems.add(function + ": Handler class " + className + " does not exist");
            return null;
        }
        if (!RequestHandler.class.isAssignableFrom(type)) {
            problems.add(function + ": " + className + " does not implement RequestHandler");
            return null;
        }
        try {
            if (!Modifier.isPublic(type.getConstructor().getModifiers())) {
                problems.add(function + ": " + className + " has no public no-arg constructor");
            }
        } catch (NoSuchMethodException e) {
            problems.add(function + ": " + className + " has no public no-arg constructor for the Lambda runtime");
        }
        boolean found = Arrays.stream(type.getMethods())
                .anyMatch(m -> m.getName().equals(methodName) && m.getParameterCount() == 2
                        && m.getParameterTypes()[1] == Context.class);
        if (!found) {
            problems.add(function + ": Handler method " + className + "::" + methodName + " does not exist");
        } else if (hasHttpApiEvents(props)) {
            checkTakesBytes(function, type, methodName);
        }
        return type;
    }

    private static boolean hasHttpApiEvents(Map<String, Object> props) {
        return map(props.get("Events")).values().stream().anyMatch(event -> "HttpApi".equals(map(event).get("Type")));
    }

    /**
     * An HTTP API function must take the invocation's bytes (HttpApiStreamHandler, docs/decisions.md): of the
     * methods named in the template, the Lambda runtime calls a non-bridge one before a bridge, then the one with
     * the most parameters (a last {@code Context} counting as two); that one must be (InputStream, OutputStream, Context).
     */
    private void checkTakesBytes(String function, Class<?> type, String methodName) {
        Comparator<Method> runtimeOrder = Comparator.comparing(Method::isBridge)
                .thenComparing(Comparator.comparingInt(TemplateContract::runtimeWeight).reversed());
        Method chosen = Arrays.stream(type.getMethods())
                .filter(m -> m.getName().equals(methodName))
                .min(runtimeOrder)
                .orElseThrow();
        if (!Arrays.equals(chosen.getParameterTypes(), new Class<?>[] {InputStream.class, OutputStream.class, Context.class})) {
            problems.add(function + ": has HTTP API events, but the Lambda runtime would call " + type.getName() + "::"
                    + methodName + Arrays.toString(chosen.getParameterTypes()) + " with its own event serializer,"
                    + " not the byte-stream overload (implement HttpApiStreamHandler)");
        }
    }

    private static int runtimeWeight(Method method) {
        Class<?>[] parameters = method.getParameterTypes();
        boolean lastIsContext = parameters.length > 0 && parameters[parameters.length - 1] == Context.class;
        return parameters.length + (lastIsContext ? 1 : 0);
    }

    private void checkCodeUri(String function, Map<String, Object> props, Path moduleDir) throws IOException {
        String finalName = assemblyFinalName();
        String expected = repo.relativize(moduleDir).resolve("target").resolve(finalName + ".zip").toString()
                .replace('\\', '/');
        Object codeUri = props.get("CodeUri");
        if (!expected.equals(codeUri)) {
            problems.add(function + ": CodeUri is " + codeUri + " but the build produces " + expected);
        }
    }

    private void checkEnvironment(String function, Map<String, Object> props, Class<?> handler) {
        Map<String, Object> variables = new HashMap<>(variables(template.globals().get("Function")));
        variables.putAll(variables(props));
        Map<String, String> env = new HashMap<>();
        variables.forEach((k, v) -> env.put(k, placeholder(v)));

        String prefix = handler.getSimpleName().replaceFirst("Handler$", "");
        String configName = handler.getPackageName() + "." + prefix + "Config";
        Env recording = new Env(env);
        try {
            Method from = Class.forName(configName).getMethod("from", Env.class);
            from.invoke(null, recording);
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            problems.add(function + ": no configuration record " + configName + ".from(Env)");
            return;
        } catch (InvocationTargetException e) {
            // A configuration complaint about placeholder values is fine: what matters is which names it read.
        } catch (IllegalAccessException e) {
            problems.add(function + ": " + configName + ".from(Env) is not public");
            return;
        }
        Set<String> missing = new TreeSet<>(recording.namesRead());
        missing.removeAll(variables.keySet());
        missing.removeAll(AwsSettings.STANDARD_VARIABLES);
        for (String name : missing) {
            problems.add(function + ": " + configName + " reads " + name + " but the template does not set it");
        }
    }

    /**
     * {@code RELAY_SUBMIT_TIMEOUT_SECONDS} is how long an Idempotency-Key claim outlives its request:
     * shorter than the function's {@code Timeout}, a retry could take over a claim whose request is still running.
     */
    private void checkClaimLease(String function, Map<String, Object> props) {
        Object lease = variables(props).get(LEASE_VARIABLE);
        if (lease == null) {
            return;
        }
        Object timeout = props.getOrDefault("Timeout", map(template.globals().get("Function")).get("Timeout"));
        try {
            long leaseSeconds = Long.parseLong(placeholder(lease));
            long timeoutSeconds = timeout == null ? 3 : Long.parseLong(placeholder(timeout));
            if (leaseSeconds < timeoutSeconds) {
                problems.add(function + ": " + LEASE_VARIABLE + " is " + leaseSeconds + " but the function's Timeout is "
                        + timeoutSeconds + "; the claim lease must last at least as long as the function can run");
            }
        } catch (NumberFormatException e) {
            problems.add(function + ": " + LEASE_VARIABLE + " (" + lease + ") and Timeout (" + timeout
                    + ") must be whole numbers of seconds");
        }
    }

    /**
     * A scheduled poller ({@code RELAY_POLLER_RUN_SECONDS} and a {@code rate(…)} schedule) must claim work for
     * the whole interval between two invocations: its claim window ({@code RELAY_POLLER_RUN_SECONDS}, cut to
     * {@code Timeout} less the poller's claim margin) at least the rate, or reads falling due in the gap wait for
     * the next invocation. The invocations then overlap, so {@code ReservedConcurrentExecutions} must let as many
     * run at once as a {@code Timeout} spans, or the next one is throttled.
     */
    private void checkPollerCoverage(String function, Map<String, Object> props) {
        Object run = variables(props).get("RELAY_POLLER_RUN_SECONDS");
        if (run == null) {
            return;
        }
        for (Object event : map(props.get("Events")).values()) {
            Map<String, Object> eventProps = map(map(event).get("Properties"));
            Object expression = eventProps.get("ScheduleExpression");
            if (expression == null) {
                continue;
            }
            Matcher rate = RATE.matcher(String.valueOf(expression).trim());
            if (!rate.matches()) {
                problems.add(function + ": schedule " + expression + " is not a rate(…) expression");
                continue;
            }
            long rateSeconds = Long.parseLong(rate.group(1)) * (rate.group(2).startsWith("minute") ? 60
                    : rate.group(2).startsWith("hour") ? 3600 : 1);
            Object timeout = props.getOrDefault("Timeout", map(template.globals().get("Function")).get("Timeout"));
            long timeoutSeconds = timeout == null ? 3 : Long.parseLong(placeholder(timeout));
            long claimSeconds = Math.min(Long.parseLong(placeholder(run)), timeoutSeconds - pollerClaimMarginSeconds());
            if (claimSeconds < rateSeconds) {
                problems.add(function + ": an invocation claims work for " + claimSeconds + " s (RELAY_POLLER_RUN_SECONDS, "
                        + "Timeout less the claim margin) but one starts every " + rateSeconds + " s; reads falling due in "
                        + "between wait for the next invocation");
            }
            Object reserved = props.get("ReservedConcurrentExecutions");
            long overlapping = (timeoutSeconds + rateSeconds - 1) / rateSeconds;
            if (reserved == null || Long.parseLong(placeholder(reserved)) < overlapping) {
                problems.add(function + ": up to " + overlapping + " invocations run at once (Timeout " + timeoutSeconds
                        + " s, one every " + rateSeconds + " s) but ReservedConcurrentExecutions is " + reserved);
            }
        }
    }

    /** The poller's {@code ScheduledPoll.CLAIM_MARGIN}: read from the code, so the check follows it. */
    private static long pollerClaimMarginSeconds() {
        try {
            java.lang.reflect.Field margin = Class.forName("com.runwayrelay.poller.ScheduledPoll").getDeclaredField("CLAIM_MARGIN");
            margin.setAccessible(true);
            return ((java.time.Duration) margin.get(null)).toSeconds();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the poller's ScheduledPoll.CLAIM_MARGIN cannot be read", e);
        }
    }

    /** A value shaped like what CloudFormation would put there: parameter defaults, or a plausible string. */
    private String placeholder(Object value) {
        if (value instanceof Map<?, ?> intrinsic && intrinsic.get("Ref") instanceof String ref) {
            Object declaration = template.parameters().get(ref);
            if (declaration instanceof Map<?, ?> param && param.get("Default") != null) {
                return String.valueOf(param.get("Default"));
            }
            return "placeholder-" + ref;
        }
        return value instanceof Map<?, ?> ? "placeholder" : String.valueOf(value);
    }

    private void checkStreamFilters(String function, Map<String, Object> props) throws IOException {
        Set<String> known = new LinkedHashSet<>();
        for (TaskState state : TaskState.values()) {
            known.add(state.name());
        }
        for (Object event : map(props.get("Events")).values()) {
            Map<String, Object> eventMap = map(event);
            if (!"DynamoDB".equals(eventMap.get("Type"))) {
                continue;
            }
            Map<String, Object> eventProps = map(eventMap.get("Properties"));
            Object filters = map(eventProps.get("FilterCriteria")).get("Filters");
            if (!(filters instanceof List<?> list) || list.isEmpty()) {
                problems.add(function + ": DynamoDB stream event without FilterCriteria (it would see every change)");
                continue;
            }
            for (Object filter : list) {
                String pattern = String.valueOf(map(filter).get("Pattern"));
                JsonNode dynamodb = JSON.readTree(pattern).path("dynamodb");
                for (String image : List.of("NewImage", "OldImage")) {
                    for (String state : stringsUnder(dynamodb.path(image).path("state").path("S"))) {
                        if (!known.contains(state)) {
                            problems.add(function + ": stream filter names state " + state
                                    + ", which TaskState does not have");
                        }
                    }
                }
            }
        }
    }

    private static List<String> stringsUnder(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isTextual()) {
            out.add(node.asText());
        } else if (node.isContainerNode()) {
            node.forEach(child -> out.addAll(stringsUnder(child)));
        }
        return out;
    }

    private void checkEvents(Map<String, Class<?>> handlerByDirectory, Map<String, Map<String, Object>> functions)
            throws IOException {
        Path events = repo.resolve("events");
        if (!Files.isDirectory(events)) {
            problems.add("events/ does not exist");
            return;
        }
        try (Stream<Path> files = Files.walk(events)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                String relative = repo.relativize(file).toString();
                String directory = file.getParent().getFileName().toString();
                Class<?> handler = handlerByDirectory.get(directory);
                if (handler == null) {
                    problems.add(relative + ": no function in the template is built from functions/" + directory);
                    continue;
                }
                checkEvent(relative, file, eventType(handler), routes(functions, handler));
            }
        }
    }

    private void checkEvent(String relative, Path file, Class<?> type, Set<String> routes) {
        Object event;
        try {
            event = EventLoader.loadEvent(file.toString(), type);
        } catch (RuntimeException e) {
            problems.add(relative + ": does not deserialize into " + type.getSimpleName() + ": " + e.getMessage());
            return;
        }
        String complaint = switch (event) {
            case null -> "deserialized to nothing";
            case APIGatewayV2HTTPEvent http -> http.getRouteKey() == null || http.getRequestContext() == null
                    || http.getRequestContext().getHttp() == null ? "lacks routeKey or requestContext.http"
                    : routes.contains(http.getRouteKey()) ? null
                    : "routeKey '" + http.getRouteKey() + "' is not a route of this function " + routes;
            case DynamodbEvent stream -> stream.getRecords() == null || stream.getRecords().isEmpty()
                    || stream.getRecords().stream().anyMatch(r -> r.getDynamodb() == null
                    || r.getDynamodb().getNewImage() == null || r.getDynamodb().getSequenceNumber() == null)
                    ? "needs records with dynamodb.NewImage and SequenceNumber" : null;
            case ScheduledEvent scheduled -> scheduled.getTime() == null ? "lacks time" : null;
            default -> null;
        };
        if (complaint != null) {
            problems.add(relative + ": " + complaint);
        }
    }

    private static Set<String> routes(Map<String, Map<String, Object>> functions, Class<?> handler) {
        Set<String> routes = new TreeSet<>();
        for (Map<String, Object> function : functions.values()) {
            Map<String, Object> props = map(function.get("Properties"));
            if (!String.valueOf(props.get("Handler")).startsWith(handler.getName() + "::")) {
                continue;
            }
            for (Object event : map(props.get("Events")).values()) {
                Map<String, Object> eventProps = map(map(event).get("Properties"));
                if ("HttpApi".equals(map(event).get("Type"))) {
                    routes.add(eventProps.get("Method") + " " + eventProps.get("Path"));
                }
            }
        }
        return routes;
    }

    private static Class<?> eventType(Class<?> handler) {
        for (Type type : handler.getGenericInterfaces()) {
            if (type instanceof ParameterizedType p && p.getRawType() == RequestHandler.class
                    && p.getActualTypeArguments()[0] instanceof Class<?> event) {
                return event;
            }
        }
        return Object.class;
    }

    /**
     * The function module a handler class was compiled in: found from where the class was loaded
     * (.../functions/x/target/classes or .../target/x.jar in a reactor build; a jar named after the
     * module's artifactId when it comes from the local repository).
     */
    private Path moduleDirectoryOf(Class<?> handler) throws IOException {
        Path location;
        try {
            location = Path.of(handler.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        for (Path p = location.getParent(); p != null; p = p.getParent()) {
            if (p.getFileName() != null && p.getFileName().toString().equals("target")) {
                return p.getParent().toAbsolutePath().normalize();
            }
        }
        String jar = location.getFileName().toString();
        try (Stream<Path> poms = Files.list(repo.resolve("functions"))) {
            for (Path dir : poms.filter(Files::isDirectory).toList()) {
                Path pom = dir.resolve("pom.xml");
                if (Files.exists(pom)) {
                    Matcher m = Pattern.compile("</parent>\\s*<artifactId>([^<]+)</artifactId>")
                            .matcher(Files.readString(pom));
                    if (m.find() && jar.startsWith(m.group(1) + "-")) {
                        return dir.toAbsolutePath().normalize();
                    }
                }
            }
        }
        throw new IllegalStateException(handler + " was loaded from " + location + ", not from a function module");
    }

    private String assemblyFinalName() throws IOException {
        Matcher m = FINAL_NAME.matcher(Files.readString(repo.resolve("functions/pom.xml")));
        if (!m.find()) {
            throw new IllegalStateException("functions/pom.xml configures no assembly finalName");
        }
        return m.group(1);
    }

    private static Map<String, Object> variables(Object functionOrProps) {
        return map(map(map(functionOrProps).get("Environment")).get("Variables"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
