package com.runwayrelay.testkit.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;

/**
 * The {@code AWS::DynamoDB::Table} resource of a template, turned into the calls that create the
 * same table: one {@link CreateTableRequest} plus, when the template enables it, the
 * {@link TimeToLiveSpecification} (CreateTable cannot carry TTL).
 *
 * <p>Everything that shapes data is translated: attribute definitions, key schema, global and
 * local secondary indexes with their projections, billing mode and throughput, stream view
 * type, TTL. Properties that only matter to a real account (encryption, backups, tags,
 * deletion protection, table class, ...) are deliberately ignored. Any other property, or an
 * intrinsic function where a literal is needed, is an error: silently dropping it would let the
 * emulated table drift from the deployed one.
 */
final class TaskTableDefinition {

    /** Logical id of the project's table in {@code template.yaml}. */
    static final String LOGICAL_ID = "TaskTable";

    private static final String TABLE_TYPE = "AWS::DynamoDB::Table";

    private static final Set<String> TRANSLATED = Set.of("AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes",
            "LocalSecondaryIndexes", "BillingMode", "ProvisionedThroughput", "StreamSpecification", "TimeToLiveSpecification");

    /** No effect on what an emulator stores or returns. */
    private static final Set<String> IGNORED = Set.of("TableName", "SSESpecification", "PointInTimeRecoverySpecification",
            "Tags", "DeletionProtectionEnabled", "ContributorInsightsSpecification", "TableClass",
            "KinesisStreamSpecification", "ResourcePolicy", "WarmThroughput", "OnDemandThroughput");

    private static final Set<String> IGNORED_IN_INDEX = Set.of("ContributorInsightsSpecification", "OnDemandThroughput", "WarmThroughput");

    private final CreateTableRequest createTable;
    private final Optional<TimeToLiveSpecification> timeToLive;

    private TaskTableDefinition(CreateTableRequest createTable, Optional<TimeToLiveSpecification> timeToLive) {
        this.createTable = createTable;
        this.timeToLive = timeToLive;
    }

    /** The project's table: {@value #LOGICAL_ID} in the template shipped on the classpath. */
    static TaskTableDefinition fromClasspathTemplate() {
        return from(CloudFormationTemplate.fromClasspath(), LOGICAL_ID);
    }

    /**
     * Translates one table resource.
     *
     * @throws TemplateException if the resource is missing, is not a DynamoDB table, lacks a key
     *     schema, or has a property this class cannot translate faithfully
     */
    static TaskTableDefinition from(CloudFormationTemplate template, String logicalId) {
        Object type = template.resource(logicalId).get("Type");
        if (!TABLE_TYPE.equals(type)) {
            throw new TemplateException(logicalId + " in " + template.origin() + " is " + type + ", not " + TABLE_TYPE);
        }
        Reader reader = new Reader(template.origin());
        return reader.table(template.properties(logicalId), logicalId + ".Properties");
    }

    /** The CreateTable call for a table of this shape named {@code tableName}. */
    CreateTableRequest createTableRequest(String tableName) {
        return createTable.toBuilder().tableName(tableName).build();
    }

    /** The UpdateTimeToLive specification, present only when the template enables TTL. */
    Optional<TimeToLiveSpecification> timeToLive() {
        return timeToLive;
    }

    /** Walks the property tree, keeping the path for error messages. */
    private record Reader(String origin) {

        TaskTableDefinition table(Map<String, Object> properties, String path) {
            rejectUnknown(properties, path, TRANSLATED, IGNORED);
            CreateTableRequest.Builder request = CreateTableRequest.builder()
                    .attributeDefinitions(mappings(properties, "AttributeDefinitions", path, true, this::attributeDefinition))
                    .keySchema(keySchema(properties, path));
            String billing = optionalText(properties, "BillingMode", path);
            Map<String, Object> throughput = optionalMap(properties, "ProvisionedThroughput", path);
            BillingMode billingMode = billing == null ? BillingMode.PROVISIONED : billingMode(billing, path + ".BillingMode");
            request.billingMode(billingMode);
            if (throughput != null) {
                request.provisionedThroughput(throughput(throughput, path + ".ProvisionedThroughput"));
            } else if (billingMode == BillingMode.PROVISIONED) {
                throw new TemplateException(path + " in " + origin
                        + ": ProvisionedThroughput is required unless BillingMode is PAY_PER_REQUEST");
            }
            List<GlobalSecondaryIndex> globalIndexes = mappings(properties, "GlobalSecondaryIndexes", path, false, this::globalIndex);
            if (!globalIndexes.isEmpty()) {
                request.globalSecondaryIndexes(globalIndexes);
            }
            List<LocalSecondaryIndex> localIndexes = mappings(properties, "LocalSecondaryIndexes", path, false, this::localIndex);
            if (!localIndexes.isEmpty()) {
                request.localSecondaryIndexes(localIndexes);
            }
            Map<String, Object> stream = optionalMap(properties, "StreamSpecification", path);
            if (stream != null) {
                String streamPath = path + ".StreamSpecification";
                rejectUnknown(stream, streamPath, Set.of("StreamViewType"), Set.of("ResourcePolicy"));
                request.streamSpecification(StreamSpecification.builder()
                        .streamEnabled(true)
                        .streamViewType(requiredText(stream, "StreamViewType", streamPath))
                        .build());
            }
            return new TaskTableDefinition(request.build(), timeToLive(optionalMap(properties, "TimeToLiveSpecification", path),
                    path + ".TimeToLiveSpecification"));
        }

        private Optional<TimeToLiveSpecification> timeToLive(Map<String, Object> ttl, String path) {
            if (ttl == null) {
                return Optional.empty();
            }
            rejectUnknown(ttl, path, Set.of("AttributeName", "Enabled"), Set.of());
            Object enabled = ttl.get("Enabled");
            if (!(enabled instanceof Boolean on)) {
                throw new TemplateException(path + ".Enabled in " + origin + " must be true or false, found " + describe(enabled));
            }
            if (!on) {
                return Optional.empty();
            }
            return Optional.of(TimeToLiveSpecification.builder()
                    .enabled(true)
                    .attributeName(requiredText(ttl, "AttributeName", path))
                    .build());
        }

        private AttributeDefinition attributeDefinition(Map<String, Object> definition, String path) {
            rejectUnknown(definition, path, Set.of("AttributeName", "AttributeType"), Set.of());
            return AttributeDefinition.builder()
                    .attributeName(requiredText(definition, "AttributeName", path))
                    .attributeType(requiredText(definition, "AttributeType", path))
                    .build();
        }

        private KeySchemaElement keyElement(Map<String, Object> element, String path) {
            rejectUnknown(element, path, Set.of("AttributeName", "KeyType"), Set.of());
            return KeySchemaElement.builder()
                    .attributeName(requiredText(element, "AttributeName", path))
                    .keyType(requiredText(element, "KeyType", path))
                    .build();
        }

        private List<KeySchemaElement> keySchema(Map<String, Object> owner, String path) {
            return mappings(owner, "KeySchema", path, true, this::keyElement);
        }

        private GlobalSecondaryIndex globalIndex(Map<String, Object> index, String path) {
            rejectUnknown(index, path, Set.of("IndexName", "KeySchema", "Projection", "ProvisionedThroughput"), IGNORED_IN_INDEX);
            GlobalSecondaryIndex.Builder builder = GlobalSecondaryIndex.builder()
                    .indexName(requiredText(index, "IndexName", path))
                    .keySchema(keySchema(index, path))
                    .projection(projection(requiredMap(index, "Projection", path), path + ".Projection"));
            Map<String, Object> throughput = optionalMap(index, "ProvisionedThroughput", path);
            if (throughput != null) {
                builder.provisionedThroughput(throughput(throughput, path + ".ProvisionedThroughput"));
            }
            return builder.build();
        }

        private LocalSecondaryIndex localIndex(Map<String, Object> index, String path) {
            rejectUnknown(index, path, Set.of("IndexName", "KeySchema", "Projection"), Set.of());
            return LocalSecondaryIndex.builder()
                    .indexName(requiredText(index, "IndexName", path))
                    .keySchema(keySchema(index, path))
                    .projection(projection(requiredMap(index, "Projection", path), path + ".Projection"))
                    .build();
        }

        private Projection projection(Map<String, Object> projection, String path) {
            rejectUnknown(projection, path, Set.of("ProjectionType", "NonKeyAttributes"), Set.of());
            Projection.Builder builder = Projection.builder().projectionType(requiredText(projection, "ProjectionType", path));
            List<String> nonKey = list(projection, "NonKeyAttributes", path, false, this::text);
            if (!nonKey.isEmpty()) {
                builder.nonKeyAttributes(nonKey);
            }
            return builder.build();
        }

        private ProvisionedThroughput throughput(Map<String, Object> throughput, String path) {
            rejectUnknown(throughput, path, Set.of("ReadCapacityUnits", "WriteCapacityUnits"), Set.of());
            return ProvisionedThroughput.builder()
                    .readCapacityUnits(number(throughput.get("ReadCapacityUnits"), path + ".ReadCapacityUnits"))
                    .writeCapacityUnits(number(throughput.get("WriteCapacityUnits"), path + ".WriteCapacityUnits"))
                    .build();
        }

        private BillingMode billingMode(String value, String path) {
            BillingMode mode = BillingMode.fromValue(value);
            if (mode == BillingMode.UNKNOWN_TO_SDK_VERSION) {
                throw new TemplateException(path + " in " + origin + " is '" + value + "', expected PAY_PER_REQUEST or PROVISIONED");
            }
            return mode;
        }

        private <T> List<T> mappings(Map<String, Object> owner, String key, String path, boolean required,
                BiFunction<Map<String, Object>, String, T> elementReader) {
            return list(owner, key, path, required, (value, elementPath) -> elementReader.apply(map(value, elementPath), elementPath));
        }

        private <T> List<T> list(Map<String, Object> owner, String key, String path, boolean required,
                ElementReader<T> elementReader) {
            Object value = owner.get(key);
            String listPath = path + "." + key;
            if (value == null) {
                if (required) {
                    throw new TemplateException(listPath + " in " + origin + " is required");
                }
                return List.of();
            }
            if (!(value instanceof List<?> elements)) {
                throw new TemplateException(listPath + " in " + origin + " must be a list, found " + describe(value));
            }
            if (required && elements.isEmpty()) {
                throw new TemplateException(listPath + " in " + origin + " must not be empty");
            }
            List<T> result = new ArrayList<>(elements.size());
            for (int i = 0; i < elements.size(); i++) {
                result.add(elementReader.read(elements.get(i), listPath + "[" + i + "]"));
            }
            return result;
        }

        private Map<String, Object> requiredMap(Map<String, Object> owner, String key, String path) {
            Map<String, Object> value = optionalMap(owner, key, path);
            if (value == null) {
                throw new TemplateException(path + "." + key + " in " + origin + " is required");
            }
            return value;
        }

        private Map<String, Object> optionalMap(Map<String, Object> owner, String key, String path) {
            Object value = owner.get(key);
            return value == null ? null : map(value, path + "." + key);
        }

        @SuppressWarnings("unchecked")
        private Map<String, Object> map(Object value, String path) {
            if (value instanceof Map<?, ?> map && !isIntrinsic(map)) {
                return (Map<String, Object>) map;
            }
            throw new TemplateException(path + " in " + origin + " must be a mapping, found " + describe(value));
        }

        private String requiredText(Map<String, Object> owner, String key, String path) {
            Object value = owner.get(key);
            if (value == null) {
                throw new TemplateException(path + "." + key + " in " + origin + " is required");
            }
            return text(value, path + "." + key);
        }

        private String optionalText(Map<String, Object> owner, String key, String path) {
            Object value = owner.get(key);
            return value == null ? null : text(value, path + "." + key);
        }

        private String text(Object value, String path) {
            if (value instanceof String text) {
                return text;
            }
            throw new TemplateException(path + " in " + origin + " must be literal text, found " + describe(value));
        }

        private long number(Object value, String path) {
            if (value instanceof Number number) {
                return number.longValue();
            }
            if (value instanceof String text && text.matches("\\d{1,18}")) {
                return Long.parseLong(text);
            }
            throw new TemplateException(path + " in " + origin + " must be a literal whole number, found " + describe(value));
        }

        private void rejectUnknown(Map<String, Object> map, String path, Set<String> translated, Set<String> ignored) {
            Set<String> unknown = new TreeSet<>(map.keySet());
            unknown.removeAll(translated);
            unknown.removeAll(ignored);
            if (!unknown.isEmpty()) {
                throw new TemplateException(path + " in " + origin + " has " + unknown
                        + ", which the emulators cannot reproduce; translate it in TaskTableDefinition or list it as ignored");
            }
        }

        private static boolean isIntrinsic(Map<?, ?> map) {
            return map.size() == 1 && map.keySet().iterator().next() instanceof String key
                    && (key.equals("Ref") || key.equals("Condition") || key.startsWith("Fn::"));
        }

        private static String describe(Object value) {
            if (value == null) {
                return "nothing";
            }
            if (value instanceof Map<?, ?> map && isIntrinsic(map)) {
                return "intrinsic function " + map;
            }
            return value.getClass().getSimpleName() + " " + value;
        }
    }

    @FunctionalInterface
    private interface ElementReader<T> {
        T read(Object element, String path);
    }
}
