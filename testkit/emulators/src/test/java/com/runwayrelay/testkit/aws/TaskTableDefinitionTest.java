package com.runwayrelay.testkit.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;

class TaskTableDefinitionTest {

    @Test
    void fromClasspathTemplate_translatesTaskTable() {
        TaskTableDefinition definition = TaskTableDefinition.fromClasspathTemplate();
        CreateTableRequest request = definition.createTableRequest("t1");

        assertEquals("t1", request.tableName());
        assertEquals(BillingMode.PAY_PER_REQUEST, request.billingMode());
        assertEquals(List.of("pk:HASH"), request.keySchema().stream().map(k -> k.attributeName() + ":" + k.keyType()).toList());
        assertEquals(List.of("pk:S", "dueShard:N", "dueAt:N", "appId:S", "listPart:S", "createdKey:S", "ownedPart:S",
                        "ownedKey:S"),
                request.attributeDefinitions().stream().map(a -> a.attributeName() + ":" + a.attributeType()).toList());
        GlobalSecondaryIndex due = request.globalSecondaryIndexes().getFirst();
        assertEquals("due-index", due.indexName());
        assertEquals(List.of("dueShard:HASH", "dueAt:RANGE"),
                due.keySchema().stream().map(k -> k.attributeName() + ":" + k.keyType()).toList());
        assertEquals(ProjectionType.KEYS_ONLY, due.projection().projectionType());
        assertEquals(List.of("due-index", "app-index", "list-index", "owned-index"),
                request.globalSecondaryIndexes().stream().map(GlobalSecondaryIndex::indexName).toList());
        GlobalSecondaryIndex list = request.globalSecondaryIndexes().get(2);
        assertEquals(List.of("listPart:HASH", "createdKey:RANGE"),
                list.keySchema().stream().map(k -> k.attributeName() + ":" + k.keyType()).toList());
        assertEquals(ProjectionType.INCLUDE, list.projection().projectionType());
        assertTrue(list.projection().nonKeyAttributes().containsAll(List.of("appId", "state", "model", "endpoint")));
        GlobalSecondaryIndex owned = request.globalSecondaryIndexes().get(3);
        assertEquals(List.of("ownedPart:HASH", "ownedKey:RANGE"),
                owned.keySchema().stream().map(k -> k.attributeName() + ":" + k.keyType()).toList());
        assertTrue(request.streamSpecification().streamEnabled());
        assertEquals(StreamViewType.NEW_AND_OLD_IMAGES, request.streamSpecification().streamViewType());
        assertEquals(TimeToLiveSpecification.builder().attributeName("expiresAt").enabled(true).build(), definition.timeToLive().orElseThrow());
    }

    @Test
    void createTableRequest_usesGivenName_eachTime() {
        TaskTableDefinition definition = TaskTableDefinition.fromClasspathTemplate();
        assertEquals("a-table", definition.createTableRequest("a-table").tableName());
        assertEquals("b-table", definition.createTableRequest("b-table").tableName());
    }

    @Test
    void from_translatesProvisionedThroughput_localIndexes_andNonKeyAttributes() {
        TaskTableDefinition definition = definition("""
                      ProvisionedThroughput: {ReadCapacityUnits: 5, WriteCapacityUnits: "7"}
                      AttributeDefinitions:
                        - {AttributeName: pk, AttributeType: S}
                        - {AttributeName: sk, AttributeType: S}
                        - {AttributeName: alt, AttributeType: S}
                      KeySchema:
                        - {AttributeName: pk, KeyType: HASH}
                        - {AttributeName: sk, KeyType: RANGE}
                      LocalSecondaryIndexes:
                        - IndexName: by-alt
                          KeySchema:
                            - {AttributeName: pk, KeyType: HASH}
                            - {AttributeName: alt, KeyType: RANGE}
                          Projection: {ProjectionType: INCLUDE, NonKeyAttributes: [state, dueAt]}
                """);
        CreateTableRequest request = definition.createTableRequest("t");
        assertEquals(BillingMode.PROVISIONED, request.billingMode());
        assertEquals(5L, request.provisionedThroughput().readCapacityUnits());
        assertEquals(7L, request.provisionedThroughput().writeCapacityUnits());
        assertEquals(KeyType.RANGE, request.keySchema().get(1).keyType());
        assertEquals(List.of("state", "dueAt"), request.localSecondaryIndexes().getFirst().projection().nonKeyAttributes());
        assertFalse(request.hasGlobalSecondaryIndexes());
        assertTrue(definition.timeToLive().isEmpty());
    }

    @Test
    void from_omitsTimeToLive_whenDisabled() {
        TaskTableDefinition definition = definition(minimal() + """
                      TimeToLiveSpecification: {AttributeName: expiresAt, Enabled: false}
                """);
        assertTrue(definition.timeToLive().isEmpty());
    }

    @Test
    void from_ignoresAccountOnlyProperties() {
        TaskTableDefinition definition = definition(minimal() + """
                      SSESpecification: {SSEEnabled: true}
                      PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}
                      Tags: [{Key: a, Value: b}]
                """);
        assertEquals("pk", definition.createTableRequest("t").keySchema().getFirst().attributeName());
    }

    @Test
    void from_rejectsUnknownProperty_namingIt() {
        TemplateException e = assertThrows(TemplateException.class, () -> definition(minimal() + """
                      ImportSourceSpecification: {InputFormat: CSV}
                """));
        assertTrue(e.getMessage().contains("Table.Properties"), e.getMessage());
        assertTrue(e.getMessage().contains("[ImportSourceSpecification]"), e.getMessage());
    }

    @Test
    void from_rejectsIntrinsicFunction_whereLiteralNeeded() {
        TemplateException e = assertThrows(TemplateException.class, () -> definition("""
                      BillingMode: !Ref Mode
                      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
                      KeySchema: [{AttributeName: pk, KeyType: HASH}]
                """));
        assertTrue(e.getMessage().contains("Table.Properties.BillingMode"), e.getMessage());
        assertTrue(e.getMessage().contains("intrinsic function {Ref=Mode}"), e.getMessage());
    }

    @Test
    void from_rejectsMissingKeySchema() {
        TemplateException e = assertThrows(TemplateException.class, () -> definition("""
                      BillingMode: PAY_PER_REQUEST
                      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
                """));
        assertTrue(e.getMessage().contains("Table.Properties.KeySchema in test is required"), e.getMessage());
    }

    @Test
    void from_rejectsIndexWithoutProjection_namingItsPosition() {
        TemplateException e = assertThrows(TemplateException.class, () -> definition(minimal() + """
                      GlobalSecondaryIndexes:
                        - IndexName: i
                          KeySchema: [{AttributeName: pk, KeyType: HASH}]
                """));
        assertTrue(e.getMessage().contains("GlobalSecondaryIndexes[0].Projection"), e.getMessage());
    }

    @Test
    void from_rejectsProvisionedTable_withoutThroughput() {
        TemplateException e = assertThrows(TemplateException.class, () -> definition("""
                      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
                      KeySchema: [{AttributeName: pk, KeyType: HASH}]
                """));
        assertTrue(e.getMessage().contains("ProvisionedThroughput is required"), e.getMessage());
    }

    @Test
    void from_rejectsUnknownBillingMode() {
        TemplateException e = assertThrows(TemplateException.class, () -> definition("""
                      BillingMode: FREE
                      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
                      KeySchema: [{AttributeName: pk, KeyType: HASH}]
                """));
        assertTrue(e.getMessage().contains("'FREE'"), e.getMessage());
    }

    @Test
    void from_rejectsResourceOfAnotherType() {
        CloudFormationTemplate template = CloudFormationTemplate.parse("Resources:\n  Table:\n    Type: AWS::S3::Bucket\n", "test");
        TemplateException e = assertThrows(TemplateException.class, () -> TaskTableDefinition.from(template, "Table"));
        assertTrue(e.getMessage().contains("is AWS::S3::Bucket, not AWS::DynamoDB::Table"), e.getMessage());
    }

    private static String minimal() {
        return """
                      BillingMode: PAY_PER_REQUEST
                      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
                      KeySchema: [{AttributeName: pk, KeyType: HASH}]
                """;
    }

    private static TaskTableDefinition definition(String properties) {
        String yaml = "Resources:\n  Table:\n    Type: AWS::DynamoDB::Table\n    Properties:\n" + properties;
        return TaskTableDefinition.from(CloudFormationTemplate.parse(yaml, "test"), "Table");
    }
}
