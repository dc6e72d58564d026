package com.runwayrelay.domain.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.DueShards;
import com.runwayrelay.domain.contract.TaskRepositoryContract;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The {@link TaskRepositoryContract} on the fake (DynamoDbTaskRepositoryIT runs it on DynamoDB Local). */
class InMemoryTaskRepositoryTest extends TaskRepositoryContract<InMemoryTaskRepository> {
    @Override
    protected InMemoryTaskRepository emptyRepository(int shards) {
        return new InMemoryTaskRepository(shards);
    }

    @Test
    void shardOfIsStableAndInRange() {
        assertEquals(DueShards.shardOf("abc", 16), DueShards.shardOf("abc", 16));
        for (int i = 0; i < 1000; i++) {
            int s = DueShards.shardOf(UUID.randomUUID().toString(), 16);
            assertTrue(s >= 0 && s < 16);
        }
    }
}
