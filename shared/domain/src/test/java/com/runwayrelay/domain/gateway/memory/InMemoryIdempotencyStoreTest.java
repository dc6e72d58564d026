package com.runwayrelay.domain.gateway.memory;

import com.runwayrelay.domain.contract.IdempotencyStoreContract;

/** The {@link IdempotencyStoreContract} on the fake (DynamoDbIdempotencyStoreIT runs it on DynamoDB Local). */
class InMemoryIdempotencyStoreTest extends IdempotencyStoreContract<InMemoryIdempotencyStore> {
    @Override
    protected InMemoryIdempotencyStore openStore() {
        return new InMemoryIdempotencyStore();
    }
}
