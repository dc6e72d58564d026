package com.runwayrelay.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.domain.RunwayStatus;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./relay demo}: one {@code text_to_image} task, then one {@code image_to_video} task animating
 * the image just made, each end to end through the gateway exactly as an app would drive it (create,
 * poll the task, download the archived outputs from their links), showing progress on the way.
 */
final class Demo {
    static final String RUNWAY_VERSION = "2024-11-06";
    /** Images above this size are not sent back inline; the demo falls back to a tiny built-in PNG. */
    private static final int MAX_INLINE_IMAGE_BYTES = 3 * 1024 * 1024;
    private static final String PIXEL_PNG = "data:image/png;base64,"
            + "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
    private static final Duration POLL_EVERY = Duration.ofSeconds(1);

    private final URI api;
    private final String key;
    private final Path outDir;
    private final Duration timeout;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /** What one task produced. */
    record Result(String endpoint, String taskId, List<URI> links, List<Path> files) {
    }

    /** The demo failed; the message says at which step and what the gateway answered. */
    static final class DemoException extends Exception {
        private static final long serialVersionUID = 1L;

        DemoException(String message) {
            super(message);
        }
    }

    Demo(URI api, String key, Path outDir, Duration timeout, PrintStream out) {
        this.api = api;
        this.key = key;
        this.outDir = outDir;
        this.timeout = timeout;
        this.out = out;
    }

    /**
     * Runs both tasks and prints the files and links.
     *
     * @return the two results, image first
     * @throws DemoException if a request is refused, a task does not succeed in time, or a download fails
     */
    List<Result> run() throws DemoException, IOException, InterruptedException {
        Files.createDirectories(outDir);
        out.println("Demo against " + api + ", outputs go to " + outDir.toAbsolutePath());
        ObjectNode image = Json.MAPPER.createObjectNode();
        image.put("model", "gen4_image");
        image.put("promptText", "A lighthouse on a basalt cliff at dusk, its beam sweeping through sea fog");
        image.put("ratio", "1280:720");
        Result first = task("text_to_image", image);

        byte[] png = Files.readAllBytes(first.files().getFirst());
        ObjectNode video = Json.MAPPER.createObjectNode();
        video.put("model", "gen4_turbo");
        video.put("promptImage", png.length <= MAX_INLINE_IMAGE_BYTES
                ? "data:" + contentTypeOf(first.files().getFirst()) + ";base64," + Base64.getEncoder().encodeToString(png) : PIXEL_PNG);
        video.put("promptText", "The beam turns slowly, waves roll in below");
        video.put("ratio", "1280:720");
        video.put("duration", 5);
        Result second = task("image_to_video", video);

        out.println();
        out.println("Done. Files:");
        for (Result result : List.of(first, second)) {
            result.files().forEach(file -> out.println("  " + file.toAbsolutePath()));
        }
        out.println("Links (pre-signed, re-signed on every GET /v1/tasks/{id}):");
        for (Result result : List.of(first, second)) {
            result.links().forEach(link -> out.println("  " + link));
        }
        out.flush();
        return List.of(first, second);
    }

    private Result task(String endpoint, ObjectNode body) throws DemoException, IOException, InterruptedException {
        out.println();
        out.println(endpoint + " (" + body.path("model").asText() + ")");
        HttpResponse<String> created = http.send(request("/v1/" + endpoint)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 200) {
            throw new DemoException("POST /v1/" + endpoint + " answered " + created.statusCode() + ": " + abbreviate(created.body()));
        }
        String id = Json.MAPPER.readTree(created.body()).path("id").asText("");
        if (id.isEmpty()) {
            throw new DemoException("POST /v1/" + endpoint + " answered 200 without a task id: " + abbreviate(created.body()));
        }
        out.println("  created task " + id);
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        String shown = "";
        while (true) {
            HttpResponse<String> polled = http.send(request("/v1/tasks/" + id).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (polled.statusCode() != 200) {
                throw new DemoException("GET /v1/tasks/" + id + " answered " + polled.statusCode() + ": " + abbreviate(polled.body()));
            }
            JsonNode task = Json.MAPPER.readTree(polled.body());
            String status = task.path("status").asText("?");
            String line = status + (task.hasNonNull("progress") ? String.format(Locale.ROOT, " %3.0f%%", task.get("progress").asDouble() * 100) : "");
            if (!line.equals(shown)) {
                out.printf(Locale.ROOT, "  %5.1f s  %s%n", (System.nanoTime() - started) / 1e9, line);
                shown = line;
            }
            switch (RunwayStatus.fromWire(status)) {
                case RunwayStatus.Known.SUCCEEDED -> {
                    return download(endpoint, id, task.path("output"));
                }
                case RunwayStatus.Known.FAILED, RunwayStatus.Known.CANCELLED -> throw new DemoException("task " + id
                        + " ended " + status + ": " + task.path("failure").asText("") + " "
                        + task.path("failureCode").asText(""));
                default -> {
                    if (System.nanoTime() - deadline > 0) {
                        throw new DemoException("task " + id + " is still " + status + " after " + timeout.toSeconds() + " s");
                    }
                    Thread.sleep(POLL_EVERY.toMillis());
                }
            }
        }
    }

    private Result download(String endpoint, String id, JsonNode output) throws DemoException, IOException, InterruptedException {
        if (!output.isArray() || output.isEmpty()) {
            throw new DemoException("task " + id + " SUCCEEDED without outputs");
        }
        List<URI> links = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < output.size(); i++) {
            URI link = URI.create(output.get(i).asText());
            Path partial = outDir.resolve(endpoint + "-" + id + "-" + i + ".part");
            HttpResponse<Path> response = http.send(HttpRequest.newBuilder(link).timeout(Duration.ofMinutes(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofFile(partial));
            if (response.statusCode() != 200) {
                Files.deleteIfExists(partial);
                throw new DemoException("downloading output " + i + " of task " + id + " answered " + response.statusCode());
            }
            String type = response.headers().firstValue("content-type").orElse("application/octet-stream");
            Path file = outDir.resolve(endpoint + "-" + id + "-" + i + extension(type));
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
            out.printf("  saved %s (%s, %,d bytes)%n", file.getFileName(), type, Files.size(file));
            links.add(link);
            files.add(file);
        }
        return new Result(endpoint, id, List.copyOf(links), List.copyOf(files));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key)
                .header("X-Runway-Version", RUNWAY_VERSION);
    }

    private static String extension(String contentType) {
        return switch (contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT)) {
            case "image/png" -> ".png";
            case "image/jpeg" -> ".jpg";
            case "image/webp" -> ".webp";
            case "video/mp4" -> ".mp4";
            case "audio/wav", "audio/x-wav", "audio/wave" -> ".wav";
            case "audio/mpeg" -> ".mp3";
            default -> ".bin";
        };
    }

    private static String contentTypeOf(Path file) {
        String name = file.getFileName().toString();
        return Map.of(".jpg", "image/jpeg", ".webp", "image/webp").entrySet().stream()
                .filter(e -> name.endsWith(e.getKey())).map(Map.Entry::getValue).findFirst().orElse("image/png");
    }

    private static String abbreviate(String body) {
        String text = body == null ? "" : body.strip();
        return text.length() > 500 ? text.substring(0, 500) + "..." : text;
    }
}
