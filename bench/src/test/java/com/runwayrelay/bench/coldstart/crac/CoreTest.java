package com.runwayrelay.bench.coldstart.crac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark's checkpoint stand-in notifies as a CRaC JVM's global context does. */
class CoreTest {
    /** Records its calls; fails {@code beforeCheckpoint} when asked to. */
    private record Hook(String name, List<String> calls, boolean failBefore) implements Resource {
        @Override
        public void beforeCheckpoint(Context<? extends Resource> context) {
            calls.add("before " + name);
            if (failBefore) {
                throw new IllegalStateException(name + " failed");
            }
        }

        @Override
        public void afterRestore(Context<? extends Resource> context) {
            calls.add("after " + name);
        }
    }

    @Test
    void runsBeforeCheckpointInReverseOrder_thenAfterRestoreInOrder_whenCheckpointRestoreIsCalled() throws Exception {
        List<String> calls = new ArrayList<>();
        Hook a = new Hook("a", calls, false);
        Hook b = new Hook("b", calls, false);
        Core.Global context = new Core.Global();
        context.register(a);
        context.register(b);

        Core.checkpointRestore(context);

        assertEquals(List.of("before b", "before a", "after a", "after b"), calls);
        assertEquals(2, context.notified());
    }

    @Test
    void stillRestoresAndThenReportsTheFailure_whenABeforeCheckpointHookThrows() {
        List<String> calls = new ArrayList<>();
        Hook failing = new Hook("failing", calls, true);
        Hook fine = new Hook("fine", calls, false);
        Core.Global context = new Core.Global();
        context.register(fine);
        context.register(failing);

        CheckpointException thrown = assertThrows(CheckpointException.class, () -> Core.checkpointRestore(context));

        assertEquals(List.of("before failing", "before fine", "after fine", "after failing"), calls);
        assertEquals("failing failed", thrown.getSuppressed()[0].getMessage());
    }
}
