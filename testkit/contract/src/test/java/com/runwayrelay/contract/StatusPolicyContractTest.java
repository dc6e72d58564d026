package com.runwayrelay.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.runwayrelay.testkit.aws.CloudFormationTemplate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Least privilege for the status function's table access: its policy grants exactly the DynamoDB
 * actions its code calls, and {@code Query} only on {@code owned-index} (an app's own documents), not
 * on the table or the task indexes.
 */
class StatusPolicyContractTest {
    private static final Path TEMPLATE = TemplateContractTest.REPO.resolve("template.yaml");
    private static final String STATUS_ROOT = "com.runwayrelay.status.StatusFunction";
    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("com.runwayrelay");
    }

    @Test
    void statusPolicyGrantsExactlyTheDynamoDbActionsItsCodeCalls() {
        Set<String> granted = dynamo(FunctionPolicy.granted(CloudFormationTemplate.load(TEMPLATE), "StatusFunction"));
        Set<String> called = dynamo(FunctionPolicy.called(production, STATUS_ROOT));
        assertEquals(called, granted);
    }

    @Test
    void statusMayQueryOnlyTheOwnedIndex() {
        Object policies = CloudFormationTemplate.load(TEMPLATE).properties("StatusFunction").get("Policies");
        List<Object> queryResources = ((List<?>) policies).stream()
                .flatMap(p -> ((List<?>) ((Map<?, ?>) p).get("Statement")).stream())
                .map(s -> (Map<?, ?>) s)
                .filter(s -> String.valueOf(s.get("Action")).contains("dynamodb:Query"))
                .map(s -> (Object) String.valueOf(s.get("Resource")))
                .toList();
        assertEquals(1, queryResources.size(), queryResources.toString());
        assertEquals(true, queryResources.getFirst().toString().contains("/index/owned-index"), queryResources.toString());
    }

    private static Set<String> dynamo(Set<String> actions) {
        return actions.stream().filter(a -> a.startsWith("dynamodb:")).collect(Collectors.toCollection(TreeSet::new));
    }
}
