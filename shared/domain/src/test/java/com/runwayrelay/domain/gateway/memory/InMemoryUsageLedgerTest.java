package com.runwayrelay.domain.gateway.memory;

import com.runwayrelay.domain.contract.UsageLedgerContract;

/** The {@link UsageLedgerContract} on the fake (DynamoDbUsageLedgerIT runs it on DynamoDB Local). */
class InMemoryUsageLedgerTest extends UsageLedgerContract<InMemoryUsageLedger> {
    @Override
    protected InMemoryUsageLedger openLedger() {
        return new InMemoryUsageLedger();
    }
}
