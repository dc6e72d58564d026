package com.runwayrelay.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonLinePollLogTest {

    @Test
    void writesAProblemAsOneJsonLine_withTheErrorTypeAndMessage() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonLinePollLog log = new JsonLinePollLog(new ObjectMapper(), new PrintStream(out, true, StandardCharsets.UTF_8));

        log.problem("run-1", "task-1", new IllegalStateException("throttled\nby DynamoDB"));

        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(1, text.lines().count(), "a newline in a message stays inside the JSON string");
        JsonNode line = new ObjectMapper().readTree(text);
        assertEquals("poller.problem", line.get("event").asText());
        assertEquals("task-1", line.get("taskId").asText());
        assertEquals("java.lang.IllegalStateException", line.get("error").asText());
        assertEquals("throttled\nby DynamoDB", line.get("message").asText());
    }
}
