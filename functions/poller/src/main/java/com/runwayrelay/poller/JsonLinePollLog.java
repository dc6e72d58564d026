package com.runwayrelay.poller;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.domain.RunwayStatus;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.owned.CreateIntent;
import com.runwayrelay.domain.owned.SessionSettlementPass;
import com.runwayrelay.domain.poll.PollLog;
import com.runwayrelay.domain.poll.RunSummary;
import java.io.PrintStream;
import java.time.Instant;

/**
 * Structured log of the poller: one JSON object per line on stdout (CloudWatch keeps each line as
 * one event). Only ids, states, statuses, codes and counts are written: never a request body,
 * metadata, output URL or failure text that could carry user content.
 */
final class JsonLinePollLog implements PollLog {
    private final ObjectMapper json;
    private final PrintStream out;

    JsonLinePollLog(ObjectMapper json, PrintStream out) {
        this.json = json;
        this.out = out;
    }

    @Override
    public void transition(String runId, Task before, Task after) {
        ObjectNode line = json.createObjectNode()
                .put("event", "poller.transition")
                .put("level", "INFO")
                .put("timestamp", after.updatedAt().toString())
                .put("runId", runId)
                .put("taskId", after.id())
                .put("appId", after.appId())
                .put("runwayTaskId", after.runway().taskId())
                .put("state", after.state().name())
                .put("from", before.state().name())
                .put("to", after.state().name())
                .put("runwayStatus", RunwayStatus.wireOf(after.runway().status()))
                .put("attempts", after.runway().attempts().size());
        if (after.failureCode() != null) {
            line.put("failureCode", after.failureCode());
        }
        if (after.dueAt() != null) {
            line.put("dueAt", after.dueAt().toString());
        }
        write(line);
    }

    @Override
    public void problem(String runId, String taskId, RuntimeException error) {
        write(json.createObjectNode()
                .put("event", "poller.problem")
                .put("level", "WARN")
                .put("timestamp", Instant.now().toString())
                .put("runId", runId)
                .put("taskId", taskId)
                .put("error", error.getClass().getName())
                .put("message", error.getMessage()));
    }

    /**
     * A {@code poller.problem} of the interrupted-create sweep: the claim of this intent failed in the store, so it
     * was not reported in this run and stays due for the next. Names the intent (there is no task).
     */
    void intentProblem(String runId, CreateIntent intent, RuntimeException error) {
        write(json.createObjectNode()
                .put("event", "poller.problem")
                .put("level", "WARN")
                .put("timestamp", Instant.now().toString())
                .put("runId", runId)
                .put("intentId", intent.intentId())
                .put("kind", intent.kind().wireName())
                .put("appId", intent.appId())
                .put("error", error.getClass().getName())
                .put("message", error.getMessage()));
    }

    /** What the run's realtime session settlement pass did. */
    void sessions(String runId, SessionSettlementPass.Result result) {
        write(json.createObjectNode()
                .put("event", "poller.sessions")
                .put("level", "INFO")
                .put("timestamp", Instant.now().toString())
                .put("runId", runId)
                .put("checked", result.checked())
                .put("settled", result.settled())
                .put("waiting", result.waiting())
                .put("skipped", result.skipped())
                .put("failed", result.failures().size())
                .put("runwayUnavailable", result.runwayUnavailable()));
    }

    /**
     * A create intent no create finished, reported once by the run's sweep: the create stopped between
     * writing it and knowing its outcome, so Runway may hold a resource no app owns (no Runway id is known).
     */
    void interruptedCreate(String runId, CreateIntent intent) {
        write(json.createObjectNode()
                .put("event", intent.kind().wireName() + ".interrupted_create")
                .put("level", "ERROR")
                .put("timestamp", Instant.now().toString())
                .put("runId", runId)
                .put("appId", intent.appId())
                .put("kind", intent.kind().wireName())
                .put("name", intent.name())
                .put("startedAt", intent.startedAt().toString())
                .put("intentId", intent.intentId()));
    }

    /** The run's summary line. */
    void summary(RunSummary summary) {
        ObjectNode line = json.createObjectNode().put("event", "poller.run");
        line.setAll(json.<ObjectNode>valueToTree(ScheduledPoll.asMap(summary)));
        // After the summary's own fields: the local stack recognises an idle run by the line's start.
        line.put("level", "INFO").put("timestamp", Instant.now().toString());
        write(line);
    }

    private void write(ObjectNode line) {
        String text;
        try {
            text = json.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a log line", e);
        }
        // One println per line: PrintStream is synchronized, so concurrent workers never interleave.
        out.println(text);
    }
}
