package com.runwayrelay.domain.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.runwayrelay.domain.Task;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ArchiveAttemptsTest {
    private static Task withReason(String reason) {
        return Task.accepted("t-1", "app", "text_to_image", "gen4_image", "{}", 1, Instant.EPOCH).stateReason(reason).build();
    }

    @Test
    void countsZero_whenReasonIsAbsentOrForeign() {
        assertEquals(0, ArchiveAttempts.made(withReason(null)));
        assertEquals(0, ArchiveAttempts.made(withReason("AMBIGUOUS_CREATE")));
        assertEquals("unknown", ArchiveAttempts.lastError(withReason(null)));
    }

    @Test
    void countsTheAttemptsOnTheTask_beforeWhatTheReasonSays() {
        Task failed = Task.accepted("t-1", "app", "text_to_image", "gen4_image", "{}", 1, Instant.EPOCH)
                .archiveAttempts(3).archiveError("output 1: reset").stateReason("archive attempt 1 of 3 started").build();
        Task cutOff = failed.toBuilder().archiveError(null).build();

        assertEquals(3, ArchiveAttempts.made(failed));
        assertEquals("output 1: reset", ArchiveAttempts.lastError(failed));
        assertEquals("the run ended before finishing (timed out or crashed)", ArchiveAttempts.lastError(cutOff));
    }

    @Test
    void readsTheCountFromTheReason_whenATaskWrittenBeforeTheFieldHasNone() {
        Task older = withReason(ArchiveAttempts.failed(2, 3, "boom"));

        assertEquals(0, older.archive().attempts());
        assertEquals(2, ArchiveAttempts.made(older));
        assertEquals("boom", ArchiveAttempts.lastError(older));
    }

    @Test
    void readsBackWhatItWrote() {
        Task started = withReason(ArchiveAttempts.started(2, 3));
        Task failed = withReason(ArchiveAttempts.failed(2, 3, "output 0: reset\nby peer"));

        assertEquals(2, ArchiveAttempts.made(started));
        assertEquals(2, ArchiveAttempts.made(failed));
        assertEquals("output 0: reset\nby peer", ArchiveAttempts.lastError(failed));
        assertEquals("the run ended before finishing (timed out or crashed)", ArchiveAttempts.lastError(started));
        assertEquals("archive attempt 2 of 3 started", started.stateReason());
    }
}
