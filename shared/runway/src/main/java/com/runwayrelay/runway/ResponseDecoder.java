package com.runwayrelay.runway;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes Runway's success bodies. Lenient where Runway's schema has changed over time (optional
 * costs, progress, failure codes, unknown statuses and extra fields); strict about what no caller
 * can do without (ids, timestamps, upload URLs).
 */
final class ResponseDecoder {

    private ResponseDecoder() {
    }

    static CreatedTask createdTask(byte[] body) throws IOException {
        JsonNode root = object(body);
        JsonNode routing = root.get("routing");
        return new CreatedTask(requiredText(root, "id"), credits(root.get("estimatedCost")),
                routing != null && routing.isObject() ? routing.toString() : null);
    }

    static Task task(byte[] body) throws IOException {
        JsonNode root = object(body);
        String id = requiredText(root, "id");
        String status = requiredText(root, "status");
        Instant createdAt = instant(requiredText(root, "createdAt"));
        BigDecimal estimated = credits(root.get("estimatedCost"));
        BigDecimal cost = credits(root.get("cost"));
        return switch (status) {
            case "PENDING" -> new Task.Pending(id, createdAt, estimated);
            case "THROTTLED" -> new Task.Throttled(id, createdAt, estimated);
            case "RUNNING" -> new Task.Running(id, createdAt, number(root.get("progress")), estimated);
            case "SUCCEEDED" -> new Task.Succeeded(id, createdAt, strings(root.get("output")), cost);
            case "FAILED" -> new Task.Failed(id, createdAt, textOr(root.get("failure"), ""),
                    textOr(root.get("failureCode"), null), cost);
            case "CANCELLED" -> new Task.Cancelled(id, createdAt, cost);
            default -> new Task.Unknown(id, createdAt, status);
        };
    }

    static UploadSlot uploadSlot(byte[] body) throws IOException {
        JsonNode root = object(body);
        URI uploadUrl;
        try {
            uploadUrl = URI.create(requiredText(root, "uploadUrl"));
        } catch (IllegalArgumentException e) {
            throw new IOException("uploadUrl is not a valid URI", e);
        }
        String scheme = uploadUrl.getScheme();
        if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme)) {
            throw new IOException("uploadUrl must be an http(s) URL");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        JsonNode fieldsNode = root.get("fields");
        if (fieldsNode != null && fieldsNode.isObject()) {
            fieldsNode.properties().forEach(e -> fields.put(e.getKey(), e.getValue().asText()));
        }
        return new UploadSlot(uploadUrl, fields, requiredText(root, "runwayUri"));
    }

    static Organization organization(byte[] body) throws IOException {
        JsonNode root = object(body);
        BigDecimal balance = nonNegative(root.get("creditBalance"));
        if (balance == null) {
            throw new IOException("creditBalance is missing or not a number");
        }
        JsonNode tier = root.path("tier");
        Map<String, Organization.ModelLimits> limits = new HashMap<>();
        tier.path("models").properties().forEach(e -> limits.put(e.getKey(), new Organization.ModelLimits(
                wholeNumber(e.getValue().get("maxConcurrentGenerations")),
                wholeNumber(e.getValue().get("maxDailyGenerations")))));
        Map<String, Long> daily = new HashMap<>();
        root.path("usage").path("models").properties().forEach(e -> {
            Long count = wholeNumber(e.getValue().get("dailyGenerations"));
            if (count != null) {
                daily.put(e.getKey(), count);
            }
        });
        return new Organization(balance, wholeNumber(tier.get("maxMonthlyCreditSpend")), limits, daily);
    }

    static UsageReport usage(byte[] body) throws IOException {
        JsonNode root = object(body);
        List<UsageReport.DailyUsage> days = new ArrayList<>();
        for (JsonNode day : root.path("results")) {
            LocalDate date;
            try {
                date = LocalDate.parse(requiredText(day, "date"));
            } catch (DateTimeParseException e) {
                throw new IOException("results[].date is not YYYY-MM-DD", e);
            }
            Map<String, BigDecimal> byModel = new LinkedHashMap<>();
            for (JsonNode used : day.path("usedCredits")) {
                JsonNode amount = used.get("amount");
                if (used.hasNonNull("model") && amount != null && amount.isNumber()) {
                    byModel.merge(used.get("model").asText(), amount.decimalValue(), BigDecimal::add);
                }
            }
            days.add(new UsageReport.DailyUsage(date, byModel));
        }
        return new UsageReport(strings(root.get("models")), days);
    }

    private static JsonNode object(byte[] body) throws IOException {
        JsonNode root = Json.MAPPER.readTree(body);
        if (root == null || !root.isObject()) {
            throw new IOException("expected a JSON object");
        }
        return root;
    }

    private static String requiredText(JsonNode node, String field) throws IOException {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new IOException("'" + field + "' is missing or not a string");
        }
        return value.asText();
    }

    private static String textOr(JsonNode node, String fallback) {
        return node == null || node.isNull() ? fallback : node.asText();
    }

    private static Instant instant(String text) throws IOException {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IOException("createdAt is not an ISO-8601 instant", e);
        }
    }

    /** Reads {@code {"credits": n}}; {@code null} when absent or malformed. */
    private static BigDecimal credits(JsonNode holder) {
        return holder != null && holder.isObject() ? nonNegative(holder.get("credits")) : null;
    }

    private static BigDecimal nonNegative(JsonNode value) {
        if (value == null || !value.isNumber() || value.decimalValue().signum() < 0) {
            return null;
        }
        return value.decimalValue();
    }

    private static Double number(JsonNode node) {
        return node != null && node.isNumber() ? node.doubleValue() : null;
    }

    private static Long wholeNumber(JsonNode node) {
        return node != null && node.isIntegralNumber() ? node.longValue() : null;
    }

    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node != null && node.isArray()) {
            for (JsonNode item : node) {
                if (item.isTextual()) {
                    values.add(item.asText());
                }
            }
        }
        return values;
    }
}
