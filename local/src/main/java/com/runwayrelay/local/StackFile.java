package com.runwayrelay.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code stack.json} in the data folder: every component's URL and credentials, for scripts and tools
 * such as the AWS CLI, {@code ./relay demo} and {@code ./relay apps}. Written once the stack serves
 * requests, deleted when it stops cleanly. Readable by its owner only: it holds the dev app key.
 *
 * <pre>{@code
 * {
 *   "apiUrl": "http://localhost:3000",
 *   "devApp": {"appId": "app_...", "key": "rr_...", "webhookSecret": "whsec_..."},
 *   "runway": {"mode": "simulator", "baseUrl": "http://127.0.0.1:3001"},
 *   "simulator": {"url": "http://127.0.0.1:3001", "apiKey": "key_..."},
 *   "dynamodb": {"endpoint": "http://127.0.0.1:3002", "table": "relay-tasks"},
 *   "s3": {"endpoint": "http://127.0.0.1:3003", "bucket": "relay-archive"},
 *   "aws": {"region": "us-east-1", "accessKeyId": "...", "secretAccessKey": "..."},
 *   "environment": {"AWS_REGION": "...", ..., "RELAY_TABLE": "...", "RELAY_BUCKET": "..."},
 *   "dataDir": "/.../.relay", "pid": 1234, "startedAt": "2026-..."
 * }
 * }</pre>
 */
final class StackFile {
    static final String NAME = "stack.json";

    private StackFile() {
    }

    /**
     * What a reader needs from a running stack's file.
     *
     * @param apiUrl      the HTTP API
     * @param devKey      the dev app's key
     * @param environment the {@code AWS_*} and {@code RELAY_*} variables that reach its DynamoDB and S3
     * @param pid         the stack's process id
     */
    record Running(URI apiUrl, String devKey, Map<String, String> environment, long pid) {
        @Override
        public String toString() {
            return "Running[apiUrl=" + apiUrl + ", pid=" + pid + "]";
        }
    }

    /** Writes the file for a stack that has just started. */
    static void write(Path file, URI apiUrl, DevApp devApp, URI runwayBaseUrl, Optional<String> simulatorKey,
                      Map<String, String> awsEnvironment, Path dataDir, Instant startedAt) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("apiUrl", apiUrl.toString());
        ObjectNode dev = root.putObject("devApp");
        dev.put("appId", devApp.appId());
        dev.put("key", devApp.key());
        dev.put("webhookSecret", devApp.webhookSecret());
        ObjectNode runway = root.putObject("runway");
        runway.put("mode", simulatorKey.isPresent() ? "simulator" : "runway");
        runway.put("baseUrl", runwayBaseUrl.toString());
        if (simulatorKey.isPresent()) {
            ObjectNode simulator = root.putObject("simulator");
            simulator.put("url", runwayBaseUrl.toString());
            simulator.put("apiKey", simulatorKey.get());
        }
        ObjectNode dynamodb = root.putObject("dynamodb");
        dynamodb.put("endpoint", awsEnvironment.get("AWS_ENDPOINT_URL_DYNAMODB"));
        dynamodb.put("table", awsEnvironment.get("RELAY_TABLE"));
        ObjectNode s3 = root.putObject("s3");
        s3.put("endpoint", awsEnvironment.get("AWS_ENDPOINT_URL_S3"));
        s3.put("bucket", awsEnvironment.get("RELAY_BUCKET"));
        ObjectNode aws = root.putObject("aws");
        aws.put("region", awsEnvironment.get("AWS_REGION"));
        aws.put("accessKeyId", awsEnvironment.get("AWS_ACCESS_KEY_ID"));
        aws.put("secretAccessKey", awsEnvironment.get("AWS_SECRET_ACCESS_KEY"));
        ObjectNode environment = root.putObject("environment");
        awsEnvironment.forEach(environment::put);
        environment.put("AWS_EC2_METADATA_DISABLED", "true");
        root.put("dataDir", dataDir.toString());
        root.put("pid", ProcessHandle.current().pid());
        root.put("startedAt", startedAt.toString());
        try {
            DataDirectory.writePrivate(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * Reads a stack file, if there is one.
     *
     * @throws UncheckedIOException if it exists but is unreadable or lacks the API URL or the dev key
     */
    static Optional<Running> read(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            JsonNode root = Json.MAPPER.readTree(file.toFile());
            String api = root.path("apiUrl").asText(null);
            String key = root.path("devApp").path("key").asText(null);
            if (api == null || key == null) {
                throw new IOException("no apiUrl or devApp.key");
            }
            Map<String, String> environment = new LinkedHashMap<>();
            root.path("environment").properties().forEach(entry -> environment.put(entry.getKey(), entry.getValue().asText()));
            return Optional.of(new Running(URI.create(api), key, environment, root.path("pid").asLong(-1)));
        } catch (IOException | IllegalArgumentException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage()
                    + " (it is rewritten when ./relay local starts; delete it if no stack runs)",
                    e instanceof IOException io ? io : new IOException(e));
        }
    }
}
