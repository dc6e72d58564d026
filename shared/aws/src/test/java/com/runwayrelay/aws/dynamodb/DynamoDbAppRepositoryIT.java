package com.runwayrelay.aws.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.runwayrelay.domain.app.ApiKeys;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.contract.AppRepositoryContract;
import com.runwayrelay.domain.runway.AmbiguousCreatePolicy;
import com.runwayrelay.testkit.aws.AwsEmulators;
import com.runwayrelay.testkit.aws.WithAwsEmulators;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The {@link AppRepositoryContract} against DynamoDB Local, and the adapter's item mapping. */
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
}
