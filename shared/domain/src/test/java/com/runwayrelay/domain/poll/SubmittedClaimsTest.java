package com.runwayrelay.domain.poll;

import com.runwayrelay.domain.TaskRepository;
import com.runwayrelay.domain.contract.SubmittedClaimsContract;
import com.runwayrelay.domain.memory.InMemoryTaskRepository;

/**
 * The {@link SubmittedClaimsContract} on {@link SubmittedClaims#over} (read, then a conditional
 * replace) over the fake repository; DynamoDbSubmittedClaimsIT runs it on the one-write adapter.
 */
class SubmittedClaimsTest extends SubmittedClaimsContract {
    @Override
    protected TaskRepository openTasks() {
        return new InMemoryTaskRepository(8);
    }

    @Override
    protected SubmittedClaims claimsOver(TaskRepository tasks) {
        return SubmittedClaims.over(tasks);
    }
}
