package com.runwayrelay.contract;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.contract.fixture.CleanPort;
import com.runwayrelay.contract.fixture.FrozenJitter;
import com.runwayrelay.contract.fixture.HttpLeakingUseCase;
import com.runwayrelay.contract.fixture.LeakyPort;
import com.runwayrelay.contract.fixture.TextReadingUseCase;
import com.runwayrelay.contract.fixture.memory.FakeLedger;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules of DESIGN.md and STYLE.md, checked on the compiled production classes of
 * every library and function (this module's test classpath holds them all): ports in the domain,
 * free of AWS, HTTP and JSON; functions never depend on each other; shared libraries depend only
 * downward; nothing that ships depends on the test kits or the local stack; the use cases of the
 * app-facing functions say what became of a request and leave HTTP to their function's edge
 * ({@code SubmitApi}, {@code StatusApi}, {@code AdminApi}); so do the operator's use cases in
 * {@code domain.admin}; no production class is an in-memory fake. A rule that matches no
 * class fails (ArchUnit's default), so a package that moved cannot make a rule pass vacuously.
 */
class DependencyRulesTest {
    private static final String ROOT = "com.runwayrelay";
    private static final List<String> FUNCTIONS = List.of("submit", "status", "poller", "archiver", "notifier", "admin");
    /** What only the test kits, the local stack and the benchmarks may use. */
    private static final String[] NOT_SHIPPED = {ROOT + ".simulator..", ROOT + ".testkit..", ROOT + ".local..",
            ROOT + ".bench..", "org.junit..", "org.opentest4j.."};

    /**
     * The use cases of the submit and status functions and their outcome types (nested classes
     * included), by name: they share their packages with the edges that render them.
     */
    static final String USE_CASES = "com\\.runwayrelay\\.(submit\\.(SubmitTask|CreateUpload|SubmitOutcome|UploadOutcome)"
            + "|status\\.(TaskReads|TaskDeletion|OrganizationReport)|domain\\.admin\\.[A-Za-z]+)(\\$.*)?";
    /** HTTP: the gateway's request, response and problem values, the edge, and the Lambda event types. */
    private static final String HTTP_TYPES = "(com\\.runwayrelay\\.aws\\.gateway\\."
            + "(ApiRequest|ApiResponse|Problem|HttpApiEvents|AppEdge)|com\\.amazonaws\\.services\\.lambda\\.runtime\\.).*";

    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    /** Classes in {@code packages} depend on no AWS SDK, HTTP, JSON or adapter package. */
    static ArchRule technologyFree(String packages) {
        return noClasses().that().resideInAPackage(packages)
                .should().dependOnClassesThat().resideInAnyPackage(
                        "software.amazon..", "com.amazonaws..", "com.fasterxml..", "java.net.http..",
                        "com.sun.net.httpserver..", ROOT + ".aws..", ROOT + ".catalog..", ROOT + ".runway..",
                        ROOT + ".submit..", ROOT + ".status..", ROOT + ".poller..", ROOT + ".archiver..",
                        ROOT + ".notifier..", ROOT + ".simulator..", ROOT + ".testkit..", ROOT + ".local..")
                .because("the domain holds the ports; adapters depend on it, never the other way");
    }

    /** Classes named by {@code classNames} (a regular expression) depend on no HTTP type. */
    static ArchRule httpFree(String classNames) {
        return noClasses().that().haveNameMatching(classNames)
                .should().dependOnClassesThat().haveNameMatching(HTTP_TYPES)
                .because("a use case returns an outcome; its function's edge alone maps outcomes to HTTP and problems");
    }

    /**
     * The submit function's classes that take a submission's or an upload request's body from the edge to
     * Runway, by name: they read the tree {@code RequestBody} parsed, never the text again.
     */
    static final String BODY_READERS = "com\\.runwayrelay\\.submit\\."
            + "(SubmitTask|SubmitCommand|RequestCheck|RouterCheck|WorkflowRunCheck|CreateUpload)(\\$.*)?";
    /** What reads JSON text: Jackson's mappers, readers, factories and parsers, and the gateway's shared mapper. */
    private static final String JSON_TEXT_READERS = "(com\\.fasterxml\\.jackson\\.(core\\.(JsonFactory|JsonParser|ObjectCodec"
            + "|TreeCodec)|databind\\.(ObjectMapper|ObjectReader|json\\.JsonMapper))|com\\.runwayrelay\\.aws\\.gateway\\.GatewayJson)";

    /** Classes named by {@code classNames} (a regular expression) depend on nothing that reads JSON text. */
    static ArchRule readsNoJsonText(String classNames) {
        return noClasses().that().haveNameMatching(classNames)
                .should().dependOnClassesThat().haveNameMatching(JSON_TEXT_READERS)
                .because("a submission's or upload request's body is parsed once, strictly, at the edge (RequestBody);"
                        + " what comes after reads that tree, so it cannot read the text differently");
    }

    /** No class is an in-memory fake: the {@code memory} packages are test code, in relay-domain's test-jar. */
    static ArchRule noInMemoryFakes() {
        return classes().should().resideOutsideOfPackage("..memory..")
                .because("the fakes are test code; relay-domain's test-jar ships them to tests and benchmarks only");
    }

    /**
     * Classes in {@code packages} draw no random numbers from a generator whose state a SnapStart snapshot
     * freezes ({@code new Random()}, {@code ThreadLocalRandom}, {@code Math.random()}): every environment
     * restored from one snapshot would draw the same values (docs/decisions.md, "Retry jitter from a
     * SecureRandom").
     */
    static ArchRule snapshotSafeRandomness(String... packages) {
        return noClasses().that().resideInAnyPackage(packages)
                .should().callConstructor(java.util.Random.class)
                .orShould().callConstructor(java.util.Random.class, long.class)
                .orShould().callMethod(java.util.concurrent.ThreadLocalRandom.class, "current")
                .orShould().callMethod(Math.class, "random")
                .because("a SnapStart snapshot freezes their state; SecureRandom mixes fresh OS bytes into each draw");
    }

    private static String[] packagesOf(List<String> names) {
        return names.stream().map(name -> ROOT + "." + name + "..").toArray(String[]::new);
    }

    @Test
    void seesTheProductionClassesOfEveryModule_andNoTestClasses() {
        for (String module : List.of("domain", "catalog", "runway", "aws", "submit", "status", "poller", "archiver",
                "notifier", "admin", "domain.admin")) {
            assertTrue(production.containPackage(ROOT + "." + module), module);
        }
        assertFalse(production.contain(DependencyRulesTest.class));
    }

    @Test
    void domainDependsOnNoAdapterTechnology() {
        technologyFree(ROOT + ".domain..").check(production);
    }

    @Test
    void ruleCatchesAForbiddenDependency_whenOneIsPresent() {
        JavaClasses fixtures = new ClassFileImporter().importClasses(LeakyPort.class, CleanPort.class);

        var result = technologyFree("com.runwayrelay.contract.fixture..").evaluate(fixtures);

        assertTrue(result.hasViolation());
        assertTrue(result.getFailureReport().toString().contains("java.net.http.HttpClient"), result.getFailureReport()::toString);
        assertFalse(result.getFailureReport().toString().contains(CleanPort.class.getName()), result.getFailureReport()::toString);
    }

    @Test
    void deployedCodeDrawsNoRandomnessASnapshotWouldFreeze() {
        List<String> deployed = new java.util.ArrayList<>(List.of("domain", "catalog", "runway", "aws"));
        deployed.addAll(FUNCTIONS);
        snapshotSafeRandomness(packagesOf(deployed)).check(production);
    }

    @Test
    void randomnessRuleCatchesARandomMadeOnceAndThreadLocalRandom() {
        JavaClasses fixtures = new ClassFileImporter().importClasses(FrozenJitter.class, CleanPort.class);

        var result = snapshotSafeRandomness("com.runwayrelay.contract.fixture..").evaluate(fixtures);

        String report = result.getFailureReport().toString();
        assertTrue(report.contains("ThreadLocalRandom.current()"), report);
        assertTrue(report.contains("Random.<init>()"), report);
        assertFalse(report.contains(CleanPort.class.getName()), report);
    }

    @Test
    void useCasesDependOnNoHttpType() {
        httpFree(USE_CASES).check(production);
    }

    @Test
    void useCaseRuleCatchesAnHttpDependency_andCoversEveryUseCase() {
        JavaClasses fixtures = new ClassFileImporter().importClasses(HttpLeakingUseCase.class, CleanPort.class);

        var result = httpFree("com\\.runwayrelay\\.contract\\.fixture\\..*").evaluate(fixtures);

        assertTrue(result.hasViolation());
        assertTrue(result.getFailureReport().toString().contains("ApiResponse"), result.getFailureReport()::toString);
        assertFalse(result.getFailureReport().toString().contains(CleanPort.class.getName()), result.getFailureReport()::toString);
        for (String useCase : List.of("submit.SubmitTask", "submit.CreateUpload", "submit.SubmitOutcome",
                "submit.UploadOutcome", "status.TaskReads", "status.TaskDeletion", "status.OrganizationReport",
                "domain.admin.AppAdministration", "domain.admin.AppOutcome")) {
            assertTrue(production.contain(ROOT + "." + useCase), useCase);
            assertTrue((ROOT + "." + useCase).matches(USE_CASES), useCase);
        }
    }

    @Test
    void theSubmitUseCaseReadsTheEdgesTree_neverTheBodyText() {
        readsNoJsonText(BODY_READERS).check(production);
    }

    @Test
    void parseOnceRuleCatchesATextReader_andCoversTheSubmitPath() {
        JavaClasses fixtures = new ClassFileImporter().importClasses(TextReadingUseCase.class, CleanPort.class);

        var result = readsNoJsonText("com\\.runwayrelay\\.contract\\.fixture\\..*").evaluate(fixtures);

        String report = result.getFailureReport().toString();
        assertTrue(result.hasViolation());
        assertTrue(report.contains("ObjectMapper"), report);
        assertFalse(report.contains(CleanPort.class.getName()), report);
        for (String reader : List.of("SubmitTask", "SubmitCommand", "RequestCheck", "RouterCheck", "WorkflowRunCheck",
                "CreateUpload")) {
            assertTrue(production.contain(ROOT + ".submit." + reader), reader);
            assertTrue((ROOT + ".submit." + reader).matches(BODY_READERS), reader);
        }
    }

    @Test
    void productionHoldsNoInMemoryFake() {
        noInMemoryFakes().check(production);
    }

    @Test
    void fakeRuleCatchesAFake_whenOneIsPresent() {
        JavaClasses fixtures = new ClassFileImporter().importClasses(FakeLedger.class, CleanPort.class);

        var result = noInMemoryFakes().evaluate(fixtures);

        assertTrue(result.hasViolation());
        assertTrue(result.getFailureReport().toString().contains(FakeLedger.class.getName()), result.getFailureReport()::toString);
        assertFalse(result.getFailureReport().toString().contains(CleanPort.class.getName()), result.getFailureReport()::toString);
    }

    @Test
    void domainModuleDeclaresNoCompileDependencies() throws IOException {
        String pom = Files.readString(TemplateContractTest.REPO.resolve("shared/domain/pom.xml"));
        assertFalse(pom.contains("<dependency>"), "relay-domain must not declare dependencies");
    }

    @Test
    void functionsDoNotDependOnEachOther() {
        for (String function : FUNCTIONS) {
            List<String> others = FUNCTIONS.stream().filter(f -> !f.equals(function)).toList();
            noClasses().that().resideInAPackage(ROOT + "." + function + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(packagesOf(others))
                    .because("each function is its own zip; what two share belongs in shared/")
                    .check(production);
        }
    }

    @Test
    void sharedLibrariesDependOnlyDownward() {
        noClasses().that().resideInAnyPackage(ROOT + ".domain..", ROOT + ".catalog..", ROOT + ".runway..",
                        ROOT + ".aws..")
                .should().dependOnClassesThat().resideInAnyPackage(packagesOf(FUNCTIONS))
                .because("functions depend on shared/, never the other way")
                .check(production);
        noClasses().that().resideInAnyPackage(ROOT + ".catalog..", ROOT + ".runway..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".aws..")
                .because("the catalog and the Runway client know nothing of AWS; shared/aws adapts them")
                .check(production);
        noClasses().that().resideInAPackage(ROOT + ".catalog..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".runway..")
                .check(production);
        noClasses().that().resideInAPackage(ROOT + ".runway..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".catalog..")
                .check(production);
    }

    @Test
    void shippedCodeDependsOnNoTestKitOrLocalStack() {
        String[] shipped = packagesOf(List.of("domain", "catalog", "runway", "aws"));
        String[] all = Arrays.copyOf(shipped, shipped.length + FUNCTIONS.size());
        System.arraycopy(packagesOf(FUNCTIONS), 0, all, shipped.length, FUNCTIONS.size());
        noClasses().that().resideInAnyPackage(all)
                .should().dependOnClassesThat().resideInAnyPackage(NOT_SHIPPED)
                .because("a Lambda zip holds only production code")
                .check(production);
    }
}
