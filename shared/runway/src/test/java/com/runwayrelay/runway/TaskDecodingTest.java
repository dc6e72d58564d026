package com.runwayrelay.runway;

import static com.runwayrelay.runway.Fixtures.TASK_ID;
import static com.runwayrelay.runway.StubServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TaskDecodingTest {

    private static final String CREATED_AT = "2024-06-27T19:49:32.334Z";
    private static final Instant CREATED = Instant.parse(CREATED_AT);

    private StubServer server;
    private RunwayClient client;

    @BeforeEach
    void start() throws Exception {
        server = StubServer.start();
        client = Fixtures.client(server, new RecordingSleeper());
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private Task fetch(String fields) {
        server.enqueue(json(200, "{\"id\":\"" + TASK_ID + "\",\"createdAt\":\"" + CREATED_AT + "\"," + fields + "}"));
        return client.getTask(TASK_ID);
    }

    @Test
    void decodesPending_whenStatusPending() {
        Task task = fetch("\"status\":\"PENDING\",\"estimatedCost\":{\"credits\":25}");

        assertEquals(new Task.Pending(TASK_ID, CREATED, new BigDecimal("25")), task);
        assertEquals("PENDING", task.status());
        assertFalse(task.isTerminal());
    }

    @Test
    void decodesThrottled_whenStatusThrottled() {
        Task task = fetch("\"status\":\"THROTTLED\",\"estimatedCost\":{\"credits\":25}");

        assertEquals(new Task.Throttled(TASK_ID, CREATED, new BigDecimal("25")), task);
        assertFalse(task.isTerminal());
    }

    @Test
    void decodesRunningWithProgress_whenStatusRunning() {
        Task task = fetch("\"status\":\"RUNNING\",\"progress\":0.42,\"estimatedCost\":{\"credits\":25}");

        assertEquals(new Task.Running(TASK_ID, CREATED, 0.42, new BigDecimal("25")), task);
        assertFalse(task.isTerminal());
    }

    @Test
    void decodesSucceededWithOutputsAndCost_whenStatusSucceeded() {
        Task task = fetch("\"status\":\"SUCCEEDED\",\"output\":[\"https://cdn.example/a.mp4?_jwt=x\","
                + "\"https://cdn.example/b.wav\"],\"cost\":{\"credits\":20}");

        assertEquals(new Task.Succeeded(TASK_ID, CREATED,
                List.of("https://cdn.example/a.mp4?_jwt=x", "https://cdn.example/b.wav"), new BigDecimal("20")), task);
        assertTrue(task.isTerminal());
    }

    @Test
    void decodesFailedWithCode_whenStatusFailed() {
        Task task = fetch("\"status\":\"FAILED\",\"failure\":\"Prompt rejected\","
                + "\"failureCode\":\"SAFETY.INPUT.TEXT\",\"cost\":{\"credits\":0}");

        assertEquals(new Task.Failed(TASK_ID, CREATED, "Prompt rejected", "SAFETY.INPUT.TEXT", BigDecimal.ZERO), task);
        assertTrue(task.isTerminal());
    }

    @Test
    void decodesCancelled_whenStatusCancelled() {
        Task task = fetch("\"status\":\"CANCELLED\",\"cost\":{\"credits\":3}");

        assertEquals(new Task.Cancelled(TASK_ID, CREATED, new BigDecimal("3")), task);
        assertTrue(task.isTerminal());
    }

    @Test
    void decodesUnknownNonTerminal_whenStatusIsNew() {
        Task task = fetch("\"status\":\"ARCHIVING\",\"somethingNew\":{\"x\":1}");

        assertEquals(new Task.Unknown(TASK_ID, CREATED, "ARCHIVING"), task);
        assertEquals("ARCHIVING", task.status());
        assertFalse(task.isTerminal());
    }

    @Test
    void leavesOptionalFieldsNull_whenCostProgressAndFailureCodeAbsent() {
        assertNull(((Task.Pending) fetch("\"status\":\"PENDING\"")).estimatedCredits());
        Task.Running running = (Task.Running) fetch("\"status\":\"RUNNING\"");
        assertNull(running.progress());
        assertNull(running.estimatedCredits());
        Task.Succeeded succeeded = (Task.Succeeded) fetch("\"status\":\"SUCCEEDED\",\"output\":[]");
        assertNull(succeeded.costCredits());
        Task.Failed failed = (Task.Failed) fetch("\"status\":\"FAILED\",\"failure\":\"boom\",\"failureCode\":null");
        assertNull(failed.failureCode());
        assertNull(failed.costCredits());
        assertNull(((Task.Cancelled) fetch("\"status\":\"CANCELLED\"")).costCredits());
    }

    @Test
    void toleratesMissingFailureAndOutput_whenTerminalTaskIsSparse() {
        assertEquals("", ((Task.Failed) fetch("\"status\":\"FAILED\"")).failure());
        assertEquals(List.of(), ((Task.Succeeded) fetch("\"status\":\"SUCCEEDED\"")).output());
    }

    @Test
    void ignoresNegativeOrNonNumericCredits_whenCostMalformed() {
        assertNull(((Task.Cancelled) fetch("\"status\":\"CANCELLED\",\"cost\":{\"credits\":-1}")).costCredits());
        assertNull(((Task.Cancelled) fetch("\"status\":\"CANCELLED\",\"cost\":{\"credits\":\"x\"}")).costCredits());
    }

    @Test
    void acceptsOffsetTimestamps_whenCreatedAtHasOffset() {
        server.enqueue(json(200,
                "{\"id\":\"t1\",\"status\":\"PENDING\",\"createdAt\":\"2024-06-27T21:49:32.334+02:00\"}"));

        assertEquals(CREATED, client.getTask("t1").createdAt());
    }

    @Test
    void throwsInvalidResponse_whenTaskLacksIdStatusOrTimestamp() {
        server.enqueue(
                json(200, "{\"status\":\"PENDING\",\"createdAt\":\"" + CREATED_AT + "\"}"),
                json(200, "{\"id\":\"t1\",\"createdAt\":\"" + CREATED_AT + "\"}"),
                json(200, "{\"id\":\"t1\",\"status\":\"PENDING\",\"createdAt\":\"yesterday\"}"),
                json(200, "[]"),
                StubServer.text(200, "text/html", "<html>maintenance</html>"));

        for (int i = 0; i < 5; i++) {
            RunwayException.InvalidResponse e = assertThrows(RunwayException.InvalidResponse.class,
                    () -> client.getTask("t1"));
            assertEquals(200, e.status().getAsInt());
        }
    }

    @Test
    void dispatchesExhaustively_whenSwitchingOverTask() {
        Task task = fetch("\"status\":\"RUNNING\",\"progress\":0.5");

        String described = switch (task) {
            case Task.Pending p -> "queued";
            case Task.Throttled t -> "waiting for capacity";
            case Task.Running r -> "running " + r.progress();
            case Task.Succeeded s -> "done";
            case Task.Failed f -> "failed";
            case Task.Cancelled c -> "cancelled";
            case Task.Unknown u -> "unknown";
        };

        assertEquals("running 0.5", described);
        assertInstanceOf(Task.Running.class, task);
    }
}
