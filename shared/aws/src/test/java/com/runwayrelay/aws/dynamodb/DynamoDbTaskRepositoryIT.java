package com.runwayrelay.aws.dynamodb;

import com.runwayrelay.aws.AwsClients;
import com.runwayrelay.aws.config.AwsSettings;
import com.runwayrelay.domain.contract.TaskRepositoryContract;
import com.runwayrelay.testkit.aws.AwsEmulators;
import com.runwayrelay.testkit.aws.WithAwsEmulators;

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
}
