package com.runwayrelay.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.aws.gateway.GatewayJson;
import com.runwayrelay.domain.Violation;
import com.runwayrelay.domain.admin.AppChanges;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads admin request bodies into the use cases' commands, recording every member that is of the
 * wrong type or not known as a violation (the use case adds its own and reports them together).
 * An absent or empty body reads as {@code {}}.
 */
final class AdminBodies {
    static final Set<String> APP_MEMBERS = Set.of("name", "dailyCreditBudget", "maxActiveTasks", "allowedEndpoints",
            "allowedModels", "defaultCallbackUrl", "ambiguousCreates", "allowUnsafeLatest", "allowedWorkflows",
            "workflowCeilings", "allowedRouterConfigs");
    static final Set<String> ROTATE_MEMBERS = Set.of("graceHours");
    static final Set<String> ASSIGN_MEMBERS = Set.of("appId");
    private static final int MAX_LIST = 100;

    private AdminBodies() {
    }

    /** The app members of a create or update body. */
    static AppChanges appChanges(String body) {
        List<Violation> violations = new ArrayList<>();
        ObjectNode object = object(body, APP_MEMBERS, violations);
        String name = text(object, "name", false, violations);
        Long budget = whole(object, "dailyCreditBudget", violations);
        Long maxActive = whole(object, "maxActiveTasks", violations);
        Set<String> endpoints = names(object, "allowedEndpoints", violations);
        Set<String> models = names(object, "allowedModels", violations);
        Set<String> routers = names(object, "allowedRouterConfigs", violations);
        boolean clears = object.has("defaultCallbackUrl") && object.get("defaultCallbackUrl").isNull();
        String callback = text(object, "defaultCallbackUrl", true, violations);
        String policy = text(object, "ambiguousCreates", false, violations);
        Boolean unsafeLatest = null;
        if (object.has("allowUnsafeLatest")) {
            if (object.get("allowUnsafeLatest").isBoolean()) {
                unsafeLatest = object.get("allowUnsafeLatest").booleanValue();
            } else {
                violations.add(new Violation(List.of("allowUnsafeLatest"), "invalid_type",
                        "allowUnsafeLatest must be true or false"));
            }
        }
        Integer active = null;
        if (maxActive != null) {
            if (maxActive > Integer.MAX_VALUE || maxActive < Integer.MIN_VALUE) {
                violations.add(new Violation(List.of("maxActiveTasks"), maxActive > 0 ? "too_big" : "too_small",
                        "maxActiveTasks is out of range (got " + maxActive + ")"));
            } else {
                active = maxActive.intValue();
            }
        }
        Set<String> workflows = names(object, "allowedWorkflows", violations);
        Map<String, Long> ceilings = ceilings(object, violations);
        return new AppChanges(name, budget, active, endpoints, models, callback, clears, policy, unsafeLatest,
                workflows, ceilings, routers, violations);
    }

    /** {@code workflowCeilings}: an object of workflow id to whole credits. */
    private static Map<String, Long> ceilings(ObjectNode object, List<Violation> violations) {
        JsonNode value = object.get("workflowCeilings");
        if (value == null) {
            return null;
        }
        if (!value.isObject() || value.size() > MAX_LIST) {
            violations.add(new Violation(List.of("workflowCeilings"), "invalid_type", "workflowCeilings must be an"
                    + " object of at most " + MAX_LIST + " workflow ids to whole credits"));
            return null;
        }
        Map<String, Long> ceilings = new java.util.LinkedHashMap<>();
        boolean valid = true;
        for (Map.Entry<String, JsonNode> entry : value.properties()) {
            if (!entry.getValue().isIntegralNumber() || !entry.getValue().canConvertToLong()) {
                violations.add(new Violation(List.of("workflowCeilings", entry.getKey()), "invalid_type",
                        "workflowCeilings." + entry.getKey() + " must be a whole number of credits"));
                valid = false;
            } else {
                ceilings.put(entry.getKey(), entry.getValue().longValue());
            }
        }
        return valid ? ceilings : null;
    }

    /** The body of a rotation: {@code graceHours}, or nothing. */
    static Rotation rotation(String body) {
        List<Violation> violations = new ArrayList<>();
        ObjectNode object = object(body, ROTATE_MEMBERS, violations);
        return new Rotation(whole(object, "graceHours", violations), violations);
    }

    /**
     * A rotation request.
     *
     * @param graceHours how long the old webhook secrets keep signing, or null for the default
     * @param unreadable what was wrong with the body
     */
    record Rotation(Long graceHours, List<Violation> unreadable) {
    }

    /** The body of an orphan's assignment: {@code appId}, required. */
    static Assignment assignment(String body) {
        List<Violation> violations = new ArrayList<>();
        ObjectNode object = object(body, ASSIGN_MEMBERS, violations);
        String appId = text(object, "appId", false, violations);
        // Not "required" on top of an unreadable body or a wrong type: those say it already.
        if (appId == null && violations.stream().noneMatch(v -> v.path().isEmpty() || v.path().equals(List.of("appId")))) {
            violations.add(new Violation(List.of("appId"), "required", "appId is required: the app to give the "
                    + "resource to"));
        } else if (appId != null && appId.isBlank()) {
            violations.add(new Violation(List.of("appId"), "too_small", "appId must not be empty"));
        }
        return new Assignment(violations.isEmpty() ? appId : null, violations);
    }

    /**
     * An assignment request.
     *
     * @param appId      the app, or null when the body is refused
     * @param unreadable what was wrong with the body
     */
    record Assignment(String appId, List<Violation> unreadable) {
    }

    private static ObjectNode object(String body, Set<String> known, List<Violation> violations) {
        if (body == null || body.isBlank()) {
            return GatewayJson.MAPPER.createObjectNode();
        }
        JsonNode node;
        try {
            node = GatewayJson.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            violations.add(new Violation(List.of(), "invalid_json", "The body is not valid JSON (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
            return GatewayJson.MAPPER.createObjectNode();
        }
        if (!(node instanceof ObjectNode object)) {
            violations.add(new Violation(List.of(), "invalid_type", "The body must be a JSON object"));
            return GatewayJson.MAPPER.createObjectNode();
        }
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                unknown.add(name);
            }
        }
        for (String name : unknown) {
            violations.add(new Violation(List.of(name), "unrecognized_keys", "'" + name + "' is not a member of this "
                    + "body; known members: " + String.join(", ", known.stream().sorted().toList())));
            object.remove(name);
        }
        return object;
    }

    private static String text(ObjectNode object, String member, boolean nullable, List<Violation> violations) {
        JsonNode value = object.get(member);
        if (value == null || (nullable && value.isNull())) {
            return null;
        }
        if (!value.isTextual()) {
            violations.add(new Violation(List.of(member), "invalid_type", member + " must be a string"
                    + (nullable ? " or null" : "")));
            return null;
        }
        return value.textValue();
    }

    private static Long whole(ObjectNode object, String member, List<Violation> violations) {
        JsonNode value = object.get(member);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            violations.add(new Violation(List.of(member), "invalid_type", member + " must be a whole number"));
            return null;
        }
        return value.longValue();
    }

    private static Set<String> names(ObjectNode object, String member, List<Violation> violations) {
        JsonNode value = object.get(member);
        if (value == null) {
            return null;
        }
        if (!value.isArray() || value.size() > MAX_LIST) {
            violations.add(new Violation(List.of(member), "invalid_type", member + " must be an array of at most "
                    + MAX_LIST + " names (empty allows all)"));
            return null;
        }
        Set<String> names = new LinkedHashSet<>();
        boolean valid = true;
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (!item.isTextual() || item.textValue().isBlank()) {
                violations.add(new Violation(List.of(member, i), "invalid_type", member + "[" + i
                        + "] must be a non-empty string"));
                valid = false;
            } else {
                names.add(item.textValue());
            }
        }
        return valid ? names : null;
    }
}
