package com.runwayrelay.local.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.app.ApiKeys;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.app.AppRepository;
import com.runwayrelay.domain.memory.InMemoryAppRepository;
import com.runwayrelay.domain.runway.AmbiguousCreatePolicy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AppsCommandTest {
    private static final Instant T0 = Instant.parse("2026-11-21T06:00:00Z");
    private final InMemoryAppRepository apps = new InMemoryAppRepository();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return AppsCommand.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), apps, Clock.fixed(T0, ZoneOffset.UTC));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void createPrintsOnlyTheKey_andStoresItsHashWithTheGivenLimits() {
        assertEquals(0, run("create", "--name", "storyboard", "--daily-budget", "250", "--max-active", "3",
                "--endpoints", "text_to_image,image_to_video", "--models=gen4_image"));
        String key = stdout().strip();
        assertTrue(ApiKeys.looksValid(key), stdout());
        assertEquals(key + System.lineSeparator(), stdout());
        App app = apps.findByKeyHash(ApiKeys.hash(key)).orElseThrow();
        assertEquals("storyboard", app.name());
        assertEquals(250, app.dailyCreditBudget());
        assertEquals(3, app.maxActiveTasks());
        assertEquals(Set.of("text_to_image", "image_to_video"), app.allowedEndpoints());
        assertEquals(Set.of("gen4_image"), app.allowedModels());
        assertTrue(app.id().matches("app_[0-9a-z]{26}"));
        assertTrue(stderr().contains(app.id()));
        assertTrue(stderr().contains(app.webhookSecrets().getFirst().secret()));
        assertFalse(stderr().contains(key));
    }

    @Test
    void createUsesDefaults_andWarnsAboutAnUnknownModel() {
        assertEquals(0, run("create", "--name", "x", "--models", "gen99"));
        App app = apps.list().getFirst();
        assertEquals(AppsCommand.DEFAULT_DAILY_BUDGET, app.dailyCreditBudget());
        assertEquals(AppsCommand.DEFAULT_MAX_ACTIVE, app.maxActiveTasks());
        assertTrue(stderr().contains("does not know model 'gen99'"));
    }

    @Test
    void createTakesTheAmbiguousCreatePolicy_andDefaultsToFail() {
        assertEquals(0, run("create", "--name", "careful"));
        assertEquals(0, run("create", "--name", "bold", "--ambiguous-create", "retry-once"));

        assertEquals(AmbiguousCreatePolicy.FAIL, app("careful").ambiguousCreates());
        assertEquals(AmbiguousCreatePolicy.RETRY_ONCE, app("bold").ambiguousCreates());
        assertTrue(stderr().contains("ambiguous creates retry-once"), stderr());
    }

    @Test
    void refusesAnUnknownAmbiguousCreatePolicy_andCreatesNothing() {
        assertEquals(2, run("create", "--name", "x", "--ambiguous-create", "retry-twice"));

        assertTrue(stderr().contains("--ambiguous-create must be fail or retry-once (got 'retry-twice')"), stderr());
        assertTrue(apps.list().isEmpty());
    }

    @Test
    void updateChangesOnlyWhatIsGiven_andKeepsKeysAndSecrets() {
        run("create", "--name", "storyboard", "--daily-budget", "250", "--max-active", "3");
        String key = stdout().strip();
        App before = app("storyboard");

        assertEquals(0, run("update", before.id(), "--ambiguous-create", "retry-once"));

        App after = app("storyboard");
        assertEquals(AmbiguousCreatePolicy.RETRY_ONCE, after.ambiguousCreates());
        assertEquals(250, after.dailyCreditBudget());
        assertEquals(3, after.maxActiveTasks());
        assertEquals(before.webhookSecrets(), after.webhookSecrets());
        assertEquals(before.version() + 1, after.version());
        assertEquals(after, apps.findByKeyHash(ApiKeys.hash(key)).orElseThrow());
        assertEquals("", stdout());

        assertEquals(0, run("update", before.id(), "--daily-budget", "90", "--ambiguous-create", "FAIL"));
        assertEquals(90, app("storyboard").dailyCreditBudget());
        assertEquals(AmbiguousCreatePolicy.FAIL, app("storyboard").ambiguousCreates());
    }

    @Test
    void updateRefusesBadInput_andChangesNothing() {
        run("create", "--name", "storyboard");
        App before = app("storyboard");

        assertEquals(2, run("update", before.id()));
        assertTrue(stderr().contains("at least one of"), stderr());
        assertEquals(2, run("update", before.id(), "--ambiguous-create", "sometimes"));
        assertTrue(stderr().contains("must be fail or retry-once"), stderr());
        assertEquals(2, run("update", before.id(), "--name", "other"));
        assertEquals(1, run("update", "app_missing", "--max-active", "2"));
        assertTrue(stderr().contains("no app with id app_missing"), stderr());
        assertEquals(before, app("storyboard"));
    }

    @Test
    void setsAndReplacesTheAppsWorkflows_withCeilingsOrWithout_andNoneClearsThem() {
        assertEquals(0, run("create", "--name", "flows", "--workflows", "wf-1=60,wf-2"));
        App created = app("flows");
        assertEquals(Set.of("wf-1", "wf-2"), created.allowedWorkflows());
        assertEquals(java.util.Map.of("wf-1", 60L), created.workflowCeilings());
        assertTrue(stderr().contains("workflows: wf-1=60,wf-2 (no ceiling)"), stderr());

        assertEquals(0, run("update", created.id(), "--workflows", "wf-3=5"));
        assertEquals(Set.of("wf-3"), app("flows").allowedWorkflows());
        assertEquals(java.util.Map.of("wf-3", 5L), app("flows").workflowCeilings());
        assertEquals(created.dailyCreditBudget(), app("flows").dailyCreditBudget());

        assertEquals(0, run("update", created.id(), "--workflows", "none"));
        assertEquals(Set.of(), app("flows").allowedWorkflows());
        assertEquals(java.util.Map.of(), app("flows").workflowCeilings());
    }

    @Test
    void refusesABadWorkflowIdOrCeiling_andChangesNothing() {
        run("create", "--name", "flows");
        App before = app("flows");

        assertEquals(2, run("update", before.id(), "--workflows", "wf-1=0"));
        assertTrue(stderr().contains("the credits of wf-1 must be a whole number from 1 to 1000000"), stderr());
        assertEquals(2, run("update", before.id(), "--workflows", "../x=5"));
        assertTrue(stderr().contains("is not a workflow id"), stderr());
        assertEquals(2, run("create", "--name", "bad", "--workflows", "wf-1=lots"));
        assertEquals(before, app("flows"));
        assertEquals(1, apps.list().size());
    }

    @Test
    void listShowsTheAmbiguousCreatePolicy() {
        run("create", "--name", "bold", "--ambiguous-create", "retry-once");

        assertEquals(0, run("list"));

        assertTrue(stdout().contains("AMBIGUOUS_CREATE"), stdout());
        assertTrue(stdout().contains("retry-once"), stdout());
    }

    private App app(String name) {
        return apps.list().stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void rotateAndDisableKeepTheDefaultCallbackUrl_setThroughTheAdminApi() {
        run("create", "--name", "hooks");
        App created = apps.list().getFirst();
        App withCallback = created.next().defaultCallbackUrl("https://hooks.example.com/runway").build();
        assertTrue(apps.replace(created, withCallback));

        assertEquals(0, run("rotate", created.id()));
        App rotated = apps.find(created.id()).orElseThrow();
        assertNotEquals(created.webhookSecrets().getFirst(), rotated.webhookSecrets().getFirst());
        assertEquals("https://hooks.example.com/runway", rotated.defaultCallbackUrl());

        assertEquals(0, run("disable", created.id()));
        App disabled = apps.find(created.id()).orElseThrow();
        assertTrue(disabled.disabled());
        assertEquals("https://hooks.example.com/runway", disabled.defaultCallbackUrl());
    }

    @Test
    void badCommandLinesExit2WithAReason() {
        assertEquals(2, run("create"));
        assertTrue(stderr().contains("--name is required"));
        assertEquals(2, run("create", "--name", "x", "--daily-budget", "lots"));
        assertTrue(stderr().contains("whole number"));
        assertEquals(2, run("create", "--name", "x", "--endpoints", "text_to_pizza"));
        assertTrue(stderr().contains("text_to_pizza"));
        assertEquals(2, run("create", "--name", "x", "--colour", "red"));
        assertEquals(2, run("create", "--name"));
        assertEquals(2, run("rotate"));
        assertEquals(2, run("frobnicate"));
        assertEquals(2, run());
        assertEquals(0, run("help"));
        assertTrue(stderr().contains("usage: ./relay apps"));
        assertEquals("", stdout());
        assertTrue(apps.list().isEmpty());
    }

    @Test
    void unknownAppExits1() {
        assertEquals(1, run("rotate", "app_nope"));
        assertTrue(stderr().contains("no app with id app_nope"));
        assertEquals(1, run("disable", "app_nope"));
    }

    @Test
    void rotateReportsOnlyTheKeysItRevoked_whenAnotherWriterRevokesOneAfterTheKeysWereRead() {
        run("create", "--name", "r");
        App app = apps.list().getFirst();
        String second = ApiKeys.hash(ApiKeys.mint());
        apps.addKey(app.id(), second);
        // The command reads the old keys, then adds the new one: the other writer revokes an old key in between.
        AtomicReference<Runnable> otherWriter = new AtomicReference<>(() -> apps.revokeKey(second));
        AppRepository racing = (AppRepository) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {AppRepository.class}, (proxy, method, args) -> {
                    if (method.getName().equals("addKey")) {
                        Runnable once = otherWriter.getAndSet(null);
                        if (once != null) {
                            once.run();
                        }
                    }
                    try {
                        return method.invoke(apps, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        out.reset();
        err.reset();

        assertEquals(0, AppsCommand.run(List.of("rotate", app.id()), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), racing, Clock.fixed(T0, ZoneOffset.UTC)));

        assertTrue(stderr().contains("(1 old key(s) revoked)"), stderr());
        assertEquals(List.of(ApiKeys.hash(stdout().strip())), apps.keyHashes(app.id()));
    }

    @Test
    void rotateReplacesTheKey_andKeepsTheOldSecretSigningForTheGrace() {
        run("create", "--name", "r");
        String oldKey = stdout().strip();
        App before = apps.list().getFirst();

        assertEquals(0, run("rotate", before.id(), "--grace-hours", "2"));
        String newKey = stdout().strip();
        assertTrue(ApiKeys.looksValid(newKey));
        assertNotEquals(oldKey, newKey);
        assertTrue(apps.findByKeyHash(ApiKeys.hash(oldKey)).isEmpty());
        App after = apps.findByKeyHash(ApiKeys.hash(newKey)).orElseThrow();
        assertEquals(2, after.webhookSecrets().size());
        assertEquals(before.webhookSecrets().getFirst().secret(), after.webhookSecrets().get(1).secret());
        assertEquals(T0.plusSeconds(7200), after.webhookSecrets().get(1).expiresAt());
        assertEquals(2, after.signingSecrets(T0.plusSeconds(60)).size());
        assertEquals(1, after.signingSecrets(T0.plusSeconds(7200)).size());
    }

    @Test
    void disableRefusesTheApp_andIsIdempotent() {
        run("create", "--name", "d");
        App app = apps.list().getFirst();
        assertEquals(0, run("disable", app.id()));
        assertTrue(apps.find(app.id()).orElseThrow().disabled());
        assertEquals(0, run("disable", app.id()));
        assertTrue(stderr().contains("already disabled"));
    }

    @Test
    void listShowsAppsWithoutSecrets() {
        assertEquals(0, run("list"));
        assertTrue(stderr().contains("No apps yet"));
        run("create", "--name", "listed", "--endpoints", "text_to_image");
        String key = stdout().strip();
        String secret = apps.list().getFirst().webhookSecrets().getFirst().secret();
        assertEquals(0, run("list"));
        assertTrue(stdout().contains("listed"));
        assertTrue(stdout().contains("endpoints: text_to_image; models: all"));
        assertFalse(stdout().contains(key));
        assertFalse(stdout().contains(secret));
    }

    @Test
    void missingTableExits2() {
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        assertEquals(2, AppsCommand.run(List.of("list"), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(errors, true, StandardCharsets.UTF_8), Map.of()));
        assertTrue(errors.toString(StandardCharsets.UTF_8).contains("RELAY_TABLE"));
    }
}
