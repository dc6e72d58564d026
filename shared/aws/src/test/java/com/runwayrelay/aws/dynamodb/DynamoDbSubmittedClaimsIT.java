package com.runwayrelay.aws.dynamodb;

import com.runwayrelay.domain.TaskRepository;
import com.runwayrelay.domain.contract.SubmittedClaimsContract;
import com.runwayrelay.domain.poll.SubmittedClaims;
import com.runwayrelay.testkit.aws.AwsEmulators;
import com.runwayrelay.testkit.aws.WithAwsEmulators;

/** The {@link SubmittedClaimsContract} against DynamoDB Local: one conditional update per claim. */
@WithAwsEmulators
class DynamoDbSubmittedClaimsIT extends SubmittedClaimsContract {
    private final AwsEmulators aws;

    DynamoDbSubmittedClaimsIT(AwsEmulators aws) {
        this.aws = aws;
    }

    @Override
    protected TaskRepository openTasks() {
        return new DynamoDbTaskRepository(aws.dynamoDb(), aws.tableName(), 8);
    }

    @Override
    protected SubmittedClaims claimsOver(TaskRepository tasks) {
        return new DynamoDbSubmittedClaims(aws.dynamoDb(), aws.tableName());
    }
}
