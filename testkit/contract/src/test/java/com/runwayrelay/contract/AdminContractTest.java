package com.runwayrelay.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.testkit.aws.CloudFormationTemplate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator plane in template.yaml: who may call which route, the routes docs/admin-api.md
 * promises, and the admin function's least-privilege policy, each checked against what the code
 * and the docs say, and shown to notice a mistake.
 */
class AdminContractTest {
    private static final Path TEMPLATE = TemplateContractTest.REPO.resolve("template.yaml");
    private static final String ADMIN_ROOT = "com.runwayrelay.admin.AdminFunction";
    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("com.runwayrelay");
    }

    private static String template() throws IOException {
        return Files.readString(TEMPLATE);
    }

    @Test
    void everyAdminRouteIsIamAuthorized_andNoOtherRouteIs() {
        assertEquals(List.of(), ApiAuthorization.problems(CloudFormationTemplate.load(TEMPLATE)));
    }

    @Test
    void reportsTheRoute_whenAnAdminRouteLosesItsAuthorizer() throws IOException {
        String yaml = template().replaceFirst("Path: /admin/v1/apps, Auth: \\{ Authorizer: AWS_IAM }",
                "Path: /admin/v1/apps");

        List<String> problems = ApiAuthorization.problems(CloudFormationTemplate.parse(yaml, "mutated"));

        assertTrue(problems.contains("AdminFunction: admin route POST /admin/v1/apps is not AWS_IAM-authorized "
                + "(Authorizer: null)"), problems.toString());
    }

    @Test
    void reportsTheRoute_whenAPublicRouteIsIamAuthorized() throws IOException {
        String yaml = template().replace("Path: /v1/organization }", "Path: /v1/organization, Auth: { Authorizer: AWS_IAM } }");

        List<String> problems = ApiAuthorization.problems(CloudFormationTemplate.parse(yaml, "mutated"));

        assertTrue(problems.contains("StatusFunction: public route GET /v1/organization names authorizer AWS_IAM; "
                + "apps authenticate with their keys there"), problems.toString());
    }

    @Test
    void everyRouteOfTheAdminDocIsInTheTemplate_andNoOther() throws IOException {
        Set<String> documented = new TreeSet<>();
        var m = Pattern.compile("`((?:GET|POST|PATCH|DELETE) /admin/v1/[^`?\\[ ]*)").matcher(
                Files.readString(TemplateContractTest.REPO.resolve("docs/admin-api.md")));
        while (m.find()) {
            documented.add(m.group(1));
        }
        Set<String> declared = new TreeSet<>();
        CloudFormationTemplate.load(TEMPLATE).resourcesOfType("AWS::Serverless::Function").values().forEach(f -> {
            Object events = ((Map<?, ?>) f.get("Properties")).get("Events");
            if (events instanceof Map<?, ?> map) {
                map.values().forEach(e -> {
                    var props = (Map<?, ?>) ((Map<?, ?>) e).get("Properties");
                    if (props != null && String.valueOf(props.get("Path")).startsWith("/admin/")) {
                        declared.add(props.get("Method") + " " + props.get("Path"));
                    }
                });
            }
        });

        assertFalse(declared.isEmpty());
        assertEquals(documented, declared);
    }

    /**
     * Actions the class-level scan finds in code the admin function reaches but never runs, each with
     * the reason; the policy must not grant them.
     */
    private static final Map<String, String> REACHED_BUT_NEVER_CALLED = Map.of(
            "s3:DeleteObject", "S3ArchiveAccess.delete runs only from TaskCancellation.deleteForApp (the app's own"
                    + " DELETE); the operator's cancel keeps outputs");

    @Test
    void adminPolicyGrantsExactlyTheActionsItsCodeCalls() {
        Set<String> granted = FunctionPolicy.granted(CloudFormationTemplate.load(TEMPLATE), "AdminFunction");
        Set<String> called = new TreeSet<>(FunctionPolicy.called(production, ADMIN_ROOT));
        called.removeAll(REACHED_BUT_NEVER_CALLED.keySet());

        assertTrue(called.containsAll(Set.of("dynamodb:GetItem", "dynamodb:Query", "sqs:GetQueueAttributes")),
                called.toString());
        assertEquals(called, granted);
        assertFalse(FunctionPolicy.called(production, ADMIN_ROOT).contains("dynamodb:Scan"), "no table scans");
    }

    @Test
    void policyCheckSeesTheTransactionsOfTheAppRepository() {
        Set<String> called = FunctionPolicy.called(production, "com.runwayrelay.aws.dynamodb.DynamoDbAppRepository");

        assertEquals(Set.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"), called);
    }
}
