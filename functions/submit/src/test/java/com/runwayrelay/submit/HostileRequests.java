package com.runwayrelay.submit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.aws.gateway.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The hostile-request corpus: {@code src/test/resources/hostile/corpus.jsonl}, one JSON object per
 * line, and the fake DNS its host names resolve through, {@code hostile/dns.json}
 * ({@code {"name": ["address", ...]}}; every other name does not resolve).
 *
 * <p>A case: {@code id}, {@code category} (one of {@link #CATEGORIES}), {@code description},
 * {@code request} and {@code expect}. The request has {@code method}, {@code path}, optional
 * {@code headers}, and its body as exactly one of {@code body} (text), {@code bodyBase64} (bytes,
 * sent base64-encoded as API Gateway sends binary bodies, so invalid UTF-8 can be written) or
 * {@code bodyParts} (strings and {@code {"repeat": unit, "count": n}} pieces, concatenated, so
 * a 10 MB body takes one line); {@code bodyEncoding: "base64"} sends a text body base64-encoded.
 * The expectation has {@code status}, the problem {@code type} slug, optionally an
 * {@code issue} ({@code path} as JSON path segments and {@code code}; a null code matches any)
 * that must be among the answer's {@code issues}, and optionally a {@code detail} fragment.
 */
record HostileRequests(List<Case> cases, Map<String, List<String>> dns) {
    static final Path DIR = Path.of("src", "test", "resources", "hostile");
    /** Every category the corpus must cover. */
    static final Set<String> CATEGORIES = Set.of("ssrf-ip-literal", "ssrf-unicode", "ssrf-name", "ssrf-trick",
            "ssrf-callback", "dns-private", "callback-redirect", "data-uri-type", "data-uri-mismatch", "oversize-value",
            "oversize-body", "nested-json", "duplicate-key", "invalid-utf8", "huge-number", "metadata-control",
            "malformed-json", "unknown-model");
    private static final ObjectMapper JSON = new ObjectMapper();

    static HostileRequests load() throws IOException {
        List<Case> cases = new ArrayList<>();
        for (String line : Files.readAllLines(DIR.resolve("corpus.jsonl"))) {
            if (!line.isBlank()) {
                cases.add(Case.of(JSON.readTree(line)));
            }
        }
        Map<String, List<String>> dns = JSON.readValue(DIR.resolve("dns.json").toFile(), new TypeReference<>() { });
        return new HostileRequests(List.copyOf(cases), Map.copyOf(dns));
    }

    /** One hostile request and the answer it must get. */
    record Case(String id, String category, String description, String method, String path,
                Map<String, String> headers, String body, boolean base64, JsonNode expect) {

        static Case of(JsonNode json) {
            JsonNode request = json.get("request");
            Map<String, String> headers = new LinkedHashMap<>();
            request.path("headers").properties().forEach(e -> headers.put(e.getKey(), e.getValue().asText()));
            String body;
            boolean base64 = "base64".equals(request.path("bodyEncoding").asText());
            if (request.has("bodyBase64")) {
                body = request.get("bodyBase64").asText();
                base64 = true;
            } else if (request.has("bodyParts")) {
                StringBuilder out = new StringBuilder();
                for (JsonNode part : request.get("bodyParts")) {
                    if (part.isTextual()) {
                        out.append(part.asText());
                    } else {
                        out.repeat(part.get("repeat").asText(), part.get("count").asInt());
                    }
                }
                body = out.toString();
            } else {
                body = request.get("body").asText();
            }
            if (base64 && !request.has("bodyBase64")) {
                body = java.util.Base64.getEncoder().encodeToString(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return new Case(json.get("id").asText(), json.get("category").asText(), json.get("description").asText(),
                    request.get("method").asText(), request.get("path").asText(), headers, body, base64,
                    json.get("expect"));
        }

        /** What is wrong with an answer, or null when it is the expected one. */
        String mismatch(int status, String contentType, JsonNode problem) {
            int expectedStatus = expect.get("status").asInt();
            if (status != expectedStatus) {
                return "status " + status + ", expected " + expectedStatus + ": " + abbreviate(problem.toString());
            }
            if (!Problem.MEDIA_TYPE.equals(contentType)) {
                return "content-type " + contentType;
            }
            String type = Problem.TYPE_PREFIX + expect.get("type").asText();
            if (!type.equals(problem.path("type").asText())) {
                return "type " + problem.path("type").asText() + ", expected " + type;
            }
            JsonNode issue = expect.get("issue");
            if (issue != null) {
                boolean found = false;
                for (JsonNode actual : problem.path("issues")) {
                    found |= actual.path("path").equals(issue.get("path"))
                            && (issue.get("code").isNull() || actual.path("code").equals(issue.get("code")));
                }
                if (!found) {
                    return "no issue " + issue + " among " + abbreviate(problem.path("issues").toString());
                }
            }
            JsonNode detail = expect.get("detail");
            if (detail != null && !problem.path("detail").asText().contains(detail.asText())) {
                return "detail lacks '" + detail.asText() + "': " + abbreviate(problem.path("detail").asText());
            }
            return null;
        }

        private static String abbreviate(String text) {
            return text.length() <= 400 ? text : text.substring(0, 400) + "...";
        }
    }
}
