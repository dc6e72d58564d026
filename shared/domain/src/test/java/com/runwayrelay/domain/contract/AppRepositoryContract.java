package com.runwayrelay.domain.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.app.ApiKeys;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.app.AppRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link AppRepository} promises: an app is found by the hash of any of its keys, a key
 * hash belongs to one app only, revoked keys find nothing, and replacements are conditional on the
 * version read.
 *
 * @param <R> the implementation under test
 */
public abstract class AppRepositoryContract<R extends AppRepository> {
    protected static final Instant T0 = Instant.parse("2026-11-21T06:00:00Z");
    protected R repo;

    /** An empty repository; called before every case. */
    protected abstract R emptyRepository();

    @BeforeEach
    final void openEmptyRepository() {
        repo = emptyRepository();
    }

    protected static App app(String id) {
        return App.builder(id, "demo " + id, T0).dailyCreditBudget(500).maxActiveTasks(5)
                .allowedEndpoints(Set.of("text_to_image"))
                .webhookSecrets(List.of(new App.WebhookSecret("whsec_c2VjcmV0", T0, null))).build();
    }

    @Test
    void appIsFoundByItsKeyHash_andListed() {
        App app = app("app_a");
        String hash = ApiKeys.hash(ApiKeys.mint());
        repo.create(app, hash);

        assertEquals(app, repo.findByKeyHash(hash).orElseThrow());
        assertEquals(List.of(app), repo.list());
        assertTrue(repo.findByKeyHash(ApiKeys.hash(ApiKeys.mint())).isEmpty());
    }

    @Test
    void createFails_whenTheKeyHashIsTaken() {
        String hash = ApiKeys.hash(ApiKeys.mint());
        repo.create(app("app_a"), hash);
        assertThrows(IllegalStateException.class, () -> repo.create(app("app_b"), hash));
        assertTrue(repo.find("app_b").isEmpty());
    }

    @Test
    void rotationAddsANewKey_andRevokingTheOldOneRefusesIt() {
        App app = app("app_a");
        String old = ApiKeys.hash(ApiKeys.mint());
        String fresh = ApiKeys.hash(ApiKeys.mint());
        repo.create(app, old);
        repo.addKey(app.id(), fresh);
        assertEquals(2, repo.keyHashes(app.id()).size());

        assertTrue(repo.revokeKey(old), "the revoke answers that it removed the key");

        assertTrue(repo.findByKeyHash(old).isEmpty());
        assertEquals(app.id(), repo.findByKeyHash(fresh).orElseThrow().id());
        assertEquals(List.of(fresh), repo.keyHashes(app.id()));
    }

    @Test
    void revokingAKeyAlreadyRevokedOrNeverKnown_answersFalse_andChangesNothing() {
        App app = app("app_a");
        String kept = ApiKeys.hash(ApiKeys.mint());
        String revoked = ApiKeys.hash(ApiKeys.mint());
        repo.create(app, kept);
        repo.addKey(app.id(), revoked);
        assertTrue(repo.revokeKey(revoked));

        assertFalse(repo.revokeKey(revoked), "a key revoked before is not this call's to count");
        assertFalse(repo.revokeKey(ApiKeys.hash(ApiKeys.mint())));

        assertEquals(List.of(kept), repo.keyHashes(app.id()));
        assertEquals(app, repo.findByKeyHash(kept).orElseThrow());
    }

    @Test
    void replaceKeepsKeys_andLosesToAConcurrentWriter() {
        App app = app("app_a");
        String hash = ApiKeys.hash(ApiKeys.mint());
        repo.create(app, hash);
        App disabled = app.next().disabled(true).build();

        assertTrue(repo.replace(app, disabled));
        assertFalse(repo.replace(app, disabled));
        assertTrue(repo.findByKeyHash(hash).orElseThrow().disabled());
    }

    @Test
    void replaceKeepsAKeyAddedAfterTheAppWasRead() {
        App app = app("app_a");
        String first = ApiKeys.hash(ApiKeys.mint());
        String added = ApiKeys.hash(ApiKeys.mint());
        repo.create(app, first);
        repo.addKey(app.id(), added);

        assertTrue(repo.replace(app, app.next().name("renamed").build()));

        assertEquals(List.of(first, added).stream().sorted().toList(), repo.keyHashes(app.id()));
        assertEquals("renamed", repo.findByKeyHash(added).orElseThrow().name());
        repo.revokeKey(added);
        assertTrue(repo.findByKeyHash(added).isEmpty());
    }

    @Test
    void replaceStoresTheNextAppExactly_includingFieldsItClears() {
        App full = app("app_a").toBuilder().allowedModels(Set.of("gen4_image")).defaultCallbackUrl("https://example.com/cb")
                .allowUnsafeLatest(true).allowedWorkflows(Set.of("wf-1")).workflowCeilings(java.util.Map.of("wf-1", 40L))
                .allowedRouterConfigs(Set.of("cheap")).build();
        repo.create(full, ApiKeys.hash(ApiKeys.mint()));
        App cleared = full.next().allowedEndpoints(Set.of()).allowedModels(Set.of()).webhookSecrets(List.of())
                .defaultCallbackUrl(null).allowUnsafeLatest(false).allowedWorkflows(Set.of())
                .workflowCeilings(java.util.Map.of()).allowedRouterConfigs(Set.of()).build();

        assertTrue(repo.replace(full, cleared));
        assertEquals(cleared, repo.find(full.id()).orElseThrow());

        App refilled = cleared.next().allowedModels(Set.of("gen4_image")).defaultCallbackUrl("https://example.com/cb2")
                .build();
        assertTrue(repo.replace(cleared, refilled));
        assertEquals(refilled, repo.find(full.id()).orElseThrow());
    }

    @Test
    void deleteRevokesEveryKey_includingOneAddedAfterTheAppWasRead() {
        App app = app("app_a");
        String first = ApiKeys.hash(ApiKeys.mint());
        String added = ApiKeys.hash(ApiKeys.mint());
        repo.create(app, first);
        repo.addKey(app.id(), added);

        assertEquals(Optional.of(List.of(first, added).stream().sorted().toList()), repo.delete(app),
                "the delete answers exactly the keys it revoked");

        assertTrue(repo.findByKeyHash(first).isEmpty());
        assertTrue(repo.findByKeyHash(added).isEmpty());
        assertEquals(List.of(), repo.keyHashes(app.id()));
        assertEquals(List.of(), repo.list());
    }

    @Test
    void replaceAndDeleteOfAGoneAppAnswerFalse_andBringNothingBack() {
        App app = app("app_a");
        String hash = ApiKeys.hash(ApiKeys.mint());
        repo.create(app, hash);
        assertEquals(Optional.of(List.of(hash)), repo.delete(app));

        assertFalse(repo.replace(app, app.next().disabled(true).build()));
        assertEquals(Optional.empty(), repo.delete(app));
        assertFalse(repo.revokeKey(hash), "the delete revoked the key already");

        assertTrue(repo.find(app.id()).isEmpty());
        assertTrue(repo.findByKeyHash(hash).isEmpty());
        assertEquals(List.of(), repo.list());
    }

    @Test
    void deleteLosesToAConcurrentWriter_andKeepsTheKeys() {
        App app = app("app_a");
        String hash = ApiKeys.hash(ApiKeys.mint());
        repo.create(app, hash);
        assertTrue(repo.replace(app, app.next().disabled(true).build()));

        assertEquals(Optional.empty(), repo.delete(app));

        assertTrue(repo.findByKeyHash(hash).orElseThrow().disabled());
    }

    @Test
    void deleteOfAnAppWithNoKeyLeft_revokesNone() {
        App app = app("app_a");
        String hash = ApiKeys.hash(ApiKeys.mint());
        repo.create(app, hash);
        repo.revokeKey(hash);

        assertEquals(Optional.of(List.of()), repo.delete(app));
        assertTrue(repo.find(app.id()).isEmpty());
    }
}
