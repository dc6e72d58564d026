package com.runwayrelay.aws.dynamodb;

import com.runwayrelay.domain.contract.OwnershipContract;
import com.runwayrelay.testkit.aws.AwsEmulators;
import com.runwayrelay.testkit.aws.WithAwsEmulators;

/** The {@link OwnershipContract} against DynamoDB Local, with the template's table and indexes. */
@WithAwsEmulators
class DynamoDbOwnershipStoreIT extends OwnershipContract<DynamoDbOwnershipStore> {
    private final AwsEmulators aws;

    DynamoDbOwnershipStoreIT(AwsEmulators aws) {
        this.aws = aws;
    }

    @Override
    protected DynamoDbOwnershipStore openStore() {
        return new DynamoDbOwnershipStore(aws.dynamoDb(), aws.tableName());
    }
}
