package com.runwayrelay.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.catalog.MediaReference;
import com.runwayrelay.catalog.ValidationResult;
import com.runwayrelay.domain.Violation;
import com.runwayrelay.domain.media.MediaKind;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulator's one HTTP handler: records the request, applies faults, routes it, and writes the
 * reply. Runway API routes live under {@code /v1/}; output files under {@code /_outputs/}; the upload
 * storage under {@code /_uploads/}; test introspection under {@code /_sim/}.
 */
final class ApiHandler implements HttpHandler {
    static final String API_VERSION = "2024-11-06";
    static final String OUTPUTS = "/_outputs/";
    static final String UPLOADS = "/_uploads/";
    static final String ADMIN = "/_sim/";
    private static final long UNKNOWN_MODEL_CREDITS = 1;
    private static final long MAX_MONTHLY_CREDIT_SPEND = 1_000_000;
    private static final int MAX_JSON_BYTES = 32 * 1024 * 1024;
    private static final int MAX_FIELD_BYTES = 64 * 1024;
    /** The most request bytes read and discarded before an answer that did not need them (see {@link #send}). */
    private static final long MAX_UNREAD_REQUEST_BYTES = 64L * 1024 * 1024;
    private static final Pattern TASK_PATH = Pattern.compile("/v1/tasks/([^/]+)");
    private static final Pattern DOCUMENT_PATH = Pattern.compile("/v1/documents/([^/]+)");
    private static final Pattern WORKFLOW_PATH = Pattern.compile("/v1/workflows/([^/]+)");
    private static final Pattern INVOCATION_PATH = Pattern.compile("/v1/workflow_invocations/([^/]+)");
    /** In a primitive value of a run: every generation node fails with the code. */
    private static final Pattern FORCED_RUN_FAILURE = Pattern.compile("\\[fail-all:([A-Za-z0-9_.]+)]");
    private static final Pattern SESSION_PATH = Pattern.compile("/v1/realtime_sessions/([^/]+)");
    private static final Pattern CONVERSATION_PATH = Pattern.compile("/v1/avatar_conversations/([^/]+)");
    private static final Pattern ROUTER_PATH = Pattern.compile("/v1/routers/([^/]+)(/requests)?");
    private static final Pattern GENERATE_PATH = Pattern.compile("/v1/generate/(video|image|audio)");
    private static final Pattern AVATAR_PATH = Pattern.compile("/v1/avatars/([^/]+)");
    private static final Pattern VOICE_PATH = Pattern.compile("/v1/voices/([^/]+)");
    private static final Pattern OUTPUT_PATH = Pattern.compile("/_outputs/([0-9a-f-]{36})/(\\d{1,2})/output\\.[a-z0-9]+");
    private static final Pattern SHA_PATH = Pattern.compile("/_sim/tasks/([0-9a-f-]{36})/outputs/(\\d{1,2})/sha256");
    private static final Pattern FILENAME = Pattern.compile("[^/\\\\\\p{Cntrl}\"]{3,255}");
    private static final DateTimeFormatter CREATED_AT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final System.Logger LOG = System.getLogger(ApiHandler.class.getName());

    private final SimulatorConfig config;
    private final Clock clock;
    private final String apiKey;
    private final GenerationRules rules;
    private final TaskBook tasks;
    private final UploadBook uploads;
    private final Signer signer;
    private final FaultPlan faults;
    private final RequestLog log;
    private final ObjectMapper json = new ObjectMapper();
    private final DocumentBook documents;
    private final RealtimeBook realtime;
    private final RouterBook routers;
    private final VoiceBook voices;
    private final AvatarBook avatars;
    private volatile URI baseUri;

    ApiHandler(SimulatorConfig config, String apiKey, GenerationRules rules, TaskBook tasks, UploadBook uploads,
            Signer signer, FaultPlan faults, RequestLog log, RealtimeBook realtime) {
        this.config = config;
        this.clock = config.clock();
        this.apiKey = apiKey;
        this.rules = rules;
        this.tasks = tasks;
        this.uploads = uploads;
        this.signer = signer;
        this.faults = faults;
        this.log = log;
        this.documents = new DocumentBook(clock);
        this.realtime = realtime;
        this.routers = new RouterBook(clock);
        // Avatars and voices take as long to process as a task takes to run.
        this.voices = new VoiceBook(clock, config.runningDuration());
        this.avatars = new AvatarBook(clock, config.runningDuration(), voices, documents::exists);
    }

    void baseUri(URI uri) {
        this.baseUri = uri;
    }

    @Override
    public void handle(HttpExchange ex) {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getRawPath();
        int entry = log.start(method, path, clock.instant());
        boolean answered = false;
        try {
            Fault fault = faults.next(method, path);
            long truncateAt = -1;
            switch (fault) {
                case null -> { }
                case Fault.Status s -> {
                    answered = true;
                    send(ex, entry, error(s.code(), "Simulated fault: HTTP " + s.code() + ".", s.headers()), -1, false);
                    return;
                }
                case Fault.ResetBeforeProcessing r -> {
                    return;
                }
                case Fault.Delay d -> sleep(d.delay());
                case Fault.ResetAfterRequest r -> { }
                case Fault.Truncate t -> truncateAt = t.bytes();
            }
            Reply reply = process(ex, method, path);
            if (fault instanceof Fault.ResetAfterRequest) {
                return;
            }
            if (truncateAt < 0 && path.startsWith(OUTPUTS) && reply.status() == 200 && faults.truncateDownload()) {
                truncateAt = reply.body().length() / 2;
            }
            sleep(config.latency());
            answered = true;
            send(ex, entry, reply, truncateAt, method.equals("HEAD"));
        } catch (IOException e) {
            // The client went away mid-response; nothing to answer.
            LOG.log(System.Logger.Level.DEBUG, "connection lost on " + method + " " + path, e);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "simulator error on " + method + " " + path, e);
            if (!answered) {
                try {
                    send(ex, entry, error(500, "Simulator error: " + e.getClass().getSimpleName() + ": " + e.getMessage(), Map.of()), -1, false);
                } catch (IOException | RuntimeException ignored) {
                    // Closing the exchange below drops the connection.
                }
            }
        } finally {
            // Closing before the headers are sent drops the connection: that is how resets are simulated.
            ex.close();
        }
    }

    private Reply process(HttpExchange ex, String method, String path) throws IOException {
        try {
            if (path.startsWith(OUTPUTS)) {
                return download(ex, method, path);
            }
            if (path.startsWith(UPLOADS)) {
                return storeUpload(ex, method, path);
            }
            if (path.startsWith(ADMIN)) {
                authenticate(ex);
                return admin(method, path);
            }
            if (path.startsWith("/v1/")) {
                authenticate(ex);
                checkVersion(ex);
                return api(ex, method, path);
            }
            throw new ApiException(404, "Not found: " + path);
        } catch (ApiException e) {
            if (e.body() != null) {
                return json(e.status(), e.body());
            }
            return error(e.status(), e.getMessage(), e.headers(), e.issues());
        }
    }

    private Reply api(HttpExchange ex, String method, String path) throws IOException {
        Matcher task = TASK_PATH.matcher(path);
        if (task.matches()) {
            return switch (method) {
                case "GET" -> getTask(task.group(1));
                case "DELETE" -> deleteTask(task.group(1));
                default -> throw methodNotAllowed(method, path);
            };
        }
        Matcher workflow = WORKFLOW_PATH.matcher(path);
        if (workflow.matches()) {
            return switch (method) {
                case "GET" -> json(200, workflowJson(findWorkflow(workflow.group(1))));
                case "POST" -> {
                    SimulatedWorkflows.Workflow w = findWorkflow(workflow.group(1));
                    byte[] raw = readBody(ex, MAX_JSON_BYTES);
                    JsonNode body = raw.length == 0 ? json.createObjectNode() : parseObject(raw, false);
                    yield runWorkflow(w, body, new String(raw, StandardCharsets.UTF_8));
                }
                default -> throw methodNotAllowed(method, path);
            };
        }
        Matcher invocation = INVOCATION_PATH.matcher(path);
        if (invocation.matches()) {
            requireMethod(method, "GET", path);
            return getInvocation(invocation.group(1));
        }
        Matcher document = DOCUMENT_PATH.matcher(path);
        if (document.matches()) {
            String id = document.group(1);
            return switch (method) {
                case "GET" -> json(200, documents.get(id));
                case "PATCH" -> {
                    documents.update(id, readJson(ex, false));
                    yield new Reply(204, Map.of(), null);
                }
                case "DELETE" -> {
                    documents.delete(id);
                    yield new Reply(204, Map.of(), null);
                }
                default -> throw methodNotAllowed(method, path);
            };
        }
        Matcher session = SESSION_PATH.matcher(path);
        if (session.matches()) {
            return switch (method) {
                case "GET" -> json(200, realtime.get(session.group(1)));
                case "DELETE" -> {
                    realtime.cancel(session.group(1));
                    yield new Reply(204, Map.of(), null);
                }
                default -> throw methodNotAllowed(method, path);
            };
        }
        Matcher router = ROUTER_PATH.matcher(path);
        if (router.matches()) {
            String id = router.group(1);
            if (router.group(2) != null) {
                requireMethod(method, "GET", path);
                return json(200, routers.listRequests(id, query(ex.getRequestURI())));
            }
            return switch (method) {
                case "GET" -> json(200, routers.get(id));
                case "PATCH" -> json(200, routers.update(id, readJson(ex, false)));
                case "DELETE" -> {
                    routers.delete(id);
                    yield new Reply(204, Map.of(), null);
                }
                default -> throw methodNotAllowed(method, path);
            };
        }
        Matcher conversation = CONVERSATION_PATH.matcher(path);
        if (conversation.matches()) {
            return switch (method) {
                case "GET" -> json(200, realtime.conversation(conversation.group(1)));
                case "DELETE" -> {
                    realtime.deleteConversation(conversation.group(1));
                    yield new Reply(204, Map.of(), null);
                }
                default -> throw methodNotAllowed(method, path);
            };
        }
        Matcher avatar = AVATAR_PATH.matcher(path);
        if (avatar.matches()) {
            String id = avatar.group(1);
            return switch (method) {
                case "GET" -> json(200, avatars.get(id, baseUri));
                case "PATCH" -> json(200, avatars.update(id, readJson(ex, false), baseUri));
                case "DELETE" -> {
                    avatars.delete(id);
                    yield new Reply(204, Map.of(), null);
                }
                default -> throw methodNotAllowed(method, path);
            };
        }
        Matcher generate = GENERATE_PATH.matcher(path);
        if (generate.matches()) {
            requireMethod(method, "POST", path);
            byte[] raw = readBody(ex, MAX_JSON_BYTES);
            return generate(generate.group(1), parseObject(raw, false), new String(raw, StandardCharsets.UTF_8));
        }
        if (path.equals("/v1/voices/preview")) {
            requireMethod(method, "POST", path);
            return json(200, voices.preview(readJson(ex, false), baseUri));
        }
        Matcher voice = VOICE_PATH.matcher(path);
        if (voice.matches()) {
            String id = voice.group(1);
            return switch (method) {
                case "GET" -> json(200, voices.get(id, baseUri));
                case "PATCH" -> json(200, voices.update(id, readJson(ex, false), baseUri));
                case "DELETE" -> {
                    voices.delete(id);
                    yield new Reply(204, Map.of(), null);
                }
                default -> throw methodNotAllowed(method, path);
            };
        }
        switch (path) {
            case "/v1/realtime_sessions" -> {
                requireMethod(method, "POST", path);
                return json(200, realtime.create(readJson(ex, false)));
            }
            case "/v1/avatar_conversations" -> {
                requireMethod(method, "GET", path);
                return json(200, realtime.listConversations(query(ex.getRequestURI())));
            }
            case "/v1/avatar_usage" -> {
                requireMethod(method, "GET", path);
                return json(200, realtime.usage(query(ex.getRequestURI())));
            }
            case "/v1/routers" -> {
                return switch (method) {
                    case "POST" -> json(200, routers.create(readJson(ex, false)));
                    case "GET" -> json(200, routers.list(query(ex.getRequestURI())));
                    default -> throw methodNotAllowed(method, path);
                };
            }
            case "/v1/avatars" -> {
                return switch (method) {
                    case "POST" -> json(200, avatars.create(readJson(ex, false), baseUri));
                    case "GET" -> json(200, avatars.list(query(ex.getRequestURI()), baseUri));
                    default -> throw methodNotAllowed(method, path);
                };
            }
            case "/v1/voices" -> {
                return switch (method) {
                    case "POST" -> json(200, voices.create(readJson(ex, false)));
                    case "GET" -> json(200, voices.list(query(ex.getRequestURI()), baseUri));
                    default -> throw methodNotAllowed(method, path);
                };
            }
            case "/v1/documents" -> {
                return switch (method) {
                    case "POST" -> json(200, documents.create(readJson(ex, false)));
                    case "GET" -> json(200, documents.list(query(ex.getRequestURI())));
                    default -> throw methodNotAllowed(method, path);
                };
            }
            case "/v1/organization" -> {
                requireMethod(method, "GET", path);
                return organization();
            }
            case "/v1/workflows" -> {
                requireMethod(method, "GET", path);
                return listWorkflows();
            }
            case "/v1/organization/usage" -> {
                requireMethod(method, "POST", path);
                return usage(readJson(ex, true));
            }
            case "/v1/uploads" -> {
                requireMethod(method, "POST", path);
                return createUpload(readJson(ex, false));
            }
            default -> {
                String endpoint = path.substring("/v1/".length());
                if (!rules.endpoints().contains(endpoint)) {
                    throw new ApiException(404, "Not found: " + path);
                }
                requireMethod(method, "POST", path);
                byte[] raw = readBody(ex, MAX_JSON_BYTES);
                return createTask(endpoint, parseObject(raw, false), new String(raw, StandardCharsets.UTF_8));
            }
        }
    }

    /** The group of the recipe endpoints ({@code /v1/recipes/<recipe>}). */
    static final String RECIPES = "recipes/";

    /**
     * {@code POST /v1/generate/{kind}}: the router picks a model, the task runs as that model's would,
     * and the answer is {@code {id, routing}} (no top-level {@code estimatedCost}, reference §2.2).
     */
    private Reply generate(String kind, JsonNode body, String rawBody) {
        RouterBook.Routed routed = routers.route(kind, body);
        List<ApiException.Issue> issues = new ArrayList<>();
        collectUploadIssues("generate/" + kind, body, issues);
        if (!issues.isEmpty()) {
            throw validationFailed(issues);
        }
        SimulatedTask created = tasks.create("generate/" + kind, routed.candidate().model(), RouterBook.outputKind(kind),
                body, rawBody, routed.estimate(), routed.outputCount());
        routers.created(routed, created.id());
        ObjectNode out = json.createObjectNode();
        out.put("id", created.id());
        out.set("routing", routed.routing());
        return json(200, out);
    }

    /** Endpoints whose create Runway answers with {@code {id}} only (reference §2.2). */
    static final Set<String> ENDPOINTS_WITHOUT_ESTIMATE = Set.of("avatar_videos");

    private Reply createTask(String endpoint, JsonNode body, String rawBody) {
        ValidationResult result = rules.validate(endpoint, body, config.unknownModels());
        List<ApiException.Issue> issues = new ArrayList<>();
        for (Violation v : result.violations()) {
            issues.add(new ApiException.Issue(v.code(), v.path(), v.message()));
        }
        collectUploadIssues(endpoint, body, issues);
        collectCustomResourceIssues(endpoint, body, issues);
        if (issues.isEmpty() && (result.model() == null || result.model().isBlank())) {
            issues.add(new ApiException.Issue("invalid_type", List.of("model"), "model is required."));
        }
        if (!issues.isEmpty()) {
            throw validationFailed(issues);
        }
        String model = result.model();
        MediaKind kind = rules.outputKind(endpoint, model).orElseGet(() -> guessKind(endpoint));
        if (endpoint.startsWith(RECIPES)) {
            // A recipe's variant is its version; its queue and usage go by the recipe's name, as Runway's limits do.
            model = endpoint.substring(RECIPES.length());
        }
        long estimate = rules.estimateCredits(endpoint, body).orElse(UNKNOWN_MODEL_CREDITS);
        SimulatedTask created = tasks.create(endpoint, model, kind, body, rawBody, estimate, rules.outputCount(endpoint, body));
        ObjectNode out = json.createObjectNode();
        out.put("id", created.id());
        if (!ENDPOINTS_WITHOUT_ESTIMATE.contains(endpoint)) {
            out.putObject("estimatedCost").put("credits", estimate);
        }
        return json(200, out);
    }

    /** Every {@code runway://} URI in a media field must name a live upload. */
    /** An avatar video's custom avatar and custom voice must be the organization's, as at Runway. */
    private void collectCustomResourceIssues(String endpoint, JsonNode body, List<ApiException.Issue> issues) {
        if (!endpoint.equals("avatar_videos")) {
            return;
        }
        JsonNode avatar = body.path("avatar");
        if ("custom".equals(avatar.path("type").asText()) && !avatars.exists(avatar.path("avatarId").asText())) {
            issues.add(new ApiException.Issue("custom", List.of("avatar", "avatarId"), "Avatar not found."));
        }
        JsonNode voice = body.path("speech").path("voice");
        if ("custom".equals(voice.path("type").asText()) && !voices.exists(voice.path("id").asText())) {
            issues.add(new ApiException.Issue("custom", List.of("speech", "voice", "id"), "Voice not found."));
        }
    }

    private void collectUploadIssues(String endpoint, JsonNode body, List<ApiException.Issue> issues) {
        for (MediaReference ref : rules.mediaReferences(endpoint, body)) {
            if (!ref.uri().startsWith("runway://")) {
                continue;
            }
            String message = switch (uploads.resolve(ref.uri())) {
                case OK -> null;
                case UNKNOWN -> "This runway:// URI does not name an upload of this organization.";
                case NOT_UPLOADED -> "No file was uploaded for this runway:// URI yet.";
                case EXPIRED -> "This runway:// URI has expired; uploads are valid for " + config.uploadTtl().toHours() + " hours.";
            };
            if (message != null) {
                issues.add(new ApiException.Issue("invalid_runway_uri", ref.path(), message));
            }
        }
    }

    private static MediaKind guessKind(String endpoint) {
        if (endpoint.contains("video") || endpoint.contains("performance") || endpoint.contains("hdr")) {
            return MediaKind.VIDEO;
        }
        return endpoint.contains("image") ? MediaKind.IMAGE : MediaKind.AUDIO;
    }

    private Reply getTask(String id) {
        SimulatedTask t = tasks.visible(id).orElseThrow(() -> new ApiException(404, "Task not found."));
        ObjectNode out = json.createObjectNode();
        out.put("id", t.id());
        out.put("status", t.status().name());
        out.put("createdAt", CREATED_AT.format(t.createdAt()));
        switch (t.status()) {
            case PENDING, THROTTLED -> out.putObject("estimatedCost").put("credits", t.estimatedCredits());
            case RUNNING -> {
                out.putObject("estimatedCost").put("credits", t.estimatedCredits());
                out.put("progress", t.progress());
            }
            case SUCCEEDED -> {
                out.putObject("cost").put("credits", TaskBook.cost(t));
                ArrayNode urls = out.putArray("output");
                t.outputs().forEach(o -> urls.add(outputUrl(t.id(), o).toString()));
            }
            case FAILED -> {
                out.putObject("cost").put("credits", TaskBook.cost(t));
                out.put("failure", TaskBook.failureMessage(t.failureCode()));
                out.put("failureCode", t.failureCode());
            }
            case CANCELLED -> out.putObject("cost").put("credits", 0);
        }
        return json(200, out);
    }

    private Reply deleteTask(String id) {
        if (tasks.visibleInvocation(id).isPresent() || !tasks.delete(id)) {
            throw new ApiException(404, "Task not found.");
        }
        return new Reply(204, Map.of(), null);
    }

    private static SimulatedWorkflows.Workflow findWorkflow(String id) {
        return SimulatedWorkflows.find(id).orElseThrow(() -> new ApiException(404, "Workflow not found."));
    }

    /** {@code GET /v1/workflows}: versions grouped by workflow name, newest version first. */
    private Reply listWorkflows() {
        ObjectNode out = json.createObjectNode();
        ArrayNode data = out.putArray("data");
        Map<String, List<SimulatedWorkflows.Workflow>> byName = new LinkedHashMap<>();
        SimulatedWorkflows.ALL.forEach(w -> byName.computeIfAbsent(w.name(), n -> new ArrayList<>()).add(w));
        byName.forEach((name, versions) -> {
            ObjectNode group = data.addObject();
            group.put("name", name);
            ArrayNode list = group.putArray("versions");
            versions.stream().sorted((a, b) -> Long.compare(b.version(), a.version())).forEach(w -> list.addObject()
                    .put("id", w.id()).put("createdAt", CREATED_AT.format(w.createdAt())).put("version", w.version()));
        });
        return json(200, out);
    }

    private ObjectNode workflowJson(SimulatedWorkflows.Workflow w) {
        ObjectNode out = json.createObjectNode();
        out.put("id", w.id());
        out.put("createdAt", CREATED_AT.format(w.createdAt()));
        out.put("description", w.description());
        ObjectNode graph = out.putObject("graph");
        ArrayNode nodes = graph.putArray("nodes");
        ArrayNode edges = graph.putArray("edges");
        String previous = null;
        for (SimulatedWorkflows.Node n : w.nodes()) {
            ObjectNode node = nodes.addObject().put("id", n.id()).put("name", n.name())
                    .put("type", n.input() ? "input" : "generate." + n.kind().name().toLowerCase());
            if (n.input()) {
                node.putObject("outputs").putObject("text").put("type", "primitive").put("value", "");
            }
            if (previous != null) {
                edges.addObject().put("source", previous).put("target", n.id());
            }
            if (n.input()) {
                previous = n.id();
            }
        }
        graph.put("version", 1);
        out.put("name", w.name());
        out.put("updatedAt", CREATED_AT.format(w.createdAt()));
        out.put("version", w.version());
        return out;
    }

    /**
     * {@code POST /v1/workflows/{id}}: checks {@code nodeOutputs} against the graph (only input nodes may
     * be overridden; typed values; {@code runway://} URIs must name live uploads) and starts an invocation.
     * A primitive value containing {@code [fail:CODE]} makes the first generation node fail with CODE (the
     * invocation still SUCCEEDS, with {@code nodeErrors}, when other nodes produce output); {@code [fail-all:CODE]}
     * makes every generation node fail, and the invocation FAILS.
     */
    private Reply runWorkflow(SimulatedWorkflows.Workflow w, JsonNode body, String rawBody) {
        List<ApiException.Issue> issues = new ArrayList<>();
        Map<String, String> failures = new LinkedHashMap<>();
        body.properties().forEach(member -> {
            if (!member.getKey().equals("nodeOutputs")) {
                issues.add(new ApiException.Issue("unrecognized_keys", List.of(member.getKey()),
                        "Unrecognized key '" + member.getKey() + "'."));
            }
        });
        JsonNode nodeOutputs = body.path("nodeOutputs");
        if (!nodeOutputs.isMissingNode() && !nodeOutputs.isObject()) {
            issues.add(new ApiException.Issue("invalid_type", List.of("nodeOutputs"), "Expected object."));
        }
        for (Map.Entry<String, JsonNode> node : nodeOutputs.properties()) {
            List<Object> nodePath = List.of("nodeOutputs", node.getKey());
            var known = w.node(node.getKey());
            if (known.isEmpty() || !known.get().input()) {
                issues.add(new ApiException.Issue("invalid_node", nodePath, known.isEmpty()
                        ? "No node with this id in the workflow." : "Only input nodes may be overridden."));
                continue;
            }
            for (Map.Entry<String, JsonNode> output : node.getValue().properties()) {
                List<Object> path = List.of("nodeOutputs", node.getKey(), output.getKey());
                JsonNode value = output.getValue();
                String type = value.path("type").asText("");
                switch (type) {
                    case "primitive" -> {
                        JsonNode v = value.path("value");
                        if (!(v.isTextual() || v.isNumber() || v.isBoolean())) {
                            issues.add(new ApiException.Issue("invalid_type", path, "Expected string, number or boolean."));
                        } else if (v.isTextual()) {
                            Matcher all = FORCED_RUN_FAILURE.matcher(v.asText());
                            Matcher one = TaskBook.FORCED_FAILURE.matcher(v.asText());
                            if (all.find()) {
                                w.generators().forEach(g -> failures.put(g.id(), all.group(1)));
                            } else if (one.find()) {
                                failures.put(w.generators().getFirst().id(), one.group(1));
                            }
                        }
                    }
                    case "image", "video", "audio" -> {
                        JsonNode uri = value.path("uri");
                        if (!uri.isTextual()) {
                            issues.add(new ApiException.Issue("invalid_type", path, "uri is required."));
                        } else if (uri.asText().startsWith("runway://") && uploads.resolve(uri.asText()) != UploadBook.Resolution.OK) {
                            issues.add(new ApiException.Issue("invalid_runway_uri", path,
                                    "This runway:// URI does not name a live upload of this organization."));
                        }
                    }
                    default -> issues.add(new ApiException.Issue("invalid_union_discriminator", path,
                            "type must be one of primitive, image, video, audio."));
                }
            }
        }
        if (!issues.isEmpty()) {
            throw validationFailed(issues);
        }
        SimulatedTask created = tasks.createInvocation(w, body, rawBody, failures);
        ObjectNode out = json.createObjectNode();
        out.put("id", created.id());
        return json(200, out);
    }

    /** {@code GET /v1/workflow_invocations/{id}} in the shape of SDK 4.20.1's per-status types. */
    private Reply getInvocation(String id) {
        SimulatedTask t = tasks.visibleInvocation(id).orElseThrow(() -> new ApiException(404,
                "Workflow invocation not found."));
        ObjectNode out = json.createObjectNode();
        out.put("id", t.id());
        out.put("status", t.status().name());
        out.put("createdAt", CREATED_AT.format(t.createdAt()));
        switch (t.status()) {
            case RUNNING -> {
                out.put("progress", t.progress());
                out.putObject("output");
            }
            case SUCCEEDED -> {
                ObjectNode output = out.putObject("output");
                List<String> nodes = tasks.outputNodes(id);
                for (SimulatedOutput o : t.outputs()) {
                    JsonNode urls = output.get(nodes.get(o.index()));
                    (urls == null ? output.putArray(nodes.get(o.index())) : (ArrayNode) urls)
                            .add(outputUrl(t.id(), o).toString());
                }
            }
            case FAILED -> {
                out.put("failure", "Every node of the workflow failed (" + t.failureCode() + ").");
                out.put("failureCode", t.failureCode());
            }
            default -> { }
        }
        Map<String, String> failures = tasks.nodeFailures(id);
        if (!failures.isEmpty() && (t.status() == TaskStatus.SUCCEEDED || t.status() == TaskStatus.FAILED
                || t.status() == TaskStatus.RUNNING)) {
            ObjectNode errors = out.putObject("nodeErrors");
            String workflowId = t.endpoint().substring("workflows/".length());
            failures.forEach((node, code) -> {
                ObjectNode e = errors.putObject(node).put("message", TaskBook.failureMessage(code)).put("failureCode", code);
                SimulatedWorkflows.find(workflowId).flatMap(w -> w.node(node)).ifPresent(n -> e.put("nodeName", n.name()));
            });
        }
        return json(200, out);
    }

    /** A freshly signed link; a random nonce makes every minted link distinct. */
    private URI outputUrl(String taskId, SimulatedOutput o) {
        long expires = clock.instant().plus(config.outputUrlTtl()).getEpochSecond();
        String nonce = Long.toHexString(ThreadLocalRandom.current().nextLong());
        String ext = extension(o.contentType());
        String sig = signer.sign(taskId + "/" + o.index() + "/" + expires + "/" + nonce);
        return baseUri.resolve(OUTPUTS + taskId + "/" + o.index() + "/output." + ext + "?exp=" + expires + "&n=" + nonce + "&sig=" + sig);
    }

    private static String extension(String contentType) {
        return switch (contentType) {
            case "image/png" -> "png";
            case "image/jpeg" -> "jpg";
            case "video/mp4" -> "mp4";
            default -> "wav";
        };
    }

    private Reply download(HttpExchange ex, String method, String path) {
        if (!method.equals("HEAD")) {
            requireMethod(method, "GET", path);
        }
        Matcher m = OUTPUT_PATH.matcher(path);
        Map<String, String> q = query(ex.getRequestURI());
        if (!m.matches()) {
            throw new ApiException(404, "No such output.");
        }
        String taskId = m.group(1);
        int index = Integer.parseInt(m.group(2));
        long expires;
        try {
            expires = Long.parseLong(q.getOrDefault("exp", ""));
        } catch (NumberFormatException e) {
            throw new ApiException(403, "This output link is not signed.");
        }
        if (!signer.verify(taskId + "/" + index + "/" + expires + "/" + q.get("n"), q.get("sig"))) {
            throw new ApiException(403, "This output link's signature is invalid.");
        }
        if (clock.instant().getEpochSecond() >= expires) {
            throw new ApiException(403, "This output link has expired; fetch the task again for a fresh one.");
        }
        OutputContent content = tasks.output(taskId, index).orElseThrow(() -> new ApiException(404, "No such output."));
        return new Reply(200, Map.of("Cache-Control", "private, max-age=0"), content);
    }

    private Reply createUpload(JsonNode body) {
        List<ApiException.Issue> issues = new ArrayList<>();
        JsonNode filename = body.path("filename");
        if (!filename.isTextual()) {
            issues.add(new ApiException.Issue("invalid_type", List.of("filename"), "filename is required and must be a string."));
        } else if (!FILENAME.matcher(filename.asText()).matches()) {
            issues.add(new ApiException.Issue("invalid_string", List.of("filename"),
                    "filename must be 3-255 characters without slashes, quotes or control characters."));
        } else {
            String name = filename.asText();
            int dot = name.lastIndexOf('.');
            String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(java.util.Locale.ROOT);
            if (!UploadBook.EXTENSIONS.contains(ext)) {
                issues.add(new ApiException.Issue("invalid_string", List.of("filename"),
                        "filename must end in the extension of a supported media type: " + new TreeSet<>(UploadBook.EXTENSIONS) + "."));
            }
        }
        if (!"ephemeral".equals(body.path("type").asText(null))) {
            issues.add(new ApiException.Issue("invalid_literal", List.of("type"), "type must be \"ephemeral\"."));
        }
        if (!issues.isEmpty()) {
            throw validationFailed(issues);
        }
        UploadBook.Slot slot = uploads.create(filename.asText());
        ObjectNode out = json.createObjectNode();
        out.put("uploadUrl", baseUri.resolve(UPLOADS + slot.id).toString());
        ObjectNode fields = out.putObject("fields");
        UploadBook.fields(slot).forEach(fields::put);
        out.put("runwayUri", slot.runwayUri());
        return json(200, out);
    }

    private Reply storeUpload(HttpExchange ex, String method, String path) throws IOException {
        requireMethod(method, "POST", path);
        UploadBook.Slot slot = uploads.slot(path.substring(UPLOADS.length()));
        if (slot == null) {
            throw new ApiException(404, "No such upload slot.");
        }
        String boundary = MultipartReader.boundaryOf(ex.getRequestHeaders().getFirst("Content-Type"));
        if (boundary == null) {
            throw new ApiException(400, "The upload must be a multipart/form-data POST.");
        }
        MultipartReader reader = new MultipartReader(ex.getRequestBody(), boundary);
        Map<String, String> fields = new HashMap<>();
        long size = -1;
        try {
            for (MultipartReader.Part part = reader.next(); part != null; part = reader.next()) {
                if (part.filename() == null && part.name() != null && !part.name().equals("file")) {
                    byte[] value = part.body().readNBytes(MAX_FIELD_BYTES + 1);
                    if (value.length > MAX_FIELD_BYTES) {
                        throw new ApiException(400, "Form field " + part.name() + " is too large.");
                    }
                    fields.put(part.name(), new String(value, StandardCharsets.UTF_8));
                } else if ("file".equals(part.name())) {
                    String problem = uploads.checkFields(slot, fields);
                    if (problem != null) {
                        throw new ApiException(403, problem);
                    }
                    size = countBytes(part.body(), config.uploadMaxBytes());
                }
            }
        } catch (IOException e) {
            throw new ApiException(400, "Malformed multipart body: " + e.getMessage());
        }
        if (size < 0) {
            String problem = uploads.checkFields(slot, fields);
            throw new ApiException(problem != null ? 403 : 400, problem != null ? problem : "The form has no file field.");
        }
        if (size < config.uploadMinBytes()) {
            throw new ApiException(400, "The file is " + size + " bytes; uploads must be at least " + config.uploadMinBytes() + " bytes.");
        }
        uploads.complete(slot, size);
        return new Reply(204, Map.of(), null);
    }

    private static long countBytes(InputStream in, long max) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
            total += n;
            if (total > max) {
                throw new ApiException(400, "The file exceeds the upload limit of " + max + " bytes.");
            }
        }
        return total;
    }

    private Reply organization() {
        Instant now = clock.instant();
        Set<String> models = new TreeSet<>();
        for (String endpoint : rules.endpoints()) {
            models.addAll(rules.models(endpoint));
        }
        models.addAll(config.modelLimits().keySet());
        models.addAll(tasks.modelsUsed());
        ObjectNode out = json.createObjectNode();
        out.put("creditBalance", tasks.creditBalance(now));
        ObjectNode tier = out.putObject("tier");
        tier.put("maxMonthlyCreditSpend", MAX_MONTHLY_CREDIT_SPEND);
        ObjectNode tierModels = tier.putObject("models");
        ObjectNode usageModels = out.putObject("usage").putObject("models");
        for (String model : models) {
            ModelLimits limits = config.limitsFor(model);
            ObjectNode l = tierModels.putObject(model);
            putLimit(l, "maxConcurrentGenerations", limits.maxConcurrentGenerations());
            putLimit(l, "maxDailyGenerations", limits.maxDailyGenerations());
            usageModels.putObject(model).put("dailyGenerations", tasks.dailyGenerations(model, now));
        }
        return json(200, out);
    }

    private static void putLimit(ObjectNode node, String name, Integer value) {
        if (value == null) {
            node.putNull(name);
        } else {
            node.put(name, value);
        }
    }

    private Reply usage(JsonNode body) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        List<ApiException.Issue> issues = new ArrayList<>();
        LocalDate start = date(body, "startDate", today.minusDays(30), issues);
        LocalDate before = date(body, "beforeDate", start.plusDays(30), issues);
        if (issues.isEmpty() && !before.isAfter(start)) {
            issues.add(new ApiException.Issue("invalid_date", List.of("beforeDate"), "beforeDate must be after startDate."));
        }
        if (issues.isEmpty() && before.isAfter(start.plusDays(90))) {
            issues.add(new ApiException.Issue("invalid_date", List.of("beforeDate"), "beforeDate must be at most 90 days after startDate."));
        }
        if (!issues.isEmpty()) {
            throw validationFailed(issues);
        }
        Map<LocalDate, Map<String, Long>> used = tasks.usage(clock.instant());
        Set<String> models = new LinkedHashSet<>();
        ObjectNode out = json.createObjectNode();
        ArrayNode results = json.createArrayNode();
        for (LocalDate d = start; d.isBefore(before); d = d.plusDays(1)) {
            ObjectNode day = results.addObject();
            day.put("date", d.toString());
            ArrayNode credits = day.putArray("usedCredits");
            for (Map.Entry<String, Long> e : used.getOrDefault(d, Map.of()).entrySet()) {
                models.add(e.getKey());
                credits.addObject().put("model", e.getKey()).put("amount", e.getValue());
            }
        }
        ArrayNode modelArray = out.putArray("models");
        models.forEach(modelArray::add);
        out.set("results", results);
        return json(200, out);
    }

    private static LocalDate date(JsonNode body, String field, LocalDate fallback, List<ApiException.Issue> issues) {
        JsonNode n = body.path(field);
        if (n.isMissingNode() || n.isNull()) {
            return fallback;
        }
        try {
            if (n.isTextual() && n.asText().matches("\\d{4}-\\d{2}-\\d{2}")) {
                return LocalDate.parse(n.asText());
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        issues.add(new ApiException.Issue("invalid_date", List.of(field), field + " must be a date in the form YYYY-MM-DD."));
        return fallback;
    }

    private Reply admin(String method, String path) {
        requireMethod(method, "GET", path);
        Matcher m = SHA_PATH.matcher(path);
        if (!m.matches()) {
            throw new ApiException(404, "Not found: " + path);
        }
        String taskId = m.group(1);
        int index = Integer.parseInt(m.group(2));
        OutputContent content = tasks.output(taskId, index).orElseThrow(() -> new ApiException(404, "No such output."));
        String sha = tasks.sha256(taskId, index).orElseThrow(() -> new ApiException(404, "No such output."));
        ObjectNode out = json.createObjectNode();
        out.put("sha256", sha);
        out.put("size", content.length());
        out.put("contentType", content.contentType());
        return json(200, out);
    }

    private void authenticate(HttpExchange ex) {
        String header = ex.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.startsWith("Bearer ")) {
            throw new ApiException(401, "Missing API key: send the header Authorization: Bearer <key>.");
        }
        byte[] given = header.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, apiKey.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(401, "Invalid API key.");
        }
    }

    private static void checkVersion(HttpExchange ex) {
        String version = ex.getRequestHeaders().getFirst("X-Runway-Version");
        if (version == null) {
            throw new ApiException(400, "Missing X-Runway-Version header; set it to " + API_VERSION + ".");
        }
        if (!version.equals(API_VERSION)) {
            throw new ApiException(400, "Unsupported X-Runway-Version '" + sanitize(version) + "'; the supported version is " + API_VERSION + ".");
        }
    }

    private static String sanitize(String s) {
        String cut = s.length() > 40 ? s.substring(0, 40) + "…" : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    private static void requireMethod(String method, String expected, String path) {
        if (!method.equals(expected)) {
            throw methodNotAllowed(method, path);
        }
    }

    private static ApiException methodNotAllowed(String method, String path) {
        return new ApiException(405, "Method " + method + " is not allowed on " + path + ".");
    }

    private static ApiException validationFailed(List<ApiException.Issue> issues) {
        ApiException.Issue first = issues.getFirst();
        String where = first.path().isEmpty() ? "" : new Violation(first.path(), first.code(), first.message()).dottedPath() + ": ";
        String more = issues.size() > 1 ? " (and " + (issues.size() - 1) + " more issue" + (issues.size() > 2 ? "s" : "") + ")" : "";
        return new ApiException(400, "Validation of body failed: " + where + first.message() + more, issues, Map.of());
    }

    private JsonNode readJson(HttpExchange ex, boolean emptyAllowed) throws IOException {
        return parseObject(readBody(ex, MAX_JSON_BYTES), emptyAllowed);
    }

    private JsonNode parseObject(byte[] raw, boolean emptyAllowed) {
        if (raw.length == 0 && emptyAllowed) {
            return json.createObjectNode();
        }
        try {
            JsonNode node = json.readTree(raw);
            if (node == null || !node.isObject()) {
                throw new ApiException(400, "The request body must be a JSON object.");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new ApiException(400, "The request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiException(400, "The request body could not be read.");
        }
    }

    private static byte[] readBody(HttpExchange ex, int max) throws IOException {
        byte[] raw = ex.getRequestBody().readNBytes(max + 1);
        if (raw.length > max) {
            throw new ApiException(413, "The request body exceeds " + max + " bytes.");
        }
        return raw;
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new HashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private Reply json(int status, JsonNode body) {
        try {
            return new Reply(status, Map.of(), new OutputContent("application/json; charset=utf-8", "json",
                    List.of(new ContentPart.Fixed(json.writeValueAsBytes(body)))));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JsonNode always serialises", e);
        }
    }

    private Reply error(int status, String message, Map<String, String> headers) {
        return error(status, message, headers, List.of());
    }

    private Reply error(int status, String message, Map<String, String> headers, List<ApiException.Issue> issues) {
        ObjectNode out = json.createObjectNode();
        out.put("error", message);
        if (!issues.isEmpty()) {
            ArrayNode array = out.putArray("issues");
            for (ApiException.Issue issue : issues) {
                ObjectNode i = array.addObject();
                i.put("code", issue.code());
                ArrayNode p = i.putArray("path");
                for (Object segment : issue.path()) {
                    if (segment instanceof Integer n) {
                        p.add(n);
                    } else {
                        p.add(String.valueOf(segment));
                    }
                }
                i.put("message", issue.message());
            }
        }
        Reply r = json(status, out);
        Map<String, String> merged = new LinkedHashMap<>(r.headers());
        merged.putAll(headers);
        return new Reply(status, merged, r.body());
    }

    /** Writes the reply; the log gets its status before the client can see it. */
    private void send(HttpExchange ex, int entry, Reply reply, long truncateAt, boolean head) throws IOException {
        log.finish(entry, reply.status());
        finishReadingRequest(ex);
        if (head) {
            sendHead(ex, reply);
            return;
        }
        reply.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        OutputContent body = reply.body();
        if (body == null || body.length() == 0) {
            ex.sendResponseHeaders(reply.status(), -1);
            return;
        }
        ex.getResponseHeaders().set("Content-Type", body.contentType());
        ex.sendResponseHeaders(reply.status(), body.length());
        OutputStream out = ex.getResponseBody();
        if (truncateAt >= 0 && truncateAt < body.length()) {
            try {
                body.writeTo(new CutOffStream(out, truncateAt));
            } catch (CutOffStream.Reached reached) {
                out.flush();
            }
            return;
        }
        body.writeTo(out);
        out.close();
    }

    /**
     * Reads and discards what is left of the request body before the answer goes out, so the connection
     * stays usable for the client's next request, as behind Runway's front, which takes in the whole
     * request before answering.
     *
     * <p>Why: a reply that did not need the body (a scripted status fault, a 401, a 404) would otherwise
     * leave it unread. The JDK server then reads at most 64 KiB of it and closes the connection after
     * the answer without saying {@code Connection: close}; a client still sending a large body loses the
     * answer and sees "header parser received no bytes", which turns a scripted 429 into an ambiguous
     * create. When more than {@link #MAX_UNREAD_REQUEST_BYTES} are left, the answer says
     * {@code Connection: close}, so no client keeps a connection the server is about to close.
     */
    private static void finishReadingRequest(HttpExchange ex) {
        try {
            InputStream rest = ex.getRequestBody();
            long skipped = 0;
            byte[] buffer = new byte[64 * 1024];
            for (int n; skipped <= MAX_UNREAD_REQUEST_BYTES && (n = rest.read(buffer)) >= 0; ) {
                skipped += n;
            }
            if (skipped > MAX_UNREAD_REQUEST_BYTES) {
                ex.getResponseHeaders().set("Connection", "close");
            }
        } catch (IOException e) {
            // The request body broke off: the connection cannot carry another request.
            ex.getResponseHeaders().set("Connection", "close");
        }
    }

    /** Headers only, with the {@code Content-Length} a GET would have. */
    private static void sendHead(HttpExchange ex, Reply reply) throws IOException {
        reply.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        if (reply.body() != null) {
            ex.getResponseHeaders().set("Content-Type", reply.body().contentType());
            ex.getResponseHeaders().set("Content-Length", Long.toString(reply.body().length()));
        }
        ex.sendResponseHeaders(reply.status(), -1);
    }

    private void sleep(Duration d) {
        if (d.isZero()) {
            return;
        }
        try {
            config.sleeper().sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A reply before it is written. {@code body} null means no body (204 and the like). */
    private record Reply(int status, Map<String, String> headers, OutputContent body) {
    }

    /** Passes the first {@code limit} bytes through, then stops the writer. */
    private static final class CutOffStream extends OutputStream {
        private final OutputStream out;
        private long remaining;

        CutOffStream(OutputStream out, long limit) {
            this.out = out;
            this.remaining = limit;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            int n = (int) Math.min(len, remaining);
            out.write(b, off, n);
            remaining -= n;
            if (remaining == 0) {
                throw new Reached();
            }
        }

        static final class Reached extends IOException {
            Reached() {
                super("cut-off point reached", null);
            }
        }
    }
}
