package com.runwayrelay.aws.gateway;

import com.runwayrelay.domain.contract.IdempotencyStoreContract;
import com.runwayrelay.testkit.aws.AwsEmulators;
import com.runwayrelay.testkit.aws.WithAwsEmulators;

/** The {@link IdempotencyStoreContract} against DynamoDB Local. */
@WithAwsEmulators
class DynamoDbIdempotencyStoreIT extends IdempotencyStoreContract<DynamoDbIdempotencyStore> {
    private final AwsEmulators aws;

    DynamoDbIdempotencyStoreIT(AwsEmulators aws) {
        this.aws = aws;
    }

    @Override
    protected DynamoDbIdempotencyStore openStore() {
        return new DynamoDbIdempotencyStore(aws.dynamoDb(), aws.tableName());
    }
}
