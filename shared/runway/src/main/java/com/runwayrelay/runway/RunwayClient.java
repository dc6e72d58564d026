package com.runwayrelay.runway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.domain.metrics.Metrics;
import com.runwayrelay.runway.Transport.Request;
import com.runwayrelay.runway.Transport.Response;
import com.runwayrelay.runway.Transport.RetryMode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Client for the Runway developer API ({@code X-Runway-Version: 2024-11-06}).
 *
 * <p>Every method performs one logical call, with retries as described in the builder, and
 * either returns a decoded value or throws a {@link RunwayException} subtype saying how to react.
 * Arguments are checked first; invalid ones throw {@link IllegalArgumentException} or
 * {@link NullPointerException} without any network traffic.
 *
 * <p><b>Creates are never repeated ambiguously.</b> Runway has no idempotency key, so
 * {@link #createTask} is retried only when no task can exist (the connection could not be made,
 * or Runway answered 429). After any failure that may have followed the creation of a task, it
 * throws {@link RunwayException.Ambiguous}.
 *
 * <p>Instances are thread-safe; build one per process and {@link #close()} it on shutdown. The
 * API key is sent only to the configured base URI, never to upload storage, and never appears
 * in {@link #toString()}, log lines or exception messages.
 */
public final class RunwayClient implements AutoCloseable {
    /** Retry jitter: fresh OS bytes in every draw, also after a SnapStart restore (docs/decisions.md). */
    private static final SecureRandom JITTER = new SecureRandom();

    /** Runway's production API. */
    public static final URI DEFAULT_BASE_URI = URI.create("https://api.dev.runwayml.com");

    /** The API version this client speaks, sent as {@code X-Runway-Version}. */
    public static final String API_VERSION = "2024-11-06";

    /** A generation endpoint, or a recipe or router one below its group ({@code recipes/product_ad}). */
    private static final Pattern ENDPOINT = Pattern.compile("[a-z][a-z0-9_]{0,63}(/[a-z][a-z0-9_]{0,63})?");
    private static final Set<String> NON_GENERATION_RESOURCES = Set.of("tasks", "uploads", "organization");
    private static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,127}");
    private static final Pattern FILENAME = Pattern.compile("[^/\\\\\\p{Cntrl}]+\\.[A-Za-z0-9]{1,8}");
    private static final long MAX_USAGE_DAYS = 90;

    private final String baseUri;
    private final Map<String, String> apiHeaders;
    private final Duration requestTimeout;
    private final Duration uploadTimeout;
    private final int maxRetries;
    private final Transport transport;
    private final ErrorTranslator errors;
    private final System.Logger log;

    private RunwayClient(Builder builder) {
        this.baseUri = stripTrailingSlash(builder.baseUri.toString());
        this.apiHeaders = Map.of(
                "Authorization", "Bearer " + builder.apiKey,
                "X-Runway-Version", API_VERSION,
                "User-Agent", "runway-relay");
        this.requestTimeout = builder.requestTimeout;
        this.uploadTimeout = builder.uploadTimeout;
        this.maxRetries = builder.maxRetries;
        this.log = builder.logger;
        Transport base = new MeteredTransport(builder.transport != null
                ? builder.transport
                : new JdkHttpTransport(builder.connectTimeout, builder.maxResponseBytes), builder.metrics, builder.nanoTime);
        RetryPolicy policy = new RetryPolicy(builder.maxRetries, builder.maxRetryAfter, builder.clock, builder.jitter);
        this.transport = new RetryingTransport(base, policy, builder.sleeper, builder.logger);
        this.errors = new ErrorTranslator(new Redactor(builder.apiKey), builder.clock);
    }

    /** Starts configuring a client; only {@link Builder#apiKey(String)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts a generation task: {@code POST /v1/{endpoint}} with {@code body} forwarded unchanged.
     * The body is not validated here (the catalog does that); Runway's verdict comes back as
     * {@link RunwayException.BadRequest} with its {@code issues}.
     *
     * @param endpoint a bare endpoint name such as {@code "text_to_image"} or
     *     {@code "image_to_video"}: lowercase letters, digits and underscores; or one below a
     *     group, such as {@code "recipes/product_ad"}
     * @param body the request JSON, including {@code model}
     * @return the new task's id and estimated cost
     * @throws RunwayException.Ambiguous if a task may have been created but no id came back
     * @throws RunwayException.Transient if no task was created (the connection failed before
     *     sending) even after retrying
     * @throws RunwayException for the other outcomes, see its subtypes
     */
    public CreatedTask createTask(String endpoint, ObjectNode body) {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(body, "body");
        if (!ENDPOINT.matcher(endpoint).matches() || NON_GENERATION_RESOURCES.contains(endpoint.split("/")[0])) {
            throw new IllegalArgumentException("endpoint must be a generation endpoint name such as "
                    + "'text_to_image' or 'recipes/product_ad' (lowercase letters, digits, '_'), got '"
                    + printable(endpoint) + "'");
        }
        Request request = request("POST", "/v1/" + endpoint, json(body), RetryMode.CREATE);
        Response response = exchange(request);
        try {
            return ResponseDecoder.createdTask(response.body());
        } catch (IOException e) {
            throw logged(errors.undecodable(request, response, e));
        }
    }

    /**
     * Runs a published workflow: {@code POST /v1/workflows/{id}} with {@code body} (optional
     * {@code nodeOutputs}) forwarded unchanged. Runway answers with the invocation's id only.
     *
     * @throws RunwayException.Ambiguous if an invocation may have been created but no id came back
     * @throws RunwayException.NotFound if Runway knows no such published workflow
     * @throws RunwayException for the other outcomes, see its subtypes
     */
    public CreatedTask runWorkflow(String workflowId, ObjectNode body) {
        Objects.requireNonNull(body, "body");
        Request request = request("POST", "/v1/workflows/" + resourceId(workflowId), json(body), RetryMode.CREATE);
        Response response = exchange(request);
        try {
            return ResponseDecoder.createdTask(response.body());
        } catch (IOException e) {
            throw logged(errors.undecodable(request, response, e));
        }
    }

    /**
     * Fetches a workflow invocation ({@code GET /v1/workflow_invocations/{id}}) as Runway sent it:
     * {@code id}, {@code status}, {@code createdAt}, and by status {@code progress}, {@code output}
     * (node id to URLs), {@code nodeErrors}, {@code failure}, {@code failureCode}.
     *
     * @throws RunwayException.NotFound if there is no such invocation
     */
    public ObjectNode getWorkflowInvocation(String id) {
        return object(request("GET", "/v1/workflow_invocations/" + resourceId(id), null, RetryMode.IDEMPOTENT));
    }

    /** The organization's published workflows ({@code GET /v1/workflows}), as Runway sent them. */
    public ObjectNode listWorkflows() {
        return object(request("GET", "/v1/workflows", null, RetryMode.IDEMPOTENT));
    }

    /**
     * One published workflow with its graph ({@code GET /v1/workflows/{id}}), as Runway sent it.
     *
     * @throws RunwayException.NotFound if there is no such published workflow
     */
    public ObjectNode getWorkflow(String id) {
        return object(request("GET", "/v1/workflows/" + resourceId(id), null, RetryMode.IDEMPOTENT));
    }

    /**
     * Fetches a task ({@code GET /v1/tasks/{id}}). Runway asks callers not to poll one task more
     * often than every 5 seconds.
     *
     * @throws RunwayException.NotFound if the task does not exist, or was cancelled or deleted
     */
    public Task getTask(String id) {
        Request request = request("GET", "/v1/tasks/" + taskId(id), null, RetryMode.IDEMPOTENT);
        Response response = exchange(request);
        try {
            return ResponseDecoder.task(response.body());
        } catch (IOException e) {
            throw errors.undecodable(request, response, e);
        }
    }

    /**
     * Cancels a task that has not finished, or deletes a finished one and its outputs
     * ({@code DELETE /v1/tasks/{id}}). Afterwards the task can no longer be fetched.
     *
     * @throws RunwayException.NotFound if the task is already gone; safe to treat as success
     */
    public void deleteTask(String id) {
        Request request = request("DELETE", "/v1/tasks/" + taskId(id), null, RetryMode.IDEMPOTENT);
        exchange(request);
    }

    /**
     * Reserves an ephemeral upload slot ({@code POST /v1/uploads}). Retried like any idempotent
     * call: an unused slot costs nothing.
     *
     * @param filename the file's name with its media extension, e.g. {@code "frame.png"}
     *     (3–255 characters, no path)
     */
    public UploadSlot createUpload(String filename) {
        ObjectNode body = Json.MAPPER.createObjectNode()
                .put("filename", filename(filename))
                .put("type", "ephemeral");
        Request request = request("POST", "/v1/uploads", json(body), RetryMode.IDEMPOTENT);
        Response response = exchange(request);
        try {
            return ResponseDecoder.uploadSlot(response.body());
        } catch (IOException e) {
            throw errors.undecodable(request, response, e);
        }
    }

    /**
     * Streams a file into an upload slot: a {@code multipart/form-data} POST to
     * {@code slot.uploadUrl()} with the slot's fields and then the file (part {@code file}). The
     * file is read as it is sent, never held in memory. No Runway credential is sent to storage.
     *
     * <p>Not retried: if this fails, reserve a new slot and start over, as Runway advises.
     *
     * @throws IllegalArgumentException if {@code file} is not a readable regular file
     * @throws RunwayException.BadRequest if storage rejected the upload (4xx)
     * @throws RunwayException.Transient if storage failed or could not be reached
     */
    public void uploadFile(UploadSlot slot, Path file) {
        Objects.requireNonNull(slot, "slot");
        Objects.requireNonNull(file, "file");
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException("not a readable regular file: " + file);
        }
        BodyPublisher content;
        try {
            content = BodyPublishers.ofFile(file);
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException("not a readable regular file: " + file, e);
        }
        postToStorage(slot, filename(String.valueOf(file.getFileName())), content);
    }

    /**
     * Like {@link #uploadFile(UploadSlot, Path)} for content that is not a file. The stream is
     * read once, as it is sent, and not closed by this method.
     *
     * @param length the exact number of bytes {@code content} will yield (storage needs it up
     *     front); a mismatch fails the upload
     */
    public void uploadFile(UploadSlot slot, String filename, InputStream content, long length) {
        Objects.requireNonNull(slot, "slot");
        Objects.requireNonNull(content, "content");
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0, got " + length);
        }
        String name = filename(filename);
        BodyPublisher publisher = BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(() -> content), length);
        postToStorage(slot, name, publisher);
    }

    /**
     * Uploads a file in both steps and returns the {@code runway://} URI to use in media fields
     * for the next 24 hours.
     *
     * @see #createUpload(String)
     * @see #uploadFile(UploadSlot, Path)
     */
    public String uploadEphemeral(Path file) {
        Objects.requireNonNull(file, "file");
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException("not a readable regular file: " + file);
        }
        UploadSlot slot = createUpload(String.valueOf(file.getFileName()));
        uploadFile(slot, file);
        return slot.runwayUri();
    }

    /**
     * Creates a knowledge document ({@code POST /v1/documents}). Retried only where Runway cannot have
     * acted on the request, like a task create: a duplicate would be a document no one knows of.
     *
     * @return Runway's document object as sent
     * @throws RunwayException.Ambiguous if a document may have been created but no answer came back
     */
    public ObjectNode createDocument(String name, String content) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("content", Objects.requireNonNull(content, "content"))
                .put("name", Objects.requireNonNull(name, "name"));
        return object(request("POST", "/v1/documents", json(body), RetryMode.CREATE));
    }

    /**
     * Fetches a knowledge document ({@code GET /v1/documents/{id}}).
     *
     * @throws RunwayException.NotFound if there is no such document
     */
    public ObjectNode getDocument(String id) {
        return object(request("GET", "/v1/documents/" + resourceId(id), null, RetryMode.IDEMPOTENT));
    }

    /**
     * Changes a knowledge document's name, content or both ({@code PATCH /v1/documents/{id}}); a null
     * argument is not sent. Retried: sending the same values twice changes nothing more.
     *
     * @throws RunwayException.NotFound if there is no such document
     */
    public void updateDocument(String id, String name, String content) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        if (name != null) {
            body.put("name", name);
        }
        if (content != null) {
            body.put("content", content);
        }
        exchange(request("PATCH", "/v1/documents/" + resourceId(id), json(body), RetryMode.IDEMPOTENT));
    }

    /**
     * Deletes a knowledge document ({@code DELETE /v1/documents/{id}}).
     *
     * @throws RunwayException.NotFound if it is already gone
     */
    public void deleteDocument(String id) {
        exchange(request("DELETE", "/v1/documents/" + resourceId(id), null, RetryMode.IDEMPOTENT));
    }

    /**
     * Creates a Model Router configuration ({@code POST /v1/routers}); the body is sent as given.
     * Retried only where Runway cannot have acted: a second router with the same slug would be refused.
     *
     * @return Runway's router object as sent
     */
    public ObjectNode createRouter(ObjectNode body) {
        return object(request("POST", "/v1/routers", json(Objects.requireNonNull(body, "body")), RetryMode.CREATE));
    }

    /** One page of router configurations ({@code GET /v1/routers}) with Runway's paging parameters. */
    public ObjectNode listRouters(Map<String, String> query) {
        return object(request("GET", "/v1/routers" + queryString(query), null, RetryMode.IDEMPOTENT));
    }

    /**
     * One router configuration by its id ({@code GET /v1/routers/{id}}).
     *
     * @throws RunwayException.NotFound if there is none
     */
    public ObjectNode getRouter(String id) {
        return object(request("GET", "/v1/routers/" + resourceId(id), null, RetryMode.IDEMPOTENT));
    }

    /** Changes a router configuration ({@code PATCH /v1/routers/{id}}); retried, the same change twice is one. */
    public ObjectNode updateRouter(String id, ObjectNode body) {
        return object(request("PATCH", "/v1/routers/" + resourceId(id), json(Objects.requireNonNull(body, "body")),
                RetryMode.IDEMPOTENT));
    }

    /**
     * Deletes a router configuration ({@code DELETE /v1/routers/{id}}).
     *
     * @throws RunwayException.NotFound if it is already gone
     */
    public void deleteRouter(String id) {
        exchange(request("DELETE", "/v1/routers/" + resourceId(id), null, RetryMode.IDEMPOTENT));
    }

    /** One page of a router's routing decisions ({@code GET /v1/routers/{id}/requests}). */
    public ObjectNode routerRequests(String id, Map<String, String> query) {
        return object(request("GET", "/v1/routers/" + resourceId(id) + "/requests" + queryString(query), null,
                RetryMode.IDEMPOTENT));
    }

    /**
     * Creates a realtime session ({@code POST /v1/realtime_sessions}) from a body the caller has
     * checked, sent as given. Retried only where Runway cannot have acted on the request: a duplicate
     * would be a session no one knows of.
     *
     * @return Runway's answer ({@code {id}})
     * @throws RunwayException.Ambiguous if a session may have been created but no answer came back
     */
    public ObjectNode createRealtimeSession(ObjectNode body) {
        return object(request("POST", "/v1/realtime_sessions", json(Objects.requireNonNull(body, "body")),
                RetryMode.CREATE));
    }

    /**
     * Fetches a realtime session ({@code GET /v1/realtime_sessions/{id}}).
     *
     * @throws RunwayException.NotFound if there is no such session
     */
    public ObjectNode getRealtimeSession(String id) {
        return object(request("GET", "/v1/realtime_sessions/" + resourceId(id), null, RetryMode.IDEMPOTENT));
    }

    /**
     * Cancels a realtime session ({@code DELETE /v1/realtime_sessions/{id}}); retried, as cancelling
     * twice ends it once.
     *
     * @throws RunwayException.NotFound if there is no such session
     */
    public void cancelRealtimeSession(String id) {
        exchange(request("DELETE", "/v1/realtime_sessions/" + resourceId(id), null, RetryMode.IDEMPOTENT));
    }

    /**
     * Fetches an avatar conversation ({@code GET /v1/avatar_conversations/{id}}).
     *
     * @throws RunwayException.NotFound if there is no such conversation
     */
    public ObjectNode getAvatarConversation(String id) {
        return object(request("GET", "/v1/avatar_conversations/" + resourceId(id), null, RetryMode.IDEMPOTENT));
    }

    /**
     * Deletes an avatar conversation and its data ({@code DELETE /v1/avatar_conversations/{id}}).
     *
     * @throws RunwayException.NotFound if it is already gone
     */
    public void deleteAvatarConversation(String id) {
        exchange(request("DELETE", "/v1/avatar_conversations/" + resourceId(id), null, RetryMode.IDEMPOTENT));
    }

    /**
     * Creates an organization resource ({@code POST /v1/<collection>}, e.g. {@code avatars},
     * {@code voices}) from a body sent as given. Retried only where Runway cannot have acted on the
     * request: a duplicate would be a resource no one knows of.
     *
     * @return Runway's answer as sent
     * @throws RunwayException.Ambiguous if a resource may have been created but no answer came back
     */
    public ObjectNode createResource(String collection, ObjectNode body) {
        return object(request("POST", "/v1/" + collection(collection), json(body), RetryMode.CREATE));
    }

    /**
     * Fetches an organization resource ({@code GET /v1/<collection>/{id}}).
     *
     * @throws RunwayException.NotFound if there is no such resource
     */
    public ObjectNode getResource(String collection, String id) {
        return object(request("GET", "/v1/" + collection(collection) + "/" + resourceId(id), null, RetryMode.IDEMPOTENT));
    }

    /**
     * One page of an organization collection ({@code GET /v1/<collection>}, e.g. {@code documents},
     * {@code avatars}, {@code voices}) with Runway's paging parameters ({@code limit}, {@code cursor}).
     *
     * @return Runway's page as sent: {@code {data, hasMore, nextCursor}}
     */
    public ObjectNode listResources(String collection, Map<String, String> query) {
        return object(request("GET", "/v1/" + collection(collection) + queryString(query), null, RetryMode.IDEMPOTENT));
    }

    /**
     * Changes an organization resource ({@code PATCH /v1/<collection>/{id}}) with a body sent as given.
     * Retried: sending the same values twice changes nothing more.
     *
     * @return Runway's answer: the changed resource
     * @throws RunwayException.NotFound if there is no such resource
     */
    public ObjectNode updateResource(String collection, String id, ObjectNode body) {
        return object(request("PATCH", "/v1/" + collection(collection) + "/" + resourceId(id), json(body),
                RetryMode.IDEMPOTENT));
    }

    /**
     * Deletes an organization resource ({@code DELETE /v1/<collection>/{id}}).
     *
     * @throws RunwayException.NotFound if it is already gone
     */
    public void deleteResource(String collection, String id) {
        exchange(request("DELETE", "/v1/" + collection(collection) + "/" + resourceId(id), null, RetryMode.IDEMPOTENT));
    }

    /**
     * Posts a body to an action path such as {@code voices/preview} and returns Runway's answer. Runway
     * may spend on it, so it is retried only where Runway cannot have acted.
     *
     * @param path the path under {@code /v1/}: lowercase segments separated by {@code /}
     */
    public ObjectNode postAction(String path, ObjectNode body) {
        for (String segment : Objects.requireNonNull(path, "path").split("/", -1)) {
            collection(segment);
        }
        return object(request("POST", "/v1/" + path, json(body), RetryMode.CREATE));
    }

    /** The organization's credit balance, tier limits and daily usage ({@code GET /v1/organization}). */
    public Organization organization() {
        Request request = request("GET", "/v1/organization", null, RetryMode.IDEMPOTENT);
        Response response = exchange(request);
        try {
            return ResponseDecoder.organization(response.body());
        } catch (IOException e) {
            throw errors.undecodable(request, response, e);
        }
    }

    /** Credit usage for Runway's default range (the last 30 days). */
    public UsageReport usage() {
        return usage(null, null);
    }

    /**
     * Credit usage per model per day ({@code POST /v1/organization/usage}).
     *
     * @param startDate first UTC day included, or {@code null} for Runway's default (30 days ago)
     * @param beforeDate first UTC day excluded, or {@code null} for Runway's default (start + 30)
     * @throws IllegalArgumentException if both are given and {@code beforeDate} is not after
     *     {@code startDate} or the range exceeds 90 days
     */
    public UsageReport usage(LocalDate startDate, LocalDate beforeDate) {
        if (startDate != null && beforeDate != null) {
            long days = ChronoUnit.DAYS.between(startDate, beforeDate);
            if (days <= 0 || days > MAX_USAGE_DAYS) {
                throw new IllegalArgumentException("beforeDate must be 1 to " + MAX_USAGE_DAYS
                        + " days after startDate, got " + startDate + " .. " + beforeDate);
            }
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        if (startDate != null) {
            body.put("startDate", startDate.toString());
        }
        if (beforeDate != null) {
            body.put("beforeDate", beforeDate.toString());
        }
        Request request = request("POST", "/v1/organization/usage", json(body), RetryMode.IDEMPOTENT);
        Response response = exchange(request);
        try {
            return ResponseDecoder.usage(response.body());
        } catch (IOException e) {
            throw errors.undecodable(request, response, e);
        }
    }

    /** Closes connections and the HTTP client's threads. */
    @Override
    public void close() {
        transport.close();
    }

    @Override
    public String toString() {
        return "RunwayClient[baseUri=" + baseUri + ", maxRetries=" + maxRetries + "]";
    }

    private void postToStorage(UploadSlot slot, String filename, BodyPublisher content) {
        MultipartBody multipart = MultipartBody.of(slot.fields(), filename, content);
        // Deliberately no Runway headers: the storage URL is presigned and must not see the key.
        Request request = new Request("POST", slot.uploadUrl(), Map.of("Content-Type", multipart.contentType()),
                multipart.publisher(), uploadTimeout, RetryMode.NEVER);
        Response response;
        try {
            response = transport.send(request);
        } catch (TransportFailure failure) {
            throw errors.fromFailure(request, failure);
        }
        if (!response.isSuccess()) {
            throw errors.fromStorageResponse(request, response);
        }
    }

    /** Sends and returns a 2xx response, or throws the matching {@link RunwayException}. */
    private Response exchange(Request request) {
        Response response;
        try {
            response = transport.send(request);
        } catch (TransportFailure failure) {
            throw logged(errors.fromFailure(request, failure));
        }
        if (!response.isSuccess()) {
            throw logged(errors.fromResponse(request, response));
        }
        return response;
    }

    /** Ambiguous creates are worth a warning: they may leave an orphaned, billable task. */
    private RunwayException logged(RunwayException exception) {
        if (exception instanceof RunwayException.Ambiguous) {
            log.log(Level.WARNING, exception.getMessage());
        }
        return exception;
    }

    private Request request(String method, String path, byte[] json, RetryMode mode) {
        Map<String, String> headers = new LinkedHashMap<>(apiHeaders);
        // Runway's SDK sends Accept */* on DELETE, whose 204 has no body.
        headers.put("Accept", method.equals("DELETE") ? "*/*" : "application/json");
        if (json != null) {
            headers.put("Content-Type", "application/json");
        }
        BodyPublisher body = json == null ? null : BodyPublishers.ofByteArray(json);
        return new Request(method, URI.create(baseUri + path), headers, body, requestTimeout, mode);
    }

    private static byte[] json(ObjectNode body) {
        try {
            return Json.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("request body cannot be serialized as JSON", e);
        }
    }

    private ObjectNode object(Request request) {
        Response response = exchange(request);
        try {
            if (Json.MAPPER.readTree(response.body()) instanceof ObjectNode object) {
                return object;
            }
            throw new IOException("the answer is not a JSON object");
        } catch (IOException e) {
            throw errors.undecodable(request, response, e);
        }
    }

    private static String queryString(Map<String, String> query) {
        if (query == null || query.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        new TreeMap<>(query).forEach((name, value) -> out.append(out.isEmpty() ? '?' : '&')
                .append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return out.toString();
    }

    private static String collection(String name) {
        Objects.requireNonNull(name, "collection");
        if (!ENDPOINT.matcher(name).matches() || NON_GENERATION_RESOURCES.contains(name)) {
            throw new IllegalArgumentException("not a resource collection: '" + printable(name) + "'");
        }
        return name;
    }

    private static String resourceId(String id) {
        Objects.requireNonNull(id, "id");
        if (!TASK_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("id must be 1-128 letters, digits, '-' or '_', got '" + printable(id) + "'");
        }
        return id;
    }

    private static String taskId(String id) {
        Objects.requireNonNull(id, "id");
        if (!TASK_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("task id must be 1-128 letters, digits, '-' or '_', got '"
                    + printable(id) + "'");
        }
        return id;
    }

    private static String filename(String filename) {
        Objects.requireNonNull(filename, "filename");
        if (filename.length() < 3 || filename.length() > 255 || !FILENAME.matcher(filename).matches()) {
            throw new IllegalArgumentException("filename must be 3-255 characters, without a path, and end "
                    + "in a media extension such as '.png' or '.mp4', got '" + printable(filename) + "'");
        }
        return filename;
    }

    /** Keeps argument echoes short and single-line. */
    private static String printable(String text) {
        String clean = text.replaceAll("\\p{Cntrl}", "?");
        return clean.length() <= 80 ? clean : clean.substring(0, 80) + "…";
    }

    private static String stripTrailingSlash(String uri) {
        return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }

    /**
     * Configuration for a {@link RunwayClient}. Defaults follow the official SDKs: 2 retries,
     * 5 s to connect, 60 s per attempt; uploads get 15 minutes per attempt.
     *
     * <p>Retries: connection failures, timeouts, 408, 409, 429 and 5xx are retried (creates only
     * when no task can exist, see {@link RunwayClient}); {@code x-should-retry} overrides; the wait
     * is the server's {@code retry-after-ms}/{@code retry-after} when it is at most
     * {@link #maxRetryAfter(Duration)} (a longer requested wait ends the retrying at once), else
     * {@code min(0.5 s × 2ⁿ, 8 s)} minus a random 0–25 %.
     */
    public static final class Builder {

        private String apiKey;
        private URI baseUri = DEFAULT_BASE_URI;
        private int maxRetries = 2;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(60);
        private Duration uploadTimeout = Duration.ofMinutes(15);
        private Duration maxRetryAfter = Duration.ofSeconds(60);
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.SYSTEM;
        private int maxResponseBytes = 4 * 1024 * 1024;
        // Not ThreadLocalRandom: its seeds derive from a JVM-wide seeder that a SnapStart snapshot freezes, so every
        // restored environment would draw the same jitter. SecureRandom mixes fresh OS bytes into each draw.
        private DoubleSupplier jitter = JITTER::nextDouble;
        private System.Logger logger = System.getLogger(RunwayClient.class.getName());
        private Transport transport;
        private Metrics metrics = Metrics.none();
        private LongSupplier nanoTime = System::nanoTime;

        private Builder() {
        }

        /** The secret API key, sent as {@code Authorization: Bearer …}. Required. */
        public Builder apiKey(String apiKey) {
            Objects.requireNonNull(apiKey, "apiKey");
            if (apiKey.isBlank() || !apiKey.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw new IllegalArgumentException(
                        "apiKey must be non-empty printable ASCII without spaces (value not shown)");
            }
            this.apiKey = apiKey;
            return this;
        }

        /**
         * Where the API lives; default {@link RunwayClient#DEFAULT_BASE_URI}. May carry a path
         * prefix; must be absolute http(s) without query or fragment.
         */
        public Builder baseUri(URI baseUri) {
            Objects.requireNonNull(baseUri, "baseUri");
            String scheme = baseUri.getScheme();
            if (!("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme))
                    || baseUri.getHost() == null || baseUri.getRawQuery() != null
                    || baseUri.getRawFragment() != null || baseUri.getRawUserInfo() != null) {
                throw new IllegalArgumentException(
                        "baseUri must be an absolute http(s) URI without user info, query or fragment, got " + baseUri);
            }
            this.baseUri = baseUri;
            return this;
        }

        /** Retries after the first attempt, 0–10; default 2. */
        public Builder maxRetries(int maxRetries) {
            if (maxRetries < 0 || maxRetries > 10) {
                throw new IllegalArgumentException("maxRetries must be 0..10, got " + maxRetries);
            }
            this.maxRetries = maxRetries;
            return this;
        }

        /** Time allowed to establish a connection; default 5 s. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** Time allowed for one attempt of an API call, response body included; default 60 s. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        /** Time allowed for one file upload to storage; default 15 min. */
        public Builder uploadTimeout(Duration timeout) {
            this.uploadTimeout = positive(timeout, "uploadTimeout");
            return this;
        }

        /**
         * The longest server-requested wait the client sleeps through before retrying; default
         * 60 s. Longer requests end the retrying and surface in the exception's
         * {@code retryAfter()}, so the caller can reschedule instead of blocking.
         */
        public Builder maxRetryAfter(Duration max) {
            Objects.requireNonNull(max, "maxRetryAfter");
            if (max.isNegative()) {
                throw new IllegalArgumentException("maxRetryAfter must not be negative, got " + max);
            }
            this.maxRetryAfter = max;
            return this;
        }

        /** The clock used to interpret {@code retry-after} dates; default UTC system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How to wait between attempts; default {@link Sleeper#SYSTEM}. */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        Builder maxResponseBytes(int max) {
            this.maxResponseBytes = max;
            return this;
        }

        Builder jitter(DoubleSupplier jitter) {
            this.jitter = Objects.requireNonNull(jitter, "jitter");
            return this;
        }

        Builder logger(System.Logger logger) {
            this.logger = Objects.requireNonNull(logger, "logger");
            return this;
        }

        /**
         * Where every HTTP attempt is recorded ({@code RunwayCalls} by outcome, {@code RunwayLatency} by
         * operation); default nowhere.
         */
        public Builder metrics(Metrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        Builder nanoTime(LongSupplier nanoTime) {
            this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
            return this;
        }

        /** Replaces the JDK HTTP transport; the retry decorator still wraps it. */
        Builder transport(Transport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /**
         * @throws IllegalStateException if no API key was set
         */
        public RunwayClient build() {
            if (apiKey == null) {
                throw new IllegalStateException("apiKey is required");
            }
            return new RunwayClient(this);
        }

        private static Duration positive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + value);
            }
            return value;
        }
    }
}
