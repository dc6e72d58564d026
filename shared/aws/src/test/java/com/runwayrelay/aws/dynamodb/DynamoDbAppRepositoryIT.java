package com.runwayrelay.aws.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.runwayrelay.domain.app.ApiKeys;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.contract.AppRepositoryContract;
import com.runwayrelay.domain.runway.AmbiguousCreatePolicy;
import com.runwayrelay.testkit.aws.AwsEmulators;
import com.runwayrelay.testkit.aws.WithAwsEmulators;
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
    void allowUnsafeLatestSurvivesTheTable_andAnAppStoredWithoutItReadsAsNotAllowed() {
        App app = app("app_c").next().allowUnsafeLatest(true).build();
        repo.create(app, ApiKeys.hash(ApiKeys.mint()));
        assertEquals(true, repo.find("app_c").orElseThrow().allowUnsafeLatest());

        var item = DynamoDbAppRepository.toItem(app("app_d"));
        assertEquals(false, item.containsKey("allowUnsafeLatest"));
        assertEquals(false, DynamoDbAppRepository.fromItem(item).allowUnsafeLatest());
    }
}
