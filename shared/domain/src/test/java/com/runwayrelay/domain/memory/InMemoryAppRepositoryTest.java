package com.runwayrelay.domain.memory;

import com.runwayrelay.domain.contract.AppRepositoryContract;

/** The {@link AppRepositoryContract} on the fake (DynamoDbAppRepositoryIT runs it on DynamoDB Local). */
class InMemoryAppRepositoryTest extends AppRepositoryContract<InMemoryAppRepository> {
    @Override
    protected InMemoryAppRepository emptyRepository() {
        return new InMemoryAppRepository();
    }
}
