package com.runwayrelay.domain.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.Violation;
import com.runwayrelay.domain.app.ApiKeys;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.app.AppRepository;
import com.runwayrelay.domain.media.AddressGuard;
import com.runwayrelay.domain.memory.InMemoryAppRepository;
import com.runwayrelay.domain.memory.ManualClock;
import com.runwayrelay.domain.runway.AmbiguousCreatePolicy;
import com.runwayrelay.domain.webhook.CallbackUrlCheck;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AppAdministrationTest {
    private static final KnownNames KNOWN = new KnownNames(Set.of("text_to_image", "image_to_video"),
            Set.of("gen4_image", "gen4_turbo"));
    private final InMemoryAppRepository repository = new InMemoryAppRepository();
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-03T08:00:00Z"));
    private final AppAdministration admin = new AppAdministration(repository, KNOWN,
            new CallbackUrlCheck(AddressGuard.strict(AppAdministrationTest::dns)), clock);

    private static List<InetAddress> dns(String host) throws UnknownHostException {
        return switch (host) {
            case "hooks.example.com" -> List.of(InetAddress.getByName("93.184.215.20"));
            case "internal.example.com" -> List.of(InetAddress.getByName("10.0.0.7"));
            default -> throw new UnknownHostException(host);
        };
    }

    static AppChanges named(String name) {
        return new AppChanges(name, null, null, null, null, null, false, null, List.of());
    }

    private AppOutcome.Created created(AppChanges changes) {
        return assertInstanceOf(AppOutcome.Created.class, admin.create(changes));
    }

    @Test
    void createsAnAppWithDefaults_andAKeyThatFindsIt() {
        AppOutcome.Created created = created(named("  storyboard "));

        App app = created.app().app();
        assertEquals("storyboard", app.name());
        assertEquals(AppAdministration.DEFAULT_DAILY_BUDGET, app.dailyCreditBudget());
        assertEquals(AppAdministration.DEFAULT_MAX_ACTIVE, app.maxActiveTasks());
        assertEquals(AmbiguousCreatePolicy.FAIL, app.ambiguousCreates());
        assertEquals(1, created.app().keys());
        assertTrue(ApiKeys.looksValid(created.key()));
        assertEquals(app.id(), repository.findByKeyHash(ApiKeys.hash(created.key())).orElseThrow().id());
        assertEquals(created.webhookSecret(), app.webhookSecrets().getFirst().secret());
        assertFalse(created.toString().contains(created.key()), created.toString());
        assertFalse(created.toString().contains(created.webhookSecret()), created.toString());
    }

    @Test
    void reportsEveryViolationAtOnce_andStoresNothing_whenACreateIsInvalid() {
        AppChanges bad = new AppChanges("", -1L, 0, Set.of("text_to_sing"), Set.of("gen9"), "http://internal.example.com/h",
                false, "sometimes", List.of(new Violation(List.of("color"), "unrecognized_keys", "'color' is unknown")));

        AppOutcome.Invalid invalid = assertInstanceOf(AppOutcome.Invalid.class, admin.create(bad));

        assertEquals(List.of("color", "name", "dailyCreditBudget", "maxActiveTasks", "allowedEndpoints", "allowedModels",
                        "ambiguousCreates", "defaultCallbackUrl"),
                invalid.violations().stream().map(v -> v.path().getFirst()).toList());
        assertEquals(List.of(), repository.list());
    }

    @Test
    void namesTheViolationsOfACreateUpdateOrRotate_withoutActing() {
        AppChanges bad = new AppChanges("", -1L, 0, Set.of("text_to_sing"), Set.of("gen9"), "http://internal.example.com/h",
                false, "sometimes", List.of(new Violation(List.of("color"), "unrecognized_keys", "'color' is unknown")));
        assertEquals(((AppOutcome.Invalid) admin.create(bad)).violations(), admin.createViolations(bad));
        assertEquals(List.of(), admin.createViolations(named("a")));
        assertEquals(List.of("empty_update"), admin.updateViolations(named(null)).stream().map(Violation::code).toList());
        assertEquals(List.of(), admin.updateViolations(named("b")));
        assertEquals(List.of("too_big"), AppAdministration.rotateViolations(AppAdministration.MAX_GRACE.toHours() + 1,
                List.of()).stream().map(Violation::code).toList());
        assertEquals(List.of(), AppAdministration.rotateViolations(null, List.of()));
        assertEquals(List.of(), repository.list());
    }

    @Test
    void requiresAName_whenCreating() {
        AppOutcome.Invalid invalid = assertInstanceOf(AppOutcome.Invalid.class, admin.create(named(null)));

        assertEquals("required", invalid.violations().getFirst().code());
    }

    @Test
    void updatesOnlyTheMembersGiven_andClearsTheDefaultCallback_whenAskedTo() {
        App app = created(new AppChanges("a", 50L, 2, Set.of("text_to_image"), Set.of("gen4_image"),
                "https://hooks.example.com/runway", false, null, List.of())).app().app();

        AppOutcome.Found updated = assertInstanceOf(AppOutcome.Found.class, admin.update(app.id(),
                new AppChanges(null, 75L, null, null, Set.of(), null, false, "retry-once", List.of())));
        App next = updated.app().app();
        assertEquals(75, next.dailyCreditBudget());
        assertEquals(2, next.maxActiveTasks());
        assertEquals(Set.of("text_to_image"), next.allowedEndpoints());
        assertEquals(Set.of(), next.allowedModels());
        assertEquals("https://hooks.example.com/runway", next.defaultCallbackUrl());
        assertEquals(AmbiguousCreatePolicy.RETRY_ONCE, next.ambiguousCreates());
        assertEquals(app.version() + 1, next.version());

        AppOutcome.Found cleared = assertInstanceOf(AppOutcome.Found.class, admin.update(app.id(),
                new AppChanges(null, null, null, null, null, null, true, null, List.of())));
        assertNull(cleared.app().app().defaultCallbackUrl());
        assertNull(repository.find(app.id()).orElseThrow().defaultCallbackUrl());
    }

    @Test
    void setsAndReplacesTheAppsWorkflowsAndCeilings_andRefusesBadOnes() {
        App app = created(new AppChanges("w", null, null, null, null, null, false, null, null, Set.of("wf-1", "wf-2"),
                java.util.Map.of("wf-1", 60L), null, List.of())).app().app();
        assertEquals(Set.of("wf-1", "wf-2"), app.allowedWorkflows());
        assertEquals(java.util.Map.of("wf-1", 60L), app.workflowCeilings());

        AppOutcome.Invalid invalid = assertInstanceOf(AppOutcome.Invalid.class, admin.update(app.id(),
                new AppChanges(null, null, null, null, null, null, false, null, null, Set.of("../x"),
                        java.util.Map.of("wf-1", 0L), null, List.of())));
        assertEquals(List.of("allowedWorkflows", "workflowCeilings"),
                invalid.violations().stream().map(v -> v.path().getFirst()).toList());

        AppOutcome.Found updated = assertInstanceOf(AppOutcome.Found.class, admin.update(app.id(),
                new AppChanges(null, null, null, null, null, null, false, null, null, Set.of("wf-3"), null, null, List.of())));
        assertEquals(Set.of("wf-3"), updated.app().app().allowedWorkflows());
        assertEquals(java.util.Map.of("wf-1", 60L), updated.app().app().workflowCeilings(), "not given: kept");
    }

    @Test
    void refusesADefaultCallbackThePolicyRefuses_andChangesNothing() {
        App app = created(named("a")).app().app();

        AppOutcome.Invalid invalid = assertInstanceOf(AppOutcome.Invalid.class, admin.update(app.id(),
                new AppChanges(null, 1L, null, null, null, "https://internal.example.com/hook", false, null, List.of())));

        assertEquals(List.of("defaultCallbackUrl"), invalid.violations().getFirst().path());
        assertEquals(app, repository.find(app.id()).orElseThrow());
    }

    @Test
    void refusesAnEmptyUpdate() {
        App app = created(named("a")).app().app();

        AppOutcome.Invalid invalid = assertInstanceOf(AppOutcome.Invalid.class, admin.update(app.id(), named(null)));

        assertEquals("empty_update", invalid.violations().getFirst().code());
    }

    @Test
    void answersNotFound_forAnUnknownOrMalformedId() {
        for (String id : List.of("app_nope", "../etc", "")) {
            assertInstanceOf(AppOutcome.NotFound.class, admin.get(id), id);
            assertInstanceOf(AppOutcome.NotFound.class, admin.update(id, named("x")), id);
            assertInstanceOf(AppOutcome.NotFound.class, admin.rotate(id, null, List.of()), id);
            assertInstanceOf(AppOutcome.NotFound.class, admin.disable(id), id);
            assertInstanceOf(AppOutcome.NotFound.class, admin.enable(id), id);
            assertInstanceOf(AppOutcome.NotFound.class, admin.delete(id), id);
        }
    }

    @Test
    void rotatesTheKeyAtOnce_andKeepsTheOldSecretSigningForTheGrace() {
        AppOutcome.Created created = created(named("a"));
        String appId = created.app().app().id();

        AppOutcome.Rotated rotated = assertInstanceOf(AppOutcome.Rotated.class, admin.rotate(appId, 2L, List.of()));

        assertTrue(repository.findByKeyHash(ApiKeys.hash(created.key())).isEmpty(), "the old key is revoked");
        assertEquals(appId, repository.findByKeyHash(ApiKeys.hash(rotated.key())).orElseThrow().id());
        assertEquals(1, rotated.revokedKeys());
        assertEquals(1, rotated.app().keys());
        App app = repository.find(appId).orElseThrow();
        assertEquals(List.of(rotated.webhookSecret(), created.webhookSecret()),
                app.signingSecrets(clock.instant()).stream().map(App.WebhookSecret::secret).toList());
        clock.advance(Duration.ofHours(2));
        assertEquals(List.of(rotated.webhookSecret()),
                app.signingSecrets(clock.instant()).stream().map(App.WebhookSecret::secret).toList());
        assertFalse(rotated.toString().contains(rotated.key()));
    }

    @Test
    void rotateReportsOnlyTheKeysItRevoked_whenAnotherWriterRevokesOneAfterTheKeysWereRead() {
        AppOutcome.Created created = created(named("a"));
        String appId = created.app().app().id();
        String second = ApiKeys.hash(ApiKeys.mint());
        repository.addKey(appId, second);
        // The rotation reads the old keys, then adds the new one: the other writer revokes an old key in between.
        AppAdministration racing = adminOn(beforeFirst("addKey", () -> repository.revokeKey(second)));

        AppOutcome.Rotated rotated = assertInstanceOf(AppOutcome.Rotated.class, racing.rotate(appId, null, List.of()));

        assertEquals(1, rotated.revokedKeys(), "a key another writer revoked is not this rotation's");
        assertEquals(List.of(ApiKeys.hash(rotated.key())), repository.keyHashes(appId));
        assertTrue(repository.findByKeyHash(ApiKeys.hash(created.key())).isEmpty());
    }

    @Test
    void refusesAGraceOutOfRange_andKeepsTheOldKey() {
        AppOutcome.Created created = created(named("a"));

        AppOutcome.Invalid invalid = assertInstanceOf(AppOutcome.Invalid.class,
                admin.rotate(created.app().app().id(), 24L * 31, List.of()));

        assertEquals("too_big", invalid.violations().getFirst().code());
        assertTrue(repository.findByKeyHash(ApiKeys.hash(created.key())).isPresent());
    }

    @Test
    void disablesAndEnables_idempotently() {
        String appId = created(named("a")).app().app().id();

        assertTrue(((AppOutcome.Found) admin.disable(appId)).app().app().disabled());
        long version = repository.find(appId).orElseThrow().version();
        assertTrue(((AppOutcome.Found) admin.disable(appId)).app().app().disabled());
        assertEquals(version, repository.find(appId).orElseThrow().version(), "a second disable writes nothing");
        assertFalse(((AppOutcome.Found) admin.enable(appId)).app().app().disabled());
        assertFalse(repository.find(appId).orElseThrow().disabled());
    }

    @Test
    void deletesTheAppAndRevokesItsKeys() {
        AppOutcome.Created created = created(named("a"));
        String appId = created.app().app().id();

        AppOutcome.Deleted deleted = assertInstanceOf(AppOutcome.Deleted.class, admin.delete(appId));

        assertEquals(1, deleted.revokedKeys());
        assertTrue(repository.find(appId).isEmpty());
        assertTrue(repository.findByKeyHash(ApiKeys.hash(created.key())).isEmpty());
        assertInstanceOf(AppOutcome.NotFound.class, admin.delete(appId));
        assertEquals(List.of(), admin.list());
    }

    @Test
    void deleteReportsTheKeysItRevoked_whenAKeyIsAddedJustBeforeTheRepositoryDeletes() {
        String appId = created(named("a")).app().app().id();
        AppAdministration racing = adminOn(beforeFirst("delete", () -> repository.addKey(appId, ApiKeys.hash(ApiKeys.mint()))));

        AppOutcome.Deleted deleted = assertInstanceOf(AppOutcome.Deleted.class, racing.delete(appId));

        assertEquals(2, deleted.revokedKeys(), "the key added after the app was read was revoked too");
        assertEquals(List.of(), repository.keyHashes(appId));
    }

    @Test
    void deleteReportsTheKeysItRevoked_whenAKeyIsRevokedJustBeforeTheRepositoryDeletes() {
        AppOutcome.Created created = created(named("a"));
        String appId = created.app().app().id();
        repository.addKey(appId, ApiKeys.hash(ApiKeys.mint()));
        AppAdministration racing = adminOn(beforeFirst("delete", () -> repository.revokeKey(ApiKeys.hash(created.key()))));

        AppOutcome.Deleted deleted = assertInstanceOf(AppOutcome.Deleted.class, racing.delete(appId));

        assertEquals(1, deleted.revokedKeys(), "a key revoked by another writer is not this delete's");
    }

    private AppAdministration adminOn(AppRepository apps) {
        return new AppAdministration(apps, KNOWN, new CallbackUrlCheck(AddressGuard.strict(AppAdministrationTest::dns)),
                clock);
    }

    /** {@link #repository}, whose first call of {@code operation} runs {@code otherWriter} before it does anything. */
    private AppRepository beforeFirst(String operation, Runnable otherWriter) {
        AtomicReference<Runnable> pending = new AtomicReference<>(otherWriter);
        return (AppRepository) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {AppRepository.class},
                (proxy, method, args) -> {
                    if (method.getName().equals(operation)) {
                        Runnable once = pending.getAndSet(null);
                        if (once != null) {
                            once.run();
                        }
                    }
                    try {
                        return method.invoke(repository, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void listsEveryAppWithItsKeyCount() {
        String first = created(named("a")).app().app().id();
        clock.advance(Duration.ofSeconds(1));
        String second = created(named("b")).app().app().id();

        List<AppView> views = admin.list();

        assertEquals(List.of(first, second), views.stream().map(v -> v.app().id()).toList());
        assertTrue(views.stream().allMatch(v -> v.keys() == 1));
        assertNotEquals(first, second);
    }
}
