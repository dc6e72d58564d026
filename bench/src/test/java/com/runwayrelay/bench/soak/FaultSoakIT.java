package com.runwayrelay.bench.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault soak at 200 tasks and one SIGKILL of the stack, with a fixed seed: every invariant must hold.
 * The full-size runs are in docs/RELIABILITY.md. Nothing here depends on how fast the machine is: the
 * soak waits for conditions, and its timeout is only a hang guard.
 */
class FaultSoakIT {

    @TempDir
    Path work;

    @Test
    void everyInvariantHolds_after200TasksUnderFaultsAndOneCrash() throws Exception {
        FaultSoak.Settings defaults = FaultSoak.Settings.parse(List.of("tasks=200", "clients=12", "crashes=1", "seed=14",
                "policies=fail,retry-once", "stackHeap=512m"));
        FaultSoak.Settings settings = new FaultSoak.Settings(defaults.tasks(), defaults.clients(), defaults.crashes(), defaults.seed(),
                defaults.policies(), defaults.simulator(), defaults.dynamoFaults(), defaults.s3Faults(), Duration.ofMinutes(15),
                work, defaults.stackHeap());

        FaultSoak.Result result = FaultSoak.run(settings);

        System.out.print(result.report());
        assertEquals(1L, result.counts().get("stack crashes (SIGKILL) and restarts"), result.report());
        assertTrue(result.counts().get("client retries (same Idempotency-Key)") > 0, "the faults made clients retry: " + result.report());
        for (FaultSoak.Check check : result.checks()) {
            assertTrue(check.holds(), check.name() + ": " + check.numbers() + "\n" + result.report());
        }
    }
}
