package com.runwayrelay.runway.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.RunwayStatus;
import com.runwayrelay.domain.memory.ManualClock;
import com.runwayrelay.domain.runway.RunwayGateway.CancelOutcome;
import com.runwayrelay.domain.runway.RunwayGateway.CreateOutcome;
import com.runwayrelay.domain.runway.RunwayGateway.ReadOutcome;
import com.runwayrelay.domain.runway.RunwayGateway.RunwayTask;
import com.runwayrelay.domain.runway.WorkflowRuns;
import com.runwayrelay.runway.RunwayClient;
import com.runwayrelay.simulator.RunwaySimulator;
import com.runwayrelay.simulator.SimulatedWorkflows;
import com.runwayrelay.simulator.SimulatorConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Workflow runs through the domain's Runway port over the real client, against the simulator (its clock moved by hand). */
class WorkflowInvocationGatewayIT {
    private static final String ENDPOINT = WorkflowRuns.endpoint(SimulatedWorkflows.PRODUCT_SHOTS_V2);
    private static final String PROMPT = "b2a4c6d8-0001-4000-8000-000000000001";
    private static final String IMAGES = "b2a4c6d8-0002-4000-8000-000000000002";
    private static final String VIDEO = "b2a4c6d8-0003-4000-8000-000000000003";

    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-21T06:30:00Z"));
    private RunwaySimulator sim;
    private RunwayClientGateway gateway;

    @BeforeEach
    void start() {
        sim = RunwaySimulator.start(SimulatorConfig.builder().clock(clock).pendingDuration(Duration.ofSeconds(1))
                .runningDuration(Duration.ofSeconds(4)).build());
        gateway = new RunwayClientGateway(RunwayClient.builder().apiKey(sim.apiKey()).baseUri(sim.baseUri())
                .maxRetries(0).build());
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private static String body(String prompt) {
        return "{\"nodeOutputs\":{\"" + PROMPT + "\":{\"text\":{\"type\":\"primitive\",\"value\":\"" + prompt + "\"}}}}";
    }

    @Test
    void runsAWorkflow_andReadsTheInvocationAtItsPath_withOutputsByNode() {
        CreateOutcome.Created created = assertInstanceOf(CreateOutcome.Created.class,
                gateway.create(ENDPOINT, body("A red sneaker")));
        assertNull(created.estimatedCredits(), "Runway answers a run with its id only");

        RunwayTask pending = assertInstanceOf(ReadOutcome.Found.class, gateway.get(ENDPOINT, created.runwayTaskId())).task();
        assertEquals(RunwayStatus.PENDING, pending.status());
        clock.advance(Duration.ofSeconds(3));
        RunwayTask running = assertInstanceOf(ReadOutcome.Found.class, gateway.get(ENDPOINT, created.runwayTaskId())).task();
        assertEquals(RunwayStatus.RUNNING, running.status());
        assertEquals(List.of(), running.output(), "a running invocation's outputs are not taken");
        clock.advance(Duration.ofSeconds(5));
        RunwayTask done = assertInstanceOf(ReadOutcome.Found.class, gateway.get(ENDPOINT, created.runwayTaskId())).task();

        assertEquals(RunwayStatus.SUCCEEDED, done.status());
        assertEquals(List.of(IMAGES, IMAGES, VIDEO), done.outputNodes());
        assertEquals(3, done.output().size());
        assertNull(done.nodeErrorsJson());
        assertNull(done.costCredits(), "invocations report no cost");
        assertInstanceOf(ReadOutcome.Gone.class, gateway.get(created.runwayTaskId()), "an invocation is no task");
    }

    @Test
    void passesNodeErrorsThrough_forASucceededInvocationWithAFailedNode_andAFailedOne() {
        String partial = assertInstanceOf(CreateOutcome.Created.class,
                gateway.create(ENDPOINT, body("x [fail:SAFETY.OUTPUT.IMAGE]"))).runwayTaskId();
        String failed = assertInstanceOf(CreateOutcome.Created.class,
                gateway.create(ENDPOINT, body("x [fail-all:INTERNAL]"))).runwayTaskId();
        clock.advance(Duration.ofSeconds(10));

        RunwayTask some = assertInstanceOf(ReadOutcome.Found.class, gateway.get(ENDPOINT, partial)).task();
        assertEquals(RunwayStatus.SUCCEEDED, some.status());
        assertEquals(List.of(VIDEO), some.outputNodes());
        assertTrue(some.nodeErrorsJson().contains("\"" + IMAGES + "\"") && some.nodeErrorsJson()
                .contains("SAFETY.OUTPUT.IMAGE"), some.nodeErrorsJson());

        RunwayTask none = assertInstanceOf(ReadOutcome.Found.class, gateway.get(ENDPOINT, failed)).task();
        assertEquals(RunwayStatus.FAILED, none.status());
        assertEquals("INTERNAL", none.failureCode());
        assertTrue(none.failure().contains("INTERNAL"), none.failure());
        assertTrue(none.nodeErrorsJson().contains("\"" + VIDEO + "\""), none.nodeErrorsJson());
    }

    @Test
    void rejectsAnUnknownWorkflowOrNode_andCancelsNothingAtRunway() {
        assertInstanceOf(CreateOutcome.Rejected.class, gateway.create(WorkflowRuns.endpoint("00000000-0000-4000-8000-000000000000"), "{}"));
        assertInstanceOf(CreateOutcome.Rejected.class, gateway.create(ENDPOINT,
                "{\"nodeOutputs\":{\"" + IMAGES + "\":{\"text\":{\"type\":\"primitive\",\"value\":\"x\"}}}}"));
        assertEquals(0, sim.createdTaskCount());

        String id = assertInstanceOf(CreateOutcome.Created.class, gateway.create(ENDPOINT, "{}")).runwayTaskId();
        int requests = sim.requestLog().size();
        assertInstanceOf(CancelOutcome.Done.class, gateway.cancel(ENDPOINT, id));
        assertEquals(requests, sim.requestLog().size(), "Runway has no cancel for an invocation: nothing is sent");
    }
}
