package com.runwayrelay.domain.gateway;

import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskRepository;
import com.runwayrelay.domain.gateway.UsageLedger.Settlement;
import java.util.Objects;
import java.util.Optional;

/**
 * Settles a task that has ended, from a durable record of its terminal transition (the table's
 * stream), so a crash between a writer's terminal write and its own settle cannot leave the
 * reservation and the active slot held. The writers still settle right after their write (usage
 * stays fresh); this is the safety net. Both use {@link Settlement#of(Task)}, and the ledger settles
 * a task once, so whichever comes second changes nothing (a replayed record included).
 */
public final class EndedTaskSettlement {
    private final TaskRepository tasks;
    private final UsageLedger ledger;

    public EndedTaskSettlement(TaskRepository tasks, UsageLedger ledger) {
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
    }

    /**
     * Settles the task if it is stored in a terminal state; a missing or unfinished task is left
     * alone. A ledger failure is thrown, so the caller retries the record.
     *
     * @return the settlement asked of the ledger (a no-op if the task was settled before), or empty
     */
    public Optional<Settlement> settle(String taskId) {
        Objects.requireNonNull(taskId, "taskId");
        Optional<Settlement> settlement = tasks.find(taskId).filter(task -> task.state().isTerminal())
                .map(Settlement::of);
        settlement.ifPresent(ledger::settle);
        return settlement;
    }
}
