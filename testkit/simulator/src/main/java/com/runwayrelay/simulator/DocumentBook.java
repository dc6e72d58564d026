package com.runwayrelay.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Runway's knowledge documents as the simulator keeps them: one set for the whole organization (the
 * key), with no notion of the gateway's apps, as Runway's own. Lists are cursor-paged by
 * {@code createdAt} or {@code updatedAt}, ties by id; a document's {@code usedBy} is always empty (no
 * avatars here). Thread-safe.
 */
final class DocumentBook {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, Doc> documents = new LinkedHashMap<>();
    private final Clock clock;

    DocumentBook(Clock clock) {
        this.clock = clock;
    }

    private record Doc(String id, String name, String content, Instant createdAt, Instant updatedAt) {
    }

    /** Creates a document; the body is {@code {name, content}}, both non-empty strings. */
    synchronized ObjectNode create(JsonNode body) {
        List<ApiException.Issue> issues = new ArrayList<>();
        String name = text(body, "name", true, issues);
        String content = text(body, "content", true, issues);
        unknownKeys(body, issues);
        if (!issues.isEmpty()) {
            throw new ApiException(400, "Validation of body failed", issues, Map.of());
        }
        Instant now = clock.instant();
        Doc doc = new Doc(UUID.randomUUID().toString(), name, content, now, now);
        documents.put(doc.id(), doc);
        return render(doc, true);
    }

    /** Whether the organization has this document (an avatar may name it). */
    synchronized boolean exists(String id) {
        return documents.containsKey(id);
    }

    synchronized ObjectNode get(String id) {
        return render(find(id), true);
    }

    /** Changes name and/or content; at least one is required. */
    synchronized void update(String id, JsonNode body) {
        Doc doc = find(id);
        List<ApiException.Issue> issues = new ArrayList<>();
        String name = text(body, "name", false, issues);
        String content = text(body, "content", false, issues);
        unknownKeys(body, issues);
        if (issues.isEmpty() && name == null && content == null) {
            issues.add(new ApiException.Issue("custom", List.of(), "At least one of name or content must be provided."));
        }
        if (!issues.isEmpty()) {
            throw new ApiException(400, "Validation of body failed", issues, Map.of());
        }
        documents.put(id, new Doc(id, name == null ? doc.name() : name, content == null ? doc.content() : content,
                doc.createdAt(), clock.instant()));
    }

    synchronized void delete(String id) {
        if (documents.remove(id) == null) {
            throw new ApiException(404, "Document not found.");
        }
    }

    /** One page: {@code limit} 1–100 (default 50), {@code cursor}, {@code order} asc|desc, {@code sort}. */
    synchronized ObjectNode list(Map<String, String> query) {
        List<ApiException.Issue> issues = new ArrayList<>();
        int limit = CursorPages.parsedLimit(query);
        if (limit < 1) {
            issues.add(CursorPages.limitIssue());
        }
        String order = query.getOrDefault("order", "desc");
        String sort = query.getOrDefault("sort", "createdAt");
        if (!order.equals("asc") && !order.equals("desc")) {
            issues.add(new ApiException.Issue("invalid_enum_value", List.of("order"), "order must be asc or desc."));
        }
        if (!sort.equals("createdAt") && !sort.equals("updatedAt")) {
            issues.add(new ApiException.Issue("invalid_enum_value", List.of("sort"), "sort must be createdAt or updatedAt."));
        }
        if (!issues.isEmpty()) {
            throw new ApiException(400, "Validation of query failed", issues, Map.of());
        }
        Comparator<Doc> by = Comparator.comparing((Doc d) -> sort.equals("createdAt") ? d.createdAt() : d.updatedAt())
                .thenComparing(Doc::id);
        if (order.equals("desc")) {
            by = by.reversed();
        }
        List<Doc> all = documents.values().stream().sorted(by).toList();
        return CursorPages.page(all, Doc::id, d -> render(d, false), limit, query.get("cursor"));
    }

    /** How many documents the organization has. */
    synchronized int size() {
        return documents.size();
    }

    private Doc find(String id) {
        Doc doc = documents.get(id);
        if (doc == null) {
            throw new ApiException(404, "Document not found.");
        }
        return doc;
    }

    private static ObjectNode render(Doc doc, boolean withContent) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", doc.id());
        if (withContent) {
            node.put("content", doc.content());
        }
        node.put("createdAt", doc.createdAt().toString());
        node.put("name", doc.name());
        node.put("type", "text");
        node.put("updatedAt", doc.updatedAt().toString());
        node.putArray("usedBy");
        return node;
    }

    private static String text(JsonNode body, String field, boolean required, List<ApiException.Issue> issues) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                issues.add(new ApiException.Issue("invalid_type", List.of(field), "Required"));
            }
            return null;
        }
        if (!value.isTextual() || value.asText().isEmpty()) {
            issues.add(new ApiException.Issue(value.isTextual() ? "too_small" : "invalid_type", List.of(field),
                    value.isTextual() ? "String must contain at least 1 character(s)" : "Expected string"));
            return null;
        }
        return value.asText();
    }

    private static void unknownKeys(JsonNode body, List<ApiException.Issue> issues) {
        body.fieldNames().forEachRemaining(name -> {
            if (!name.equals("name") && !name.equals("content")) {
                issues.add(new ApiException.Issue("unrecognized_keys", List.of(), "Unrecognized key(s) in object: '"
                        + name + "'"));
            }
        });
    }
}
