package com.runwayrelay.testkit.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two read operations of CloudWatch, {@code ListMetrics} and {@code GetMetricData}, on loopback,
 * over the Smithy RPC v2 CBOR protocol the SDK's {@code CloudWatchClient} speaks, answered from
 * values handed to {@link #put} (the local stack feeds it the functions' EMF values; tests feed it
 * directly). Signatures are not checked. Statistics per period: {@code Sum}, {@code SampleCount},
 * {@code Average}, {@code Minimum}, {@code Maximum} and {@code pNN} (nearest rank over the period's
 * values); periods are aligned to the request's {@code StartTime}, and a period without values has
 * no point, as in CloudWatch. At most {@value #MAX_QUERIES} queries per {@code GetMetricData}, as in
 * CloudWatch; {@code ListMetrics} answers pages of {@code pageSize} metrics.
 *
 * <p>Thread-safe. Keeps at most {@value #KEPT_PER_SERIES} values per series (the oldest give way).
 */
public final class CloudWatchEmulator implements AutoCloseable {
    /** CloudWatch's limit on the queries of one {@code GetMetricData}. */
    public static final int MAX_QUERIES = 500;
    static final int KEPT_PER_SERIES = 200_000;
    private static final Pattern PERCENTILE = Pattern.compile("p(\\d{1,2}(?:\\.\\d+)?)");
    private static final CBORMapper CBOR = new CBORMapper();
    private static final CBORFactory FACTORY = new CBORFactory();

    private final HttpServer server;
    private final ExecutorService executor;
    private final int pageSize;
    private final Map<Key, Deque<Value>> values = new LinkedHashMap<>();
    private final List<String> operations = new CopyOnWriteArrayList<>();

    private CloudWatchEmulator(HttpServer server, ExecutorService executor, int pageSize) {
        this.server = server;
        this.executor = executor;
        this.pageSize = pageSize;
    }

    /** A metric: namespace, name and every dimension (CloudWatch tells metrics apart by all three). */
    private record Key(String namespace, String metric, Map<String, String> dimensions) {
    }

    private record Value(long epochMillis, double value) {
    }

    /** Starts on a free loopback port with pages of 500 metrics, as CloudWatch. */
    public static CloudWatchEmulator start() {
        return start(500);
    }

    /** Starts on a free loopback port; {@code ListMetrics} answers at most {@code pageSize} metrics a page. */
    public static CloudWatchEmulator start(int pageSize) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be at least 1");
        }
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
            server.setExecutor(executor);
            CloudWatchEmulator emulator = new CloudWatchEmulator(server, executor, pageSize);
            server.createContext("/", emulator::handle);
            server.start();
            return emulator;
        } catch (IOException e) {
            throw new EmulatorStartException("CloudWatch emulator: " + e.getMessage(), e);
        }
    }

    /** The endpoint to give the SDK ({@code endpointOverride}, {@code AWS_ENDPOINT_URL_CLOUDWATCH}). */
    public URI endpoint() {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort());
    }

    /** Records one value of a metric at {@code timestamp}. */
    public void put(String namespace, String metric, Map<String, String> dimensions, Instant timestamp, double value) {
        Key key = new Key(Objects.requireNonNull(namespace, "namespace"), Objects.requireNonNull(metric, "metric"),
                Collections.unmodifiableMap(new TreeMap<>(dimensions)));
        synchronized (values) {
            Deque<Value> kept = values.computeIfAbsent(key, k -> new ArrayDeque<>());
            if (kept.size() == KEPT_PER_SERIES) {
                kept.removeFirst();
            }
            kept.addLast(new Value(timestamp.toEpochMilli(), value));
        }
    }

    /** The operations received so far, in order (e.g. {@code ListMetrics}, {@code GetMetricData}). */
    public List<String> operations() {
        return List.copyOf(operations);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            String operation = path.substring(path.lastIndexOf('/') + 1);
            operations.add(operation);
            if (!"POST".equals(exchange.getRequestMethod()) || !path.startsWith("/service/")) {
                error(exchange, 404, "UnknownOperationException", "POST /service/<service>/operation/<name> only");
                return;
            }
            JsonNode request = body.length == 0 ? CBOR.createObjectNode() : CBOR.readTree(body);
            try {
                byte[] answer = switch (operation) {
                    case "ListMetrics" -> listMetrics(request);
                    case "GetMetricData" -> getMetricData(request);
                    default -> throw new Invalid(404, "UnknownOperationException", "Not emulated: " + operation);
                };
                exchange.getResponseHeaders().set("smithy-protocol", "rpc-v2-cbor");
                exchange.getResponseHeaders().set("Content-Type", "application/cbor");
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
            } catch (Invalid e) {
                error(exchange, e.status, e.code, e.getMessage());
            }
        }
    }

    private static final class Invalid extends RuntimeException {
        private final int status;
        private final String code;

        Invalid(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CBORGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("__type", "com.amazonaws.cloudwatch#" + code);
            g.writeStringField("message", message);
            g.writeEndObject();
        }
        exchange.getResponseHeaders().set("smithy-protocol", "rpc-v2-cbor");
        exchange.getResponseHeaders().set("Content-Type", "application/cbor");
        exchange.sendResponseHeaders(status, out.size());
        exchange.getResponseBody().write(out.toByteArray());
    }

    private byte[] listMetrics(JsonNode request) throws IOException {
        String namespace = text(request, "Namespace");
        String metricName = text(request, "MetricName");
        List<JsonNode> filters = new ArrayList<>();
        request.path("Dimensions").forEach(filters::add);
        List<Key> matching;
        synchronized (values) {
            matching = values.keySet().stream()
                    .filter(key -> namespace == null || key.namespace().equals(namespace))
                    .filter(key -> metricName == null || key.metric().equals(metricName))
                    .filter(key -> filters.stream().allMatch(filter -> {
                        String value = key.dimensions().get(filter.path("Name").asText());
                        return value != null && (!filter.hasNonNull("Value") || value.equals(filter.get("Value").asText()));
                    }))
                    .sorted(Comparator.comparing(Key::toString))
                    .toList();
        }
        int from = request.hasNonNull("NextToken") ? Integer.parseInt(request.get("NextToken").asText()) : 0;
        int to = Math.min(matching.size(), from + pageSize);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CBORGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("Metrics");
            for (Key key : matching.subList(Math.min(from, to), to)) {
                g.writeStartObject();
                g.writeStringField("Namespace", key.namespace());
                g.writeStringField("MetricName", key.metric());
                writeDimensions(g, key.dimensions());
                g.writeEndObject();
            }
            g.writeEndArray();
            if (to < matching.size()) {
                g.writeStringField("NextToken", Integer.toString(to));
            }
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private byte[] getMetricData(JsonNode request) throws IOException {
        JsonNode queries = request.path("MetricDataQueries");
        if (queries.size() > MAX_QUERIES) {
            throw new Invalid(400, "ValidationError", "The collection MetricDataQueries must not have a size greater than "
                    + MAX_QUERIES + ".");
        }
        long start = epochMillis(request, "StartTime");
        long end = epochMillis(request, "EndTime");
        if (end <= start) {
            throw new Invalid(400, "ValidationError", "The parameter StartTime must be less than the parameter EndTime.");
        }
        boolean ascending = "TimestampAscending".equals(text(request, "ScanBy"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CBORGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("MetricDataResults");
            for (JsonNode query : queries) {
                if (query.has("ReturnData") && !query.get("ReturnData").asBoolean()) {
                    continue;
                }
                JsonNode stat = query.path("MetricStat");
                JsonNode metric = stat.path("Metric");
                long period = stat.path("Period").asLong();
                if (period <= 0 || period % 60 != 0) {
                    throw new Invalid(400, "InvalidParameterValue", "The parameter Period must be a multiple of 60.");
                }
                Map<String, String> dimensions = new TreeMap<>();
                metric.path("Dimensions").forEach(d -> dimensions.put(d.path("Name").asText(), d.path("Value").asText()));
                Key key = new Key(metric.path("Namespace").asText(), metric.path("MetricName").asText(), dimensions);
                TreeMap<Long, List<Double>> buckets = buckets(key, start, end, period * 1000);
                List<Long> order = new ArrayList<>(buckets.keySet());
                if (!ascending) {
                    Collections.reverse(order);
                }
                String statistic = stat.path("Stat").asText();
                g.writeStartObject();
                g.writeStringField("Id", query.path("Id").asText());
                g.writeStringField("Label", key.metric());
                g.writeArrayFieldStart("Timestamps");
                for (long bucket : order) {
                    g.writeTag(1);
                    g.writeNumber(bucket / 1000.0);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("Values");
                for (long bucket : order) {
                    g.writeNumber(statistic(statistic, buckets.get(bucket)));
                }
                g.writeEndArray();
                g.writeStringField("StatusCode", "Complete");
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("Messages");
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private TreeMap<Long, List<Double>> buckets(Key key, long start, long end, long periodMillis) {
        TreeMap<Long, List<Double>> buckets = new TreeMap<>();
        synchronized (values) {
            for (Value value : values.getOrDefault(key, new ArrayDeque<>())) {
                if (value.epochMillis() >= start && value.epochMillis() < end) {
                    long bucket = start + (value.epochMillis() - start) / periodMillis * periodMillis;
                    buckets.computeIfAbsent(bucket, b -> new ArrayList<>()).add(value.value());
                }
            }
        }
        return buckets;
    }

    private static double statistic(String statistic, List<Double> values) {
        Matcher percentile = PERCENTILE.matcher(statistic);
        if (percentile.matches()) {
            List<Double> sorted = new ArrayList<>(values);
            Collections.sort(sorted);
            int rank = (int) Math.ceil(Double.parseDouble(percentile.group(1)) / 100 * sorted.size());
            return sorted.get(Math.max(0, rank - 1));
        }
        return switch (statistic) {
            case "Sum" -> values.stream().mapToDouble(Double::doubleValue).sum();
            case "SampleCount" -> values.size();
            case "Average" -> values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            case "Minimum" -> values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            case "Maximum" -> values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            default -> throw new Invalid(400, "InvalidParameterValue", "Unknown statistic: " + statistic);
        };
    }

    private static void writeDimensions(CBORGenerator g, Map<String, String> dimensions) throws IOException {
        g.writeArrayFieldStart("Dimensions");
        for (Map.Entry<String, String> dimension : dimensions.entrySet()) {
            g.writeStartObject();
            g.writeStringField("Name", dimension.getKey());
            g.writeStringField("Value", dimension.getValue());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static String text(JsonNode request, String name) {
        return request.hasNonNull(name) ? request.get(name).asText() : null;
    }

    private static long epochMillis(JsonNode request, String name) {
        if (!request.hasNonNull(name)) {
            throw new Invalid(400, "MissingParameter", "The parameter " + name + " is required.");
        }
        return Math.round(request.get(name).asDouble() * 1000);
    }
}
