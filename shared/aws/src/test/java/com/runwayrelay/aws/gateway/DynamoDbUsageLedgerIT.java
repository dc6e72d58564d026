package com.runwayrelay.aws.gateway;

import com.runwayrelay.domain.contract.UsageLedgerContract;
import com.runwayrelay.testkit.aws.AwsEmulators;
import com.runwayrelay.testkit.aws.WithAwsEmulators;

/** The {@link UsageLedgerContract} against DynamoDB Local (range reads there go in batches). */
@WithAwsEmulators
class DynamoDbUsageLedgerIT extends UsageLedgerContract<DynamoDbUsageLedger> {
    private final AwsEmulators aws;

    DynamoDbUsageLedgerIT(AwsEmulators aws) {
        this.aws = aws;
    }

    @Override
    protected DynamoDbUsageLedger openLedger() {
        return new DynamoDbUsageLedger(aws.dynamoDb(), aws.tableName());
    }
}
