package com.runwayrelay.testkit.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CloudFormationTemplateTest {

    private static final String SAMPLE = """
            AWSTemplateFormatVersion: 2010-09-09
            Transform: AWS::Serverless-2016-10-31
            Parameters:
              Days:
                Type: Number
                Default: 0
              Name:
                Type: String
            Conditions:
              Expires: !Not [!Equals [!Ref Days, 0]]
              Named: !Condition Expires
            Globals:
              Function:
                Runtime: java21
                Environment:
                  Variables:
                    TABLE: !Ref Table
            Resources:
              Table:
                Type: AWS::DynamoDB::Table
                Properties:
                  BillingMode: PAY_PER_REQUEST
              Bucket:
                Type: AWS::S3::Bucket
                Properties:
                  Status: !If [Expires, Enabled, Disabled]
                  Days: !If [Expires, !Ref Days, 36500]
              First:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: a.A::handleRequest
                  Stream: !GetAtt Table.StreamArn
                  Nested: !GetAtt Table.Some.Attribute
                  ListForm: !GetAtt [Table, Arn]
                  Resource: !Sub "${Bucket.Arn}/*"
                  SubList: !Sub ["${x}", {x: !Ref Name}]
                  Joined: !Join [",", [a, b]]
              Second:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: b.B::handleRequest
            Outputs:
              TableName:
                Value: !Ref Table
            """;

    private final CloudFormationTemplate template = CloudFormationTemplate.parse(SAMPLE, "sample");

    @Test
    void parse_turnsRefIntoRefMap() {
        assertEquals(Map.of("Ref", "Table"),
                nested(template.globals(), "Function", "Environment", "Variables", "TABLE"));
        assertEquals(Map.of("Ref", "Table"), nested(template.section("Outputs"), "TableName", "Value"));
    }

    @Test
    void parse_splitsGetAttAtFirstDot_whenScalar() {
        Map<String, Object> properties = template.properties("First");
        assertEquals(Map.of("Fn::GetAtt", List.of("Table", "StreamArn")), properties.get("Stream"));
        assertEquals(Map.of("Fn::GetAtt", List.of("Table", "Some.Attribute")), properties.get("Nested"));
    }

    @Test
    void parse_keepsGetAttList_whenSequence() {
        assertEquals(Map.of("Fn::GetAtt", List.of("Table", "Arn")), template.properties("First").get("ListForm"));
    }

    @Test
    void parse_prefixesOtherTagsWithFn_forScalarsAndSequences() {
        Map<String, Object> properties = template.properties("First");
        assertEquals(Map.of("Fn::Sub", "${Bucket.Arn}/*"), properties.get("Resource"));
        assertEquals(Map.of("Fn::Sub", List.of("${x}", Map.of("x", Map.of("Ref", "Name")))), properties.get("SubList"));
        assertEquals(Map.of("Fn::Join", List.of(",", List.of("a", "b"))), properties.get("Joined"));
    }

    @Test
    void parse_nestsTags_insideSequenceArguments() {
        assertEquals(Map.of("Fn::Not", List.of(Map.of("Fn::Equals", List.of(Map.of("Ref", "Days"), 0)))),
                template.section("Conditions").get("Expires"));
        assertEquals(Map.of("Fn::If", List.of("Expires", Map.of("Ref", "Days"), 36500)), template.properties("Bucket").get("Days"));
        assertEquals(Map.of("Fn::If", List.of("Expires", "Enabled", "Disabled")), template.properties("Bucket").get("Status"));
    }

    @Test
    void parse_mapsConditionTagToConditionKey_likeCloudFormation() {
        assertEquals(Map.of("Condition", "Expires"), template.section("Conditions").get("Named"));
    }

    @Test
    void parse_keepsDatesAsText() {
        assertEquals("2010-09-09", template.root().get("AWSTemplateFormatVersion"));
    }

    @Test
    void resources_keepFileOrder() {
        assertEquals(List.of("Table", "Bucket", "First", "Second"), List.copyOf(template.resources().keySet()));
    }

    @Test
    void resourcesOfType_returnsOnlyThatType_inFileOrder() {
        Map<String, Map<String, Object>> functions = template.resourcesOfType("AWS::Serverless::Function");
        assertEquals(List.of("First", "Second"), List.copyOf(functions.keySet()));
        assertTrue(template.resourcesOfType("AWS::SQS::Queue").isEmpty());
    }

    @Test
    void parameters_andGlobals_areReadable() {
        assertEquals(List.of("Days", "Name"), List.copyOf(template.parameters().keySet()));
        assertEquals("java21", nested(template.globals(), "Function", "Runtime"));
    }

    @Test
    void section_isEmpty_whenAbsent() {
        CloudFormationTemplate bare = CloudFormationTemplate.parse("Resources: {}\n", "bare");
        assertTrue(bare.globals().isEmpty());
        assertTrue(bare.parameters().isEmpty());
        assertTrue(bare.resources().isEmpty());
    }

    @Test
    void resource_namesKnownIds_whenMissing() {
        TemplateException e = assertThrows(TemplateException.class, () -> template.resource("Nope"));
        assertTrue(e.getMessage().contains("'Nope'"), e.getMessage());
        assertTrue(e.getMessage().contains("[Table, Bucket, First, Second]"), e.getMessage());
    }

    @Test
    void everything_isUnmodifiable_atAnyDepth() {
        assertThrows(UnsupportedOperationException.class, () -> template.resources().remove("Table"));
        assertThrows(UnsupportedOperationException.class, () -> template.properties("Table").put("X", 1));
        @SuppressWarnings("unchecked")
        List<Object> ifArguments = (List<Object>) ((Map<String, Object>) template.properties("Bucket").get("Days")).get("Fn::If");
        assertThrows(UnsupportedOperationException.class, () -> ifArguments.add("x"));
    }

    @Test
    void parse_rejectsDuplicateKeys() {
        TemplateException e = assertThrows(TemplateException.class,
                () -> CloudFormationTemplate.parse("Resources:\n  A: {Type: X}\n  A: {Type: Y}\n", "dupes"));
        assertTrue(e.getMessage().startsWith("dupes is not valid YAML"), e.getMessage());
    }

    @Test
    void parse_rejectsNonMappingDocument() {
        TemplateException e = assertThrows(TemplateException.class, () -> CloudFormationTemplate.parse("- a\n- b\n", "list"));
        assertTrue(e.getMessage().contains("top level must be a mapping"), e.getMessage());
    }

    @Test
    void parse_refusesJavaTypeTags() {
        assertThrows(TemplateException.class,
                () -> CloudFormationTemplate.parse("x: !!javax.script.ScriptEngineManager [!!java.net.URL [\"http://x\"]]\n", "evil"));
    }

    @Test
    void load_readsFile(@TempDir Path directory) throws Exception {
        Path file = Files.writeString(directory.resolve("t.yaml"), SAMPLE);
        CloudFormationTemplate loaded = CloudFormationTemplate.load(file);
        assertEquals(template.root(), loaded.root());
        assertEquals(file.toString(), loaded.origin());
    }

    @Test
    void load_namesFile_whenMissing(@TempDir Path directory) {
        Path missing = directory.resolve("absent.yaml");
        TemplateException e = assertThrows(TemplateException.class, () -> CloudFormationTemplate.load(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void fromClasspath_readsProjectTemplate() {
        CloudFormationTemplate project = CloudFormationTemplate.fromClasspath();
        assertEquals("classpath:runway-relay/template.yaml", project.origin());
        assertEquals("AWS::DynamoDB::Table", project.resource("TaskTable").get("Type"));
        assertInstanceOf(Map.class, project.properties("ArchiveBucketPolicy").get("Bucket"));
        assertTrue(project.resourcesOfType("AWS::Serverless::Function").containsKey("SubmitFunction"));
    }

    @Test
    void fromClasspath_isTheRepositoryTemplate() throws Exception {
        Path repositoryTemplate = Path.of(System.getProperty("user.dir")).resolve("../../template.yaml").normalize();
        assertEquals(CloudFormationTemplate.load(repositoryTemplate).root(), CloudFormationTemplate.fromClasspath().root());
    }

    private static Object nested(Map<String, Object> map, String... keys) {
        Object current = map;
        for (String key : keys) {
            current = ((Map<?, ?>) current).get(key);
        }
        return current;
    }
}
