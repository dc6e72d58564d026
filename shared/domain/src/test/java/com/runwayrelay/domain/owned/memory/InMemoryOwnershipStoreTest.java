package com.runwayrelay.domain.owned.memory;

import com.runwayrelay.domain.contract.OwnershipContract;

/** The {@link OwnershipContract} on the in-memory fake. */
class InMemoryOwnershipStoreTest extends OwnershipContract<InMemoryOwnershipStore> {
    @Override
    protected InMemoryOwnershipStore openStore() {
        return new InMemoryOwnershipStore();
    }
}
