package com.runwayrelay.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class IdlePollerRunFilterTest {

    @Test
    void dropsOnlyIdlePollerRunSummaries() {
        ByteArrayOutputStream target = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(new IdlePollerRunFilter(target), true, StandardCharsets.UTF_8)) {
            out.println("{\"event\":\"poller.run\",\"runId\":\"r1\",\"claimed\":0,\"advanced\":0}");
            out.println("{\"event\":\"poller.run\",\"runId\":\"r2\",\"claimed\":3,\"advanced\":3}");
            out.println("{\"event\":\"poller.transition\",\"claimed\":0,\"to\":\"OUTPUT_READY\"}");
            out.print("INFO: task t: ARCHIVED");
            out.println();
            out.print("no newline at the end");
        }
        assertEquals("""
                {"event":"poller.run","runId":"r2","claimed":3,"advanced":3}
                {"event":"poller.transition","claimed":0,"to":"OUTPUT_READY"}
                INFO: task t: ARCHIVED
                no newline at the end""", target.toString(StandardCharsets.UTF_8));
    }
}
