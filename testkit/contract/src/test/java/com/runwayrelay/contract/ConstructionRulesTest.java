package com.runwayrelay.contract;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.contract.fixture.CleanPort;
import com.runwayrelay.contract.fixture.PositionalApp;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.runway.AmbiguousCreatePolicy;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * An {@link App} has seventeen fields, several of the same type next to each other (sets, booleans),
 * so a positional call can swap two of them unnoticed. Production code builds one with
 * {@link App#builder}, changes one with {@link App#next()} or a {@code with…} method, and only App
 * itself and the DynamoDB mapper that restores stored apps call its constructor.
 */
class ConstructionRulesTest {
    /** The classes allowed to call App's canonical constructor. */
    private static final Set<String> APP_CONSTRUCTORS = Set.of(App.class.getName(), App.Builder.class.getName(),
            "com.runwayrelay.aws.dynamodb.DynamoDbAppRepository");

    static ArchRule appsAreBuiltByName() {
        return noClasses().that().doNotHaveFullyQualifiedName(App.class.getName())
                .and().doNotHaveFullyQualifiedName(App.Builder.class.getName())
                .and().doNotHaveFullyQualifiedName("com.runwayrelay.aws.dynamodb.DynamoDbAppRepository")
                .should().callConstructor(App.class, String.class, String.class, long.class, int.class, Set.class,
                        Set.class, List.class, boolean.class, boolean.class, AmbiguousCreatePolicy.class, String.class,
                        boolean.class, Set.class, Map.class, Set.class, Instant.class, long.class)
                .because("App.builder and App.next name every field they set");
    }

    @Test
    void productionCodeBuildsAppsByName() {
        JavaClasses production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("com.runwayrelay");
        for (String allowed : APP_CONSTRUCTORS) {
            assertTrue(production.contain(allowed), allowed);
        }

        appsAreBuiltByName().check(production);
    }

    @Test
    void ruleCatchesAPositionalApp() {
        JavaClasses fixtures = new ClassFileImporter().importClasses(PositionalApp.class, CleanPort.class);

        var result = appsAreBuiltByName().evaluate(fixtures);

        assertTrue(result.hasViolation());
        assertTrue(result.getFailureReport().toString().contains(PositionalApp.class.getName()),
                result.getFailureReport()::toString);
        assertFalse(result.getFailureReport().toString().contains(CleanPort.class.getName()),
                result.getFailureReport()::toString);
    }
}
