package com.runwayrelay.domain.memory;

import com.runwayrelay.domain.contract.TaskListingContract;

/** The {@link TaskListingContract} on the fake (DynamoDbTaskListingIT runs it on DynamoDB Local). */
class InMemoryTaskListingTest extends TaskListingContract<InMemoryTaskRepository> {
    @Override
    protected InMemoryTaskRepository emptyRepository(int shards) {
        return new InMemoryTaskRepository(shards);
    }
}
