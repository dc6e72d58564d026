package com.runwayrelay.aws.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import software.amazon.awssdk.core.exception.SdkClientException;
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

    /** What {@link LostUpdateAnswers} does with an update. */
    private enum Lost {
        /** Applied, then sent again (the SDK's retry): the caller gets the second answer. */
        RETRIED,
        /** Applied, then the client gives up (no attempt or time left): the caller gets its failure. */
        GIVEN_UP,
        /** Never reaches the table: the caller gets the client's failure. */
        NEVER_SENT
    }

    /** The client as the SDK behaves when an update's answer is lost ({@link Lost}); every other call as it is. */
    private static final class LostUpdateAnswers implements DynamoDbClient {
        private final DynamoDbClient dynamo;
        private final Lost lost;

        LostUpdateAnswers(DynamoDbClient dynamo, Lost lost) {
            this.dynamo = dynamo;
            this.lost = lost;
        }

        @Override
        public UpdateItemResponse updateItem(UpdateItemRequest request) {
            if (lost == Lost.NEVER_SENT) {
                throw SdkClientException.create("connect timed out");
            }
            dynamo.updateItem(request);
            if (lost == Lost.GIVEN_UP) {
                throw SdkClientException.create("read timed out; the call's time is up");
            }
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
        DynamoDbOwnershipStore retrying = new DynamoDbOwnershipStore(new LostUpdateAnswers(aws.dynamoDb(), Lost.RETRIED), aws.tableName());
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

    @Test
    void aClaimThatLandedBeforeTheClientGaveUp_isStillThisCallersClaim() {
        DynamoDbOwnershipStore givingUp = new DynamoDbOwnershipStore(new LostUpdateAnswers(aws.dynamoDb(), Lost.GIVEN_UP),
                aws.tableName());
        CreateIntent intent = new CreateIntent(UUID.randomUUID().toString(), ResourceKind.VOICES, "app_lost", "calm", T,
                null);
        givingUp.recordIntent(intent);

        assertTrue(givingUp.markIntentReported(intent, T.plusSeconds(300)),
                "the update landed: the sweep must report it now, as no later sweep will find it");
        assertFalse(givingUp.markIntentReported(intent, T.plusSeconds(301)), "a later claim loses");

        CreateIntent other = new CreateIntent(UUID.randomUUID().toString(), ResourceKind.VOICES, "app_lost", "calm", T,
                null);
        givingUp.recordIntent(other);
        DynamoDbOwnershipStore unreachable = new DynamoDbOwnershipStore(new LostUpdateAnswers(aws.dynamoDb(),
                Lost.NEVER_SENT), aws.tableName());
        assertThrows(SdkClientException.class, () -> unreachable.markIntentReported(other, T.plusSeconds(300)),
                "a claim that did not land stays a failure, for a later sweep");
        assertEquals(List.of(other), openStore().intentsDue(T, 1000).stream()
                .filter(i -> i.intentId().equals(other.intentId())).toList());
        assertTrue(openStore().markIntentReported(other, T.plusSeconds(400)));
    }
}
