package com.runwayrelay.testkit.aws;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A CloudFormation or SAM template read as plain data, so tests and tools can inspect the same
 * file that gets deployed.
 *
 * <p>The YAML short forms of intrinsic functions become the long (JSON) forms CloudFormation
 * itself uses: {@code !Ref X} becomes {@code {"Ref": "X"}}, {@code !Condition X} becomes
 * {@code {"Condition": "X"}}, {@code !GetAtt A.B} becomes {@code {"Fn::GetAtt": ["A", "B"]}}
 * and any other {@code !Name value} becomes {@code {"Fn::Name": value}}, whatever the value's
 * shape ({@code !Sub "..."}, {@code !If [c, a, b]}, {@code !Not [...]}, nested tags included).
 * Mappings keep the file's order ({@link LinkedHashMap}); dates stay strings; duplicate keys
 * are an error, as they are for CloudFormation.
 *
 * <p>Instances are immutable: every map and list returned, at any depth, is unmodifiable.
 * Nothing is resolved or validated against CloudFormation's rules; this is a reader.
 */
public final class CloudFormationTemplate {

    /** Where {@link #fromClasspath()} finds the project's template; the build copies it there. */
    public static final String CLASSPATH_LOCATION = "runway-relay/template.yaml";

    private final String origin;
    private final Map<String, Object> root;

    private CloudFormationTemplate(String origin, Map<String, Object> root) {
        this.origin = origin;
        this.root = root;
    }

    /**
     * Reads a template file.
     *
     * @throws TemplateException if the file is missing, unreadable or not a YAML mapping
     */
    public static CloudFormationTemplate load(Path file) {
        Objects.requireNonNull(file, "file");
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new TemplateException("template file not found: " + file.toAbsolutePath(), e);
        } catch (IOException e) {
            throw new TemplateException("cannot read template file " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /**
     * Reads the project's {@code template.yaml} from the classpath ({@value #CLASSPATH_LOCATION}),
     * where the emulators module's build puts it, so the same definition serves tests, the local
     * stack and deployment.
     *
     * @throws TemplateException if the resource is absent (e.g. the jar was not built by Maven)
     */
    public static CloudFormationTemplate fromClasspath() {
        ClassLoader loader = CloudFormationTemplate.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(CLASSPATH_LOCATION)) {
            if (in == null) {
                throw new TemplateException("classpath resource " + CLASSPATH_LOCATION
                        + " not found; it is copied from the repository's template.yaml when relay-emulators is built");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "classpath:" + CLASSPATH_LOCATION);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classpath resource " + CLASSPATH_LOCATION, e);
        }
    }

    /**
     * Parses template text.
     *
     * @param yaml the template
     * @param origin where it came from, used only in error messages
     * @throws TemplateException if the text is not YAML or its top level is not a mapping
     */
    public static CloudFormationTemplate parse(String yaml, String origin) {
        Objects.requireNonNull(yaml, "yaml");
        Objects.requireNonNull(origin, "origin");
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Object document;
        try {
            document = new Yaml(new IntrinsicFunctionConstructor(options)).load(yaml);
        } catch (YAMLException e) {
            throw new TemplateException(origin + " is not valid YAML: " + e.getMessage(), e);
        }
        if (!(document instanceof Map<?, ?> map)) {
            throw new TemplateException(origin + " is not a template: its top level must be a mapping, found "
                    + (document == null ? "nothing" : document.getClass().getSimpleName()));
        }
        return new CloudFormationTemplate(origin, frozenMap(map, origin));
    }

    /** Where this template was read from (a path, or {@code classpath:...}). */
    public String origin() {
        return origin;
    }

    /** The whole document, top-level sections in file order. */
    public Map<String, Object> root() {
        return root;
    }

    /**
     * A top-level section such as {@code Outputs} or {@code Conditions}; empty if absent.
     *
     * @throws TemplateException if the section exists but is not a mapping
     */
    public Map<String, Object> section(String name) {
        Object value = root.get(name);
        if (value == null) {
            return Map.of();
        }
        return asMap(value, name);
    }

    /** {@code Resources}: logical id to resource ({@code Type}, {@code Properties}, ...), in file order. */
    public Map<String, Map<String, Object>> resources() {
        Map<String, Map<String, Object>> resources = new LinkedHashMap<>();
        section("Resources").forEach((id, resource) -> resources.put(id, asMap(resource, "Resources." + id)));
        return Collections.unmodifiableMap(resources);
    }

    /**
     * One resource by logical id.
     *
     * @throws TemplateException naming the known logical ids if there is no such resource
     */
    public Map<String, Object> resource(String logicalId) {
        Map<String, Map<String, Object>> resources = resources();
        Map<String, Object> resource = resources.get(logicalId);
        if (resource == null) {
            throw new TemplateException("no resource '" + logicalId + "' in " + origin + "; resources: " + resources.keySet());
        }
        return resource;
    }

    /**
     * A resource's {@code Properties}; empty if it has none.
     *
     * @throws TemplateException if there is no such resource
     */
    public Map<String, Object> properties(String logicalId) {
        Object properties = resource(logicalId).get("Properties");
        return properties == null ? Map.of() : asMap(properties, "Resources." + logicalId + ".Properties");
    }

    /** The resources whose {@code Type} is exactly {@code type} (e.g. {@code AWS::Serverless::Function}), in file order. */
    public Map<String, Map<String, Object>> resourcesOfType(String type) {
        Objects.requireNonNull(type, "type");
        Map<String, Map<String, Object>> matching = new LinkedHashMap<>();
        resources().forEach((id, resource) -> {
            if (type.equals(resource.get("Type"))) {
                matching.put(id, resource);
            }
        });
        return Collections.unmodifiableMap(matching);
    }

    /** SAM's {@code Globals} section (e.g. {@code Function}); empty if absent. */
    public Map<String, Object> globals() {
        return section("Globals");
    }

    /** {@code Parameters}: name to declaration ({@code Type}, {@code Default}, ...), in file order; empty if absent. */
    public Map<String, Object> parameters() {
        return section("Parameters");
    }

    @Override
    public String toString() {
        return "CloudFormationTemplate[" + origin + "]";
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> asMap(Object value, String path) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new TemplateException(path + " in " + origin + " must be a mapping, found " + value.getClass().getSimpleName());
    }

    private static Map<String, Object> frozenMap(Map<?, ?> map, String origin) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((key, value) -> copy.put(String.valueOf(key), frozen(value, origin)));
        return Collections.unmodifiableMap(copy);
    }

    private static Object frozen(Object value, String origin) {
        if (value instanceof Map<?, ?> map) {
            return frozenMap(map, origin);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(element -> copy.add(frozen(element, origin)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }

    /**
     * SnakeYAML's safe constructor plus CloudFormation's local tags. Only plain maps, lists and
     * scalars can come out, so a template can never instantiate arbitrary classes.
     */
    private static final class IntrinsicFunctionConstructor extends SafeConstructor {

        IntrinsicFunctionConstructor(LoaderOptions options) {
            super(options);
            yamlMultiConstructors.put("!", new ConstructIntrinsicFunction());
            // CloudFormation treats 2010-09-09 as text; YAML 1.1 would make it a java.util.Date.
            yamlConstructors.put(Tag.TIMESTAMP, new ConstructPlainString());
        }

        private final class ConstructPlainString extends AbstractConstruct {
            @Override
            public Object construct(Node node) {
                return constructScalar((ScalarNode) node);
            }
        }

        private final class ConstructIntrinsicFunction extends AbstractConstruct {
            @Override
            public Object construct(Node node) {
                String name = node.getTag().getValue().substring(1);
                Object argument = switch (node) {
                    case ScalarNode scalar -> constructScalar(scalar);
                    case SequenceNode sequence -> constructSequence(sequence);
                    case MappingNode mapping -> constructMapping(mapping);
                    default -> throw new YAMLException("unsupported node for !" + name + ": " + node.getNodeId());
                };
                Map<String, Object> function = new LinkedHashMap<>(2);
                switch (name) {
                    case "Ref", "Condition" -> function.put(name, argument);
                    case "GetAtt" -> function.put("Fn::GetAtt", argument instanceof String dotted ? splitGetAtt(dotted) : argument);
                    default -> function.put("Fn::" + name, argument);
                }
                return function;
            }

            /** {@code !GetAtt Res.Attr.Sub} names resource {@code Res}, attribute {@code Attr.Sub}. */
            private List<String> splitGetAtt(String dotted) {
                int dot = dotted.indexOf('.');
                if (dot <= 0 || dot == dotted.length() - 1) {
                    throw new YAMLException("!GetAtt needs 'Resource.Attribute', got '" + dotted + "'");
                }
                return List.of(dotted.substring(0, dot), dotted.substring(dot + 1));
            }
        }
    }
}
