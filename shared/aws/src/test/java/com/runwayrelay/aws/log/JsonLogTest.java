package com.runwayrelay.aws.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private JsonLog log(Level threshold) {
        return new JsonLog(() -> out, Clock.fixed(NOW, ZoneOffset.UTC), threshold);
    }

    private List<JsonNode> lines() throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : bytes.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    @Test
    void writesOneJsonObjectPerEvent_withLevelTimestampAndTheEventsFields() throws Exception {
        log(Level.INFO).event("archiver.attempt").taskId("t1").appId("app_1").runwayTaskId("rw-1").state("ARCHIVED")
                .duration(Duration.ofMillis(1234)).field("detail", null).warn();

        JsonNode line = lines().getFirst();
        assertEquals(JSON.readTree("""
                {"level":"WARN","timestamp":"2026-12-01T10:00:00Z","event":"archiver.attempt","taskId":"t1",
                 "appId":"app_1","runwayTaskId":"rw-1","state":"ARCHIVED","durationMs":1234}"""), line);
    }

    @Test
    void leavesOutEventsBelowTheThreshold() throws Exception {
        JsonLog warnings = log(JsonLog.threshold("WARN"));
        warnings.event("quiet").info();
        warnings.event("loud").error();

        assertEquals(List.of("loud"), lines().stream().map(l -> l.get("event").asText()).toList());
        assertEquals("ERROR", lines().getFirst().get("level").asText());
    }

    @Test
    void readsLambdasLogLevelNames() {
        assertEquals(Level.INFO, JsonLog.threshold(null));
        assertEquals(Level.DEBUG, JsonLog.threshold("debug"));
        assertEquals(Level.ERROR, JsonLog.threshold("FATAL"));
        assertEquals(Level.INFO, JsonLog.threshold("LOUD"));
    }

    @Test
    void turnsSystemLoggerCallsIntoJsonLines_withTheErrorsClassAndMessageButNoStack() throws Exception {
        System.Logger logger = new JsonLoggerFinder(log(Level.INFO)).getLogger("com.example.Thing", getClass().getModule());
        logger.log(Level.INFO, "task {0}: {1}", "t1", "ARCHIVED");
        logger.log(Level.ERROR, "work threw", new IllegalStateException("table unavailable"));
        logger.log(Level.DEBUG, "not shown");

        List<JsonNode> lines = lines();
        assertEquals(2, lines.size());
        assertEquals("task t1: ARCHIVED", lines.get(0).get("message").asText());
        assertEquals("com.example.Thing", lines.get(0).get("logger").asText());
        assertEquals("log", lines.get(0).get("event").asText());
        assertEquals("ERROR", lines.get(1).get("level").asText());
        assertEquals("java.lang.IllegalStateException", lines.get(1).get("error").asText());
        assertEquals("table unavailable", lines.get(1).get("errorMessage").asText());
    }

    @Test
    void isTheJvmsLoggerFinder_whereverThisLibraryIsOnTheClassPath() {
        assertInstanceOf(JsonLoggerFinder.class, System.LoggerFinder.getLoggerFinder());
    }
}
