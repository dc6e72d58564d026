package com.runwayrelay.aws.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.contract.OwnershipContract;
import com.runwayrelay.domain.owned.CreateIntent;
import com.runwayrelay.domain.owned.ResourceKind;
import com.runwayrelay.testkit.aws.AwsEmulators;
import com.runwayrelay.testkit.aws.WithAwsEmulators;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/** The {@link OwnershipContract} against DynamoDB Local, with the template's table and indexes. */
@WithAwsEmulators
class DynamoDbOwnershipStoreIT extends OwnershipContract<DynamoDbOwnershipStore> {
    private static final Instant T = Instant.parse("2026-12-04T06:00:00Z");

    private final AwsEmulators aws;

    DynamoDbOwnershipStoreIT(AwsEmulators aws) {
        this.aws = aws;
    }

    @Override
    protected DynamoDbOwnershipStore openStore() {
        return new DynamoDbOwnershipStore(aws.dynamoDb(), aws.tableName());
    }

    /**
     * The client as the SDK behaves when an update's answer is lost: the update is applied, then sent again
     * (the SDK's retry), and the caller gets the second answer.
     */
    private static final class LostUpdateAnswers implements DynamoDbClient {
        private final DynamoDbClient dynamo;

        LostUpdateAnswers(DynamoDbClient dynamo) {
            this.dynamo = dynamo;
        }

        @Override
        public UpdateItemResponse updateItem(UpdateItemRequest request) {
            dynamo.updateItem(request);
            return dynamo.updateItem(request);
        }

        @Override
        public PutItemResponse putItem(PutItemRequest request) {
            return dynamo.putItem(request);
        }

        @Override
        public GetItemResponse getItem(GetItemRequest request) {
            return dynamo.getItem(request);
        }

        @Override
        public DeleteItemResponse deleteItem(DeleteItemRequest request) {
            return dynamo.deleteItem(request);
        }

        @Override
        public QueryResponse query(QueryRequest request) {
            return dynamo.query(request);
        }

        @Override
        public String serviceName() {
            return dynamo.serviceName();
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aClaimWhoseAnswerWasLost_isStillThisCallersClaim_andAnotherCallersStaysRefused() {
        DynamoDbOwnershipStore retrying = new DynamoDbOwnershipStore(new LostUpdateAnswers(aws.dynamoDb()), aws.tableName());
        CreateIntent intent = new CreateIntent(UUID.randomUUID().toString(), ResourceKind.DOCUMENTS, "app_lost", "faq", T,
                null);
        retrying.recordIntent(intent);

        assertTrue(retrying.markIntentReported(intent, T.plusSeconds(300)),
                "the update landed; only its answer was lost: the sweep must still report it");
        assertFalse(retrying.markIntentReported(intent, T.plusSeconds(300)), "a later claim, even at the same time, loses");
        assertFalse(openStore().markIntentReported(intent, T.plusSeconds(301)));
        assertEquals(List.of(), openStore().intentsDue(T, 1000).stream()
                .filter(i -> i.intentId().equals(intent.intentId())).toList());
    }
}
