package com.runwayrelay.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.domain.Violation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rule that relates several fields of one request, which JSON Schema can express only with
 * unreadable error output. Each rule is declared in a model's {@code rules} array by its
 * {@code rule} name; rules skip fields of the wrong JSON type because the schema already
 * reports those. All violations use the code {@code custom}.
 */
sealed interface CrossFieldRule {

    /**
     * @param body     the request body (an object)
     * @param defaults the model's documented default values, used when a field is absent
     */
    List<Violation> check(ObjectNode body, Map<String, JsonNode> defaults);

    static CrossFieldRule parse(JsonNode spec) {
        String name = spec.path("rule").asText("");
        return switch (name) {
            case "frames" -> new Frames(text(spec, "field"), spec.path("referenceMode").asBoolean(false),
                    strings(spec.path("exclusiveWith")));
            case "when" -> When.parse(spec);
            case "tagMentions" -> new TagMentions(text(spec, "prompt"), text(spec, "array"), text(spec, "property"));
            case "unique" -> new Unique(text(spec, "array"), text(spec, "property"));
            case "countWhere" -> new CountWhere(text(spec, "array"), text(spec, "property"), spec.get("equals"),
                    spec.get("default"), spec.path("max").asInt());
            case "ratioArea" -> new RatioArea(text(spec, "field"), Set.copyOf(strings(spec.path("listed"))),
                    spec.path("minPixels").asLong(), spec.path("maxPixels").asLong());
            case "exactlyOne" -> new ExactlyOne(text(spec, "array"), strings(spec.path("properties")));
            case "allOrNone" -> new AllOrNone(text(spec, "array"), text(spec, "property"));
            case "window" -> new Window(text(spec, "array"), text(spec, "value"), text(spec, "range"),
                    text(spec, "start"), text(spec, "end"));
            case "sum" -> new Sum(text(spec, "array"), text(spec, "property"), text(spec, "equals"));
            default -> throw new CatalogLoadException("unknown rule '" + name + "' in " + spec);
        };
    }

    private static String text(JsonNode spec, String key) {
        JsonNode value = spec.get(key);
        if (value == null || !value.isTextual()) {
            throw new CatalogLoadException("rule " + spec.path("rule").asText() + " needs '" + key + "': " + spec);
        }
        return value.textValue();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return List.copyOf(out);
    }

    private static Violation custom(List<Object> path, String message) {
        return new Violation(path, "custom", message);
    }

    private static String show(JsonNode value) {
        return value.isTextual() ? value.textValue() : value.toString();
    }

    /** A field present with a non-null value. */
    private static boolean present(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        return value != null && !value.isNull();
    }

    /**
     * The items' {@code property} values add up to the body's {@code equals} field (its default
     * when absent), e.g. a shot list's per-shot durations to the video's duration. Skipped when
     * the array or a value is not numeric (the schema reports those).
     */
    record Sum(String array, String property, String equals) implements CrossFieldRule {
        @Override
        public List<Violation> check(ObjectNode body, Map<String, JsonNode> defaults) {
            JsonNode items = body.get(array);
            JsonNode total = present(body, equals) ? body.get(equals) : defaults.get(equals);
            if (items == null || !items.isArray() || total == null || !total.isNumber()) {
                return List.of();
            }
            java.math.BigDecimal sum = java.math.BigDecimal.ZERO;
            for (JsonNode item : items) {
                JsonNode value = item.path(property);
                if (!value.isNumber()) {
                    return List.of();
                }
                sum = sum.add(value.decimalValue());
            }
            if (sum.compareTo(total.decimalValue()) == 0) {
                return List.of();
            }
            return List.of(custom(List.of(array), array + ": the " + property + " values add up to "
                    + sum.stripTrailingZeros().toPlainString() + " but " + equals + " is " + show(total)
                    + (present(body, equals) ? "" : " (its default)") + "; they must be equal"));
        }
    }

    /**
     * Keyframe arrays ({@code promptImage: [{uri, position}]}): positions unique, no last frame
     * without a first, no mixing of keyframes with position-less reference items, and (seed 001,
     * Seedance) no keyframes together with the fields in {@code exclusiveWith}.
     */
    record Frames(String field, boolean referenceMode, List<String> exclusiveWith) implements CrossFieldRule {
        @Override
        public List<Violation> check(ObjectNode body, Map<String, JsonNode> defaults) {
            JsonNode frames = body.get(field);
            List<Violation> out = new ArrayList<>();
            if (frames == null || !frames.isArray()) {
                return out;
            }
            Map<String, Integer> seen = new HashMap<>();
            int positioned = 0;
            int unpositioned = 0;
            for (int i = 0; i < frames.size(); i++) {
                JsonNode position = frames.get(i).path("position");
                if (!position.isTextual()) {
                    unpositioned++;
                    continue;
                }
                positioned++;
                Integer earlier = seen.putIfAbsent(position.textValue(), i);
                if (earlier != null) {
                    out.add(custom(List.of(field, i, "position"), field + "[" + i + "].position '" + position.textValue()
                            + "' is already used by " + field + "[" + earlier + "]; each position may appear once"));
                }
            }
            if (seen.containsKey("last") && !seen.containsKey("first")) {
                out.add(custom(List.of(field), field + " has a last frame but no first frame; a last frame needs a first"));
            }
            if (referenceMode && positioned > 0 && unpositioned > 0) {
                out.add(custom(List.of(field), field + " mixes keyframes (items with position) and reference images"
                        + " (items without position); use one mode per request"));
            }
            if (positioned > 0) {
                for (String other : exclusiveWith) {
                    if (present(body, other)) {
                        out.add(custom(List.of(other), other + " cannot be combined with keyframes in " + field
                                + " (items with position); use either first/last frames or " + other));
                    }
                }
            }
            return out;
        }
    }

    /**
     * A conditional: when the condition holds, some fields are required, forbidden, or limited to
     * some values. An absent field takes the model's documented default for the condition and for
     * {@code restrict}.
     */
    record When(String field, List<JsonNode> in, boolean whenPresent, boolean whenKeyframes, List<String> require,
            List<String> requireAny, List<String> forbid, Map<String, List<JsonNode>> restrict)
            implements CrossFieldRule {

        static When parse(JsonNode spec) {
            JsonNode condition = spec.path("if");
            String keyframes = condition.path("keyframes").asText(null);
            String field = keyframes != null ? keyframes : condition.path("field").asText(null);
            if (field == null) {
                throw new CatalogLoadException("rule when needs if.field or if.keyframes: " + spec);
            }
            List<JsonNode> in = new ArrayList<>();
            condition.path("in").forEach(in::add);
            Map<String, List<JsonNode>> restrict = new HashMap<>();
            spec.path("restrict").properties().forEach(e -> {
                List<JsonNode> allowed = new ArrayList<>();
                e.getValue().forEach(allowed::add);
                restrict.put(e.getKey(), List.copyOf(allowed));
            });
            boolean whenPresent = condition.path("present").asBoolean(false);
            if (keyframes == null && !whenPresent && in.isEmpty()) {
                throw new CatalogLoadException("rule when needs if.in, if.present or if.keyframes: " + spec);
            }
            return new When(field, List.copyOf(in), whenPresent, keyframes != null, strings(spec.path("require")),
                    strings(spec.path("requireAny")), strings(spec.path("forbid")), Map.copyOf(restrict));
        }

        @Override
        public List<Violation> check(ObjectNode body, Map<String, JsonNode> defaults) {
            List<Violation> out = new ArrayList<>();
            String condition = holds(body, defaults);
            if (condition == null) {
                return out;
            }
            for (String name : require) {
                if (!present(body, name)) {
                    out.add(custom(List.of(name), name + " is required when " + condition));
                }
            }
            if (!requireAny.isEmpty() && requireAny.stream().noneMatch(name -> present(body, name))) {
                out.add(custom(List.of(field), (requireAny.size() == 1 ? requireAny.get(0) + " is"
                        : "one of " + String.join(", ", requireAny) + " is") + " required when " + condition));
            }
            for (String name : forbid) {
                if (present(body, name)) {
                    out.add(custom(List.of(name), name + " is not allowed when " + condition));
                }
            }
            restrict.forEach((name, allowed) -> {
                JsonNode value = present(body, name) ? body.get(name) : defaults.get(name);
                if (value != null && !allowed.contains(value)) {
                    List<String> shown = allowed.stream().map(CrossFieldRule::show).toList();
                    out.add(custom(List.of(name), name + " must be " + (shown.size() == 1 ? shown.get(0)
                            : "one of " + String.join(", ", shown)) + " when " + condition + " (got " + show(value)
                            + (present(body, name) ? "" : ", the default") + ")"));
                }
            });
            return out;
        }

        /** The condition in words when it holds, else null. */
        private String holds(ObjectNode body, Map<String, JsonNode> defaults) {
            if (whenKeyframes) {
                JsonNode frames = body.get(field);
                boolean keyframes = frames != null && (frames.isTextual()
                        || (frames.isArray() && frames.size() > 0 && frames.get(0).path("position").isTextual()));
                return keyframes ? field + " gives keyframes" : null;
            }
            if (whenPresent) {
                return present(body, field) ? field + " is given" : null;
            }
            JsonNode value = present(body, field) ? body.get(field) : defaults.get(field);
            return value != null && in.contains(value) ? field + " is " + show(value) : null;
        }
    }

    /**
     * Every {@code @name} mention in the prompt must match the tag of one of the reference
     * items (seed 000: "the tag must match the tag field in the referenceImages array"). Applies
     * only when references are given, so prompts without references may contain {@code @} freely.
     */
    record TagMentions(String prompt, String array, String property) implements CrossFieldRule {
        private static final Pattern MENTION = Pattern.compile("(?<![A-Za-z0-9_])@([A-Za-z][A-Za-z0-9_]*)");

        @Override
        public List<Violation> check(ObjectNode body, Map<String, JsonNode> defaults) {
            JsonNode text = body.get(prompt);
            JsonNode references = body.get(array);
            if (text == null || !text.isTextual() || references == null || !references.isArray()
                    || references.isEmpty()) {
                return List.of();
            }
            Set<String> tags = new LinkedHashSet<>();
            references.forEach(r -> {
                if (r.path(property).isTextual()) {
                    tags.add(r.path(property).textValue());
                }
            });
            Set<String> unknown = new LinkedHashSet<>();
            Matcher matcher = MENTION.matcher(text.textValue());
            while (matcher.find()) {
                if (!tags.contains(matcher.group(1))) {
                    unknown.add(matcher.group(1));
                }
            }
            if (unknown.isEmpty()) {
                return List.of();
            }
            String mentions = String.join(", ", unknown.stream().map(t -> "@" + t).toList());
            return List.of(custom(List.of(prompt), prompt + " mentions " + mentions + " but no " + array
                    + " item has that " + property + (tags.isEmpty() ? " (no item has a " + property + ")"
                    : " (" + property + "s given: " + String.join(", ", tags) + ")")));
        }
    }

    /** No two items of an array share a value of one property. */
    record Unique(String array, String property) implements CrossFieldRule {
        @Override
        public List<Violation> check(ObjectNode body, Map<String, JsonNode> defaults) {
            JsonNode items = body.get(array);
            List<Violation> out = new ArrayList<>();
            if (items == null || !items.isArray()) {
                return out;
            }
            Map<JsonNode, Integer> seen = new HashMap<>();
            for (int i = 0; i < items.size(); i++) {
                JsonNode value = items.get(i).get(property);
                if (value == null || value.isNull()) {
                    continue;
                }
                Integer earlier = seen.putIfAbsent(value, i);
                if (earlier != null) {
                    out.add(custom(List.of(array, i, property), array + "[" + i + "]." + property + " '" + show(value)
                            + "' is already used by " + array + "[" + earlier + "]; " + property + "s must be unique"));
                }
            }
            return out;
        }
    }

    /** At most {@code max} items whose property equals a value (absent = the default). */
    record CountWhere(String array, String property, JsonNode equals, JsonNode absent, int max)
            implements CrossFieldRule {
        @Override
        public List<Violation> check(ObjectNode body, Map<String, JsonNode> defaults) {
            JsonNode items = body.get(array);
            if (items == null || !items.isArray()) {
                return List.of();
            }
            int count = 0;
            for (JsonNode item : items) {
                JsonNode value = item.has(property) ? item.get(property) : absent;
                if (equals.equals(value)) {
                    count++;
                }
            }
            return count <= max ? List.of() : List.of(custom(List.of(array), array + " may contain at most " + max
                    + " items with " + property + " " + show(equals) + " (got " + count + ")"));
        }
    }

    /** A {@code W:H} value that is either listed or has a pixel area within bounds. */
    record RatioArea(String field, Set<String> listed, long minPixels, long maxPixels) implements CrossFieldRule {
        private static final Pattern RATIO = Pattern.compile("^([1-9][0-9]{0,5}):([1-9][0-9]{0,5})$");

        @Override
        public List<Violation> check(ObjectNode body, Map<String, JsonNode> defaults) {
            JsonNode value = body.get(field);
            if (value == null || !value.isTextual() || listed.contains(value.textValue())) {
                return List.of();
            }
            Matcher m = RATIO.matcher(value.textValue());
            if (!m.matches()) {
                return List.of(new Violation(List.of(field), "invalid_string", field
                        + " must be one of the listed ratios or W:H in pixels (got \"" + MediaUri.echo(value.textValue())
                        + "\")"));
            }
            long area = Long.parseLong(m.group(1)) * Long.parseLong(m.group(2));
            if (area < minPixels || area > maxPixels) {
                return List.of(custom(List.of(field), field + " " + value.textValue() + " is " + area
                        + " pixels; an unlisted W:H must have between " + minPixels + " and " + maxPixels + " pixels"));
            }
            return List.of();
        }
    }

    /** Each item of an array has exactly one of some properties (aleph2 keyframes: seconds or at). */
    record ExactlyOne(String array, List<String> properties) implements CrossFieldRule {
        @Override
        public List<Violation> check(ObjectNode body, Map<String, JsonNode> defaults) {
            JsonNode items = body.get(array);
            List<Violation> out = new ArrayList<>();
            if (items == null || !items.isArray()) {
                return out;
            }
            for (int i = 0; i < items.size(); i++) {
                JsonNode item = items.get(i);
                long given = properties.stream().filter(item::has).count();
                if (item.isObject() && given != 1) {
                    out.add(custom(List.of(array, i), array + "[" + i + "] must have exactly one of "
                            + String.join(", ", properties) + " (got " + given + ")"));
                }
            }
            return out;
        }
    }

    /** Either every item of an array has the property or none does. */
    record AllOrNone(String array, String property) implements CrossFieldRule {
        @Override
        public List<Violation> check(ObjectNode body, Map<String, JsonNode> defaults) {
            JsonNode items = body.get(array);
            if (items == null || !items.isArray()) {
                return List.of();
            }
            long with = 0;
            for (JsonNode item : items) {
                if (item.has(property)) {
                    with++;
                }
            }
            return with == 0 || with == items.size() ? List.of() : List.of(custom(List.of(array), "either every "
                    + array + " item has a " + property + " or none does (" + with + " of " + items.size() + " have one)"));
        }
    }

    /**
     * Items carrying a time window: the window's end must follow its start, and the item's own
     * time must fall inside it (start inclusive, end exclusive).
     */
    record Window(String array, String value, String range, String start, String end) implements CrossFieldRule {
        @Override
        public List<Violation> check(ObjectNode body, Map<String, JsonNode> defaults) {
            JsonNode items = body.get(array);
            List<Violation> out = new ArrayList<>();
            if (items == null || !items.isArray()) {
                return out;
            }
            for (int i = 0; i < items.size(); i++) {
                JsonNode window = items.get(i).path(range);
                JsonNode from = window.path(start);
                JsonNode to = window.path(end);
                if (!from.isNumber() || !to.isNumber()) {
                    continue;
                }
                String where = array + "[" + i + "]." + range;
                if (to.doubleValue() <= from.doubleValue()) {
                    out.add(custom(List.of(array, i, range), where + "." + end + " must be greater than " + start
                            + " (got " + from.asText() + " to " + to.asText() + ")"));
                    continue;
                }
                JsonNode at = items.get(i).path(value);
                if (at.isNumber() && (at.doubleValue() < from.doubleValue() || at.doubleValue() >= to.doubleValue())) {
                    out.add(custom(List.of(array, i, value), array + "[" + i + "]." + value + " " + at.asText()
                            + " must fall inside its " + range + " [" + from.asText() + ", " + to.asText() + ")"));
                }
            }
            return out;
        }
    }
}
