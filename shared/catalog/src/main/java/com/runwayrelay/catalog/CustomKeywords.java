package com.runwayrelay.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.AbstractJsonValidator;
import com.networknt.schema.AbstractKeyword;
import com.networknt.schema.ExecutionContext;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonValidator;
import com.networknt.schema.Keyword;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.ValidationContext;
import com.networknt.schema.ValidationMessage;
import com.runwayrelay.domain.media.MediaKind;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The schema keywords the catalog adds to JSON Schema 2020-12:
 * <ul>
 *   <li>{@code x-media}: the string is a media URI of the given kind(s) (reference §2.1);
 *       {@code "image"}, or {@code {"kinds": ["image", "video"], "selectedBy": "type"}} when a
 *       sibling field picks the kind.</li>
 *   <li>{@code x-pattern}: {@code {"regex": ..., "expected": "start with a letter"}}, a pattern
 *       whose failure message says what was expected in words.</li>
 *   <li>{@code minLength}/{@code maxLength}, run by our own validator (under the names
 *       {@link #MIN_LENGTH}/{@link #MAX_LENGTH}) to count UTF-16 code units as Runway does (the
 *       library counts code points) and to produce our messages.</li>
 * </ul>
 * Messages produced here carry their final code and text in {@link ValidationMessage#getDetails()}.
 */
final class CustomKeywords {
    static final String DETAIL_CODE = "relay.code";
    static final String DETAIL_TEXT = "relay.text";
    /** Collector key under which {@code x-media} records the references it saw. */
    static final String MEDIA_COLLECTOR = "relay.media";
    /** The name of the {@code x-pattern} keyword. */
    static final String PATTERN = "x-pattern";

    /**
     * The names our length keywords run under. The library's 2020-12 vocabulary would override a
     * replacement registered as {@code minLength}, so the loader renames the standard keywords
     * in the data to these before compiling.
     */
    static final String MIN_LENGTH = "x-minLength";
    static final String MAX_LENGTH = "x-maxLength";

    private CustomKeywords() {}

    static List<Keyword> all() {
        return List.of(new Media(), new XPattern(), new Length(MIN_LENGTH), new Length(MAX_LENGTH));
    }

    static Set<MediaKind> kindsOf(JsonNode spec) {
        JsonNode kinds = spec.isObject() ? spec.get("kinds") : spec;
        Set<MediaKind> out = EnumSet.noneOf(MediaKind.class);
        if (kinds != null && kinds.isTextual()) {
            out.add(kind(kinds.textValue()));
        } else if (kinds != null && kinds.isArray()) {
            kinds.forEach(k -> out.add(kind(k.asText())));
        }
        if (out.isEmpty()) {
            throw new CatalogLoadException("x-media needs a kind or a list of kinds, got " + spec);
        }
        return out;
    }

    private static MediaKind kind(String name) {
        try {
            return MediaKind.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CatalogLoadException("unknown media kind '" + name + "' in x-media", e);
        }
    }

    private abstract static class Base extends AbstractJsonValidator {
        Base(SchemaLocation location, JsonNodePath evaluationPath, Keyword keyword, JsonNode schemaNode) {
            super(location, evaluationPath, keyword, schemaNode);
        }

        Set<ValidationMessage> fail(JsonNodePath at, JsonNode node, String code, String text) {
            return Set.of(ValidationMessage.builder()
                    .type(getKeyword())
                    .code(code)
                    .instanceLocation(at)
                    .evaluationPath(getEvaluationPath())
                    .schemaLocation(getSchemaLocation())
                    .instanceNode(node)
                    .details(Map.of(DETAIL_CODE, code, DETAIL_TEXT, text))
                    .messageSupplier(() -> text)
                    .build());
        }
    }

    private static final class Media extends AbstractKeyword {
        Media() {
            super("x-media");
        }

        @Override
        public JsonValidator newValidator(SchemaLocation location, JsonNodePath evaluationPath, JsonNode schemaNode,
                JsonSchema parentSchema, ValidationContext context) {
            Set<MediaKind> kinds = kindsOf(schemaNode);
            JsonNode selector = schemaNode.isObject() ? schemaNode.get("selectedBy") : null;
            return new MediaValidator(location, evaluationPath, this, schemaNode, kinds,
                    selector == null ? null : selector.asText());
        }
    }

    private static final class MediaValidator extends Base {
        private final Set<MediaKind> kinds;
        private final String selectedBy;

        MediaValidator(SchemaLocation location, JsonNodePath evaluationPath, Keyword keyword, JsonNode schemaNode,
                Set<MediaKind> kinds, String selectedBy) {
            super(location, evaluationPath, keyword, schemaNode);
            this.kinds = kinds;
            this.selectedBy = selectedBy;
        }

        @Override
        public Set<ValidationMessage> validate(ExecutionContext context, JsonNode node, JsonNode rootNode,
                JsonNodePath at) {
            if (!node.isTextual()) {
                return Set.of();
            }
            List<Object> path = InstancePath.segments(at);
            Set<MediaKind> accepted = narrowed(rootNode, path);
            record(context, new MediaReference(path, accepted, node.textValue()));
            Optional<MediaUri.Problem> problem = MediaUri.check(InstancePath.dotted(path), node.textValue(), accepted);
            return problem.map(p -> fail(at, node, p.code(), p.message())).orElse(Set.of());
        }

        private Set<MediaKind> narrowed(JsonNode root, List<Object> path) {
            if (selectedBy == null || path.isEmpty()) {
                return kinds;
            }
            JsonNode parent = root;
            for (Object segment : path.subList(0, path.size() - 1)) {
                parent = segment instanceof Integer i ? parent.path(i) : parent.path((String) segment);
            }
            JsonNode selector = parent.path(selectedBy);
            if (selector.isTextual()) {
                for (MediaKind kind : kinds) {
                    if (kind.name().equalsIgnoreCase(selector.textValue())) {
                        return EnumSet.of(kind);
                    }
                }
            }
            return kinds;
        }

        @SuppressWarnings("unchecked")
        private static void record(ExecutionContext context, MediaReference reference) {
            Object sink = context.getCollectorContext().get(MEDIA_COLLECTOR);
            if (sink instanceof List<?> list) {
                ((List<MediaReference>) list).add(reference);
            }
        }
    }

    private static final class XPattern extends AbstractKeyword {
        XPattern() {
            super(PATTERN);
        }

        @Override
        public JsonValidator newValidator(SchemaLocation location, JsonNodePath evaluationPath, JsonNode schemaNode,
                JsonSchema parentSchema, ValidationContext context) {
            JsonNode regex = schemaNode.get("regex");
            JsonNode expected = schemaNode.get("expected");
            if (regex == null || expected == null) {
                throw new CatalogLoadException("x-pattern needs 'regex' and 'expected', got " + schemaNode);
            }
            Pattern pattern = Pattern.compile(regex.asText());
            String words = expected.asText();
            return new Base(location, evaluationPath, this, schemaNode) {
                @Override
                public Set<ValidationMessage> validate(ExecutionContext ctx, JsonNode node, JsonNode root,
                        JsonNodePath at) {
                    if (!node.isTextual() || pattern.matcher(node.textValue()).find()) {
                        return Set.of();
                    }
                    String field = InstancePath.dotted(InstancePath.segments(at));
                    return fail(at, node, "invalid_string",
                            field + " must " + words + " (got \"" + MediaUri.echo(node.textValue()) + "\")");
                }
            };
        }
    }

    private static final class Length extends AbstractKeyword {
        private final boolean max;

        Length(String name) {
            super(name);
            this.max = name.equals(MAX_LENGTH);
        }

        @Override
        public JsonValidator newValidator(SchemaLocation location, JsonNodePath evaluationPath, JsonNode schemaNode,
                JsonSchema parentSchema, ValidationContext context) {
            if (!schemaNode.canConvertToExactIntegral()) {
                throw new CatalogLoadException(getValue() + " must be an integer, got " + schemaNode);
            }
            int limit = schemaNode.intValue();
            return new Base(location, evaluationPath, this, schemaNode) {
                @Override
                public Set<ValidationMessage> validate(ExecutionContext ctx, JsonNode node, JsonNode root,
                        JsonNodePath at) {
                    if (!node.isTextual()) {
                        return Set.of();
                    }
                    // Runway measures strings in UTF-16 code units (JavaScript length), like String.length().
                    int length = node.textValue().length();
                    String field = InstancePath.dotted(InstancePath.segments(at));
                    if (max && length > limit) {
                        return fail(at, node, "too_big", field + " must be at most " + limit + " character"
                                + (limit == 1 ? "" : "s") + " (got " + length + ")");
                    }
                    if (!max && length < limit) {
                        return fail(at, node, "too_small", length == 0 && limit == 1
                                ? field + " must not be empty"
                                : field + " must be at least " + limit + " character" + (limit == 1 ? "" : "s")
                                        + " (got " + length + ")");
                    }
                    return Set.of();
                }
            };
        }
    }
}
