package com.runwayrelay.aws.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.app.ApiKeys;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.runway.AmbiguousCreatePolicy;
import com.runwayrelay.testkit.aws.AwsEmulators;
import com.runwayrelay.testkit.aws.WithAwsEmulators;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@WithAwsEmulators
class DynamoDbAppRepositoryIT {
    private final AwsEmulators aws;
    private DynamoDbAppRepository repo;
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    DynamoDbAppRepositoryIT(AwsEmulators aws) {
        this.aws = aws;
    }

    @BeforeEach
    void setUp() {
        aws.resetData();
        repo = new DynamoDbAppRepository(aws.dynamoDb(), aws.tableName());
    }

    private App app(String id) {
        return App.builder(id, "demo " + id, now).dailyCreditBudget(500).maxActiveTasks(5)
                .allowedEndpoints(Set.of("text_to_image"))
                .webhookSecrets(List.of(new App.WebhookSecret("whsec_c2VjcmV0", now, null))).build();
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

        repo.revokeKey(old);

        assertTrue(repo.findByKeyHash(old).isEmpty());
        assertEquals(app.id(), repo.findByKeyHash(fresh).orElseThrow().id());
        assertEquals(List.of(fresh), repo.keyHashes(app.id()));
    }

    @Test
    void ambiguousCreatePolicySurvivesTheTable_andAnAppStoredWithoutOneReadsAsFail() {
        App app = app("app_a").withSettings(700, 3, AmbiguousCreatePolicy.RETRY_ONCE);
        repo.create(app, ApiKeys.hash(ApiKeys.mint()));
        assertEquals(app, repo.find("app_a").orElseThrow());

        var item = new java.util.HashMap<>(DynamoDbAppRepository.toItem(app("app_b")));
        item.remove("ambiguousCreates");
        assertEquals(AmbiguousCreatePolicy.FAIL, DynamoDbAppRepository.fromItem(item).ambiguousCreates());
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
}
