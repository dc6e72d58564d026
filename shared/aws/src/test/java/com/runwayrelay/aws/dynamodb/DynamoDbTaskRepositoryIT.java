package com.runwayrelay.aws.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.runwayrelay.aws.AwsClients;
import com.runwayrelay.aws.config.AwsSettings;
import com.runwayrelay.domain.contract.TaskRepositoryContract;
import com.runwayrelay.testkit.aws.AwsEmulators;
import com.runwayrelay.testkit.aws.WithAwsEmulators;
import org.junit.jupiter.api.Test;

/** The {@link TaskRepositoryContract} against DynamoDB Local, with clients built the way a function builds them. */
@WithAwsEmulators
class DynamoDbTaskRepositoryIT extends TaskRepositoryContract<DynamoDbTaskRepository> {
    private final AwsEmulators aws;

    DynamoDbTaskRepositoryIT(AwsEmulators aws) {
        this.aws = aws;
    }

    @Override
    protected DynamoDbTaskRepository emptyRepository(int shards) {
        aws.resetData();
        AwsClients clients = new AwsClients(AwsSettings.from(aws.environment()));
        return new DynamoDbTaskRepository(clients.dynamoDb(), aws.tableName(), shards);
    }

    @Test
    void countActiveFollowsEveryPageOfEveryShard() {
        AwsClients clients = new AwsClients(AwsSettings.from(aws.environment()));
        DynamoDbTaskRepository twoAPage = new DynamoDbTaskRepository(clients.dynamoDb(), aws.tableName(), SHARDS, 2);
        for (int i = 0; i < 11; i++) {
            twoAPage.insert(newTask(T0.plusSeconds(i)));
        }
        twoAPage.insert(newTask(null));

        // The first pages of the four shards hold at most 8 entries: the rest is only on later pages.
        assertEquals(11, twoAPage.countActive());
    }
}
