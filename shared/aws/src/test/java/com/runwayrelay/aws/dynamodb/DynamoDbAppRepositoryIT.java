package com.runwayrelay.aws.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.app.ApiKeys;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.contract.AppRepositoryContract;
import com.runwayrelay.domain.runway.AmbiguousCreatePolicy;
import com.runwayrelay.testkit.aws.AwsEmulators;
import com.runwayrelay.testkit.aws.WithAwsEmulators;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * The {@link AppRepositoryContract} against DynamoDB Local, the adapter's item mapping, and writes that
 * interleave with a key rotation: the other writer runs inside the adapter's call, right before its write
 * reaches the table, through a client that runs a hook there.
 */
@WithAwsEmulators
class DynamoDbAppRepositoryIT extends AppRepositoryContract<DynamoDbAppRepository> {
    private final AwsEmulators aws;

    DynamoDbAppRepositoryIT(AwsEmulators aws) {
        this.aws = aws;
    }

    @Override
    protected DynamoDbAppRepository emptyRepository() {
        aws.resetData();
        return new DynamoDbAppRepository(aws.dynamoDb(), aws.tableName());
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
    void allowedWorkflowsAndCeilingsSurviveTheTable_andAnAppStoredWithoutThemHasNone() {
        App app = app("app_w").toBuilder().allowedWorkflows(java.util.Set.of("wf-1", "wf-2"))
                .workflowCeilings(java.util.Map.of("wf-1", 60L)).build();
        repo.create(app, ApiKeys.hash(ApiKeys.mint()));
        assertEquals(app, repo.find("app_w").orElseThrow());

        App plain = DynamoDbAppRepository.fromItem(DynamoDbAppRepository.toItem(app("app_p")));
        assertEquals(java.util.Set.of(), plain.allowedWorkflows());
        assertEquals(java.util.Map.of(), plain.workflowCeilings());
    }

    @Test
    void allowUnsafeLatestSurvivesTheTable_andAnAppStoredWithoutItReadsAsNotAllowed() {
        App app = app("app_c").next().allowUnsafeLatest(true).build();
        repo.create(app, ApiKeys.hash(ApiKeys.mint()));
        assertEquals(true, repo.find("app_c").orElseThrow().allowUnsafeLatest());

        var item = DynamoDbAppRepository.toItem(app("app_d"));
        assertEquals(false, item.containsKey("allowUnsafeLatest"));
        assertEquals(false, DynamoDbAppRepository.fromItem(item).allowUnsafeLatest());
    }

    @Test
    void allowedRouterConfigsSurviveTheTable_andAnAppStoredWithoutThemAllowsNone() {
        App app = app("app_e").next().allowedRouterConfigs(Set.of("cheap-video", "best_image")).build();
        repo.create(app, ApiKeys.hash(ApiKeys.mint()));
        assertEquals(Set.of("cheap-video", "best_image"), repo.find("app_e").orElseThrow().allowedRouterConfigs());

        var item = DynamoDbAppRepository.toItem(app("app_f"));
        assertEquals(false, item.containsKey("allowedRouterConfigs"));
        assertEquals(Set.of(), DynamoDbAppRepository.fromItem(item).allowedRouterConfigs());
    }

    @Test
    void replaceKeepsAKeyAddedBetweenItsReadAndItsWrite() {
        App app = app("app_r");
        String first = ApiKeys.hash(ApiKeys.mint());
        String added = ApiKeys.hash(ApiKeys.mint());
        repo.create(app, first);
        DynamoDbAppRepository racing = beforeFirstWrite(() -> repo.addKey(app.id(), added));

        assertTrue(racing.replace(app, app.next().disabled(true).build()));

        assertEquals(List.of(first, added).stream().sorted().toList(), repo.keyHashes(app.id()));
        assertTrue(repo.findByKeyHash(added).orElseThrow().disabled());
        assertTrue(repo.delete(repo.find(app.id()).orElseThrow()).isPresent());
        assertFalse(stored("key#" + added), "the added key's item outlived its app");
        assertFalse(stored("key#" + first));
    }

    @Test
    void deleteFails_whenAKeyIsAddedBetweenItsReadAndItsWrite_andTheNextTryRemovesEveryKey() {
        App app = app("app_d");
        String first = ApiKeys.hash(ApiKeys.mint());
        String added = ApiKeys.hash(ApiKeys.mint());
        repo.create(app, first);
        DynamoDbAppRepository racing = beforeFirstWrite(() -> repo.addKey(app.id(), added));

        assertEquals(Optional.empty(), racing.delete(app), "a delete that did not see the added key must not succeed");
        assertEquals(app.id(), repo.findByKeyHash(added).orElseThrow().id());
        assertEquals(app.id(), repo.findByKeyHash(first).orElseThrow().id());

        assertEquals(Optional.of(List.of(first, added).stream().sorted().toList()), racing.delete(app),
                "the next try answers every key it revoked, the added one included");
        assertFalse(stored("key#" + added), "the added key's item outlived its app");
        assertFalse(stored("key#" + first));
        assertFalse(stored("app#" + app.id()));
    }

    @Test
    void deleteFails_whenAKeyIsRevokedBetweenItsReadAndItsWrite() {
        App app = app("app_v");
        String first = ApiKeys.hash(ApiKeys.mint());
        String second = ApiKeys.hash(ApiKeys.mint());
        repo.create(app, first);
        repo.addKey(app.id(), second);
        DynamoDbAppRepository racing = beforeFirstWrite(() -> repo.revokeKey(first));

        assertEquals(Optional.empty(), racing.delete(app));
        assertEquals(List.of(second), repo.keyHashes(app.id()));
        assertEquals(Optional.of(List.of(second)), racing.delete(app), "the revoked key is not counted");
        assertFalse(stored("key#" + second));
    }

    @Test
    void revokeAnswersFalse_whenAnotherWriterRevokesTheKeyBetweenItsReadAndItsWrite() {
        App app = app("app_k");
        String first = ApiKeys.hash(ApiKeys.mint());
        String second = ApiKeys.hash(ApiKeys.mint());
        repo.create(app, first);
        repo.addKey(app.id(), second);
        DynamoDbAppRepository racing = beforeFirstWrite(() -> assertTrue(repo.revokeKey(first)));

        assertFalse(racing.revokeKey(first), "the other writer revoked the key: this call must not count it");

        assertFalse(stored("key#" + first));
        assertEquals(List.of(second), repo.keyHashes(app.id()));
        assertEquals(app, repo.findByKeyHash(second).orElseThrow());
    }

    @Test
    void revokingAKeyOfAGoneAppRemovesTheKey_andCreatesNoAppItem() {
        String orphan = ApiKeys.hash(ApiKeys.mint());
        // What the earlier read-then-write races could leave: a key item whose app is gone.
        aws.dynamoDb().putItem(PutItemRequest.builder().tableName(aws.tableName()).item(Map.of(
                "pk", AttributeValue.fromS("key#" + orphan), "type", AttributeValue.fromS("key"),
                "appId", AttributeValue.fromS("app_gone"))).build());

        assertTrue(repo.revokeKey(orphan));

        assertFalse(repo.revokeKey(orphan));
        assertFalse(stored("key#" + orphan));
        assertFalse(stored("app#app_gone"), "revoking re-created a partial app item");
        assertTrue(repo.findByKeyHash(orphan).isEmpty());
    }

    /** A repository on the same table whose first write call runs {@code hook} before it reaches the table. */
    private DynamoDbAppRepository beforeFirstWrite(Runnable hook) {
        DynamoDbClient real = aws.dynamoDb();
        AtomicReference<Runnable> pending = new AtomicReference<>(hook);
        Set<String> writes = Set.of("putItem", "updateItem", "deleteItem", "transactWriteItems", "batchWriteItem");
        DynamoDbClient hooked = (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(),
                new Class<?>[] {DynamoDbClient.class}, (proxy, method, args) -> {
                    if (writes.contains(method.getName())) {
                        Runnable once = pending.getAndSet(null);
                        if (once != null) {
                            once.run();
                        }
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return new DynamoDbAppRepository(hooked, aws.tableName());
    }

    private boolean stored(String pk) {
        Map<String, AttributeValue> item = aws.dynamoDb().getItem(GetItemRequest.builder().tableName(aws.tableName())
                .key(Map.of("pk", AttributeValue.fromS(pk))).consistentRead(true).build()).item();
        return item != null && !item.isEmpty();
    }
}
