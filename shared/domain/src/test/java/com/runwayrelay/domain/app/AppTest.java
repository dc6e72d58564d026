package com.runwayrelay.domain.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.memory.InMemoryAppRepository;
import com.runwayrelay.domain.runway.AmbiguousCreatePolicy;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AppTest {
    private static final Instant T0 = Instant.parse("2026-11-21T06:00:00Z");

    private static App app(Set<String> endpoints, Set<String> models, List<App.WebhookSecret> secrets) {
        return App.builder("app_1", "demo", T0).dailyCreditBudget(1000).maxActiveTasks(10).allowedEndpoints(endpoints)
                .allowedModels(models).webhookSecrets(secrets).build();
    }

    @Test
    void ambiguousCreatesFail_unlessTheOperatorChoseRetryOnce() {
        App app = app(Set.of(), Set.of(), List.of());
        assertEquals(AmbiguousCreatePolicy.FAIL, app.ambiguousCreates());

        App changed = app.withSettings(500, 3, AmbiguousCreatePolicy.RETRY_ONCE);

        assertEquals(AmbiguousCreatePolicy.RETRY_ONCE, changed.ambiguousCreates());
        assertEquals(500, changed.dailyCreditBudget());
        assertEquals(3, changed.maxActiveTasks());
        assertEquals(app.version() + 1, changed.version());
        assertEquals(AmbiguousCreatePolicy.RETRY_ONCE, AmbiguousCreatePolicy.parse(" Retry-Once "));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> AmbiguousCreatePolicy.parse("always"));
        assertEquals("ambiguous-create policy must be one of fail, retry-once (got 'always')", bad.getMessage());
    }

    @Test
    void allowsEverything_whenNoListIsSet() {
        assertTrue(app(Set.of(), Set.of(), List.of()).allows("text_to_image", "gen4_image"));
    }

    @Test
    void refusesAnEndpointOrModelOutsideItsLists() {
        App app = app(Set.of("text_to_image"), Set.of("gen4_image"), List.of());
        assertTrue(app.allows("text_to_image", "gen4_image"));
        assertFalse(app.allows("image_to_video", "gen4_image"));
        assertFalse(app.allows("text_to_image", "gen4_image_turbo"));
    }

    @Test
    void bothSecretsSign_duringARotation_andOnlyTheNewOneAfter() {
        App.WebhookSecret old = new App.WebhookSecret("whsec_b2xk", T0, T0.plusSeconds(3600));
        App.WebhookSecret fresh = new App.WebhookSecret("whsec_bmV3", T0.plusSeconds(60), null);
        App app = app(Set.of(), Set.of(), List.of(fresh, old));

        assertEquals(2, app.signingSecrets(T0.plusSeconds(120)).size());
        assertEquals(List.of(fresh), app.signingSecrets(T0.plusSeconds(3600)));
        assertFalse(old.toString().contains("b2xk"));
        assertThrows(IllegalArgumentException.class, () -> new App.WebhookSecret("secret", T0, null));
    }

    @Test
    void mintedKeysHaveTheFormat_differ_andHashStably() {
        String a = ApiKeys.mint();
        String b = ApiKeys.mint();
        assertTrue(ApiKeys.looksValid(a));
        assertNotEquals(a, b);
        assertEquals(ApiKeys.hash(a), ApiKeys.hash(a));
        assertEquals(64, ApiKeys.hash(a).length());
        assertFalse(ApiKeys.looksValid("key_" + "0".repeat(48)));
    }

    @Test
    void inMemoryRepositoryFindsByKeyHash_untilTheKeyIsRevoked() {
        InMemoryAppRepository repo = new InMemoryAppRepository();
        App app = app(Set.of(), Set.of(), List.of());
        repo.create(app, "h1");
        repo.addKey(app.id(), "h2");

        assertEquals(app, repo.findByKeyHash("h2").orElseThrow());
        repo.revokeKey("h1");
        assertTrue(repo.findByKeyHash("h1").isEmpty());
        assertEquals(List.of("h2"), repo.keyHashes(app.id()));
    }
}
