package com.runwayrelay.runway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.simulator.Fault;
import com.runwayrelay.simulator.RunwaySimulator;
import com.runwayrelay.simulator.SimulatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client's retry rules against the Runway simulator's fault injection. */
class RunwayClientSimulatorIT {

    private static final String CREATE_PATH = "/v1/text_to_image";

    private RunwaySimulator sim;
    private RecordingSleeper sleeper;
    private RunwayClient client;

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        sim = RunwaySimulator.start(SimulatorConfig.defaults());
        sleeper = new RecordingSleeper();
        client = builder().build();
    }

    @AfterEach
    void stop() {
        client.close();
        sim.close();
    }

    private RunwayClient.Builder builder() {
        return RunwayClient.builder().apiKey(sim.apiKey()).baseUri(sim.baseUri()).sleeper(sleeper)
                .logger(new RecordingLogger());
    }

    private static ObjectNode imageRequest() {
        return Json.MAPPER.createObjectNode()
                .put("model", "gen4_image")
                .put("promptText", "a lighthouse at dawn")
                .put("ratio", "1920:1080");
    }

    @Test
    void createsTaskAndReadsItBack_whenNoFaultIsInjected() {
        CreatedTask created = client.createTask("text_to_image", imageRequest());

        Task task = client.getTask(created.id());

        assertEquals(created.id(), task.id());
        assertEquals(1, sim.createdTaskCount());
        assertTrue(created.estimatedCredits() == null || created.estimatedCredits().signum() >= 0);
    }

    @Test
    void honoursRetryAfterAndCreatesOnce_when429IsInjected() {
        sim.injectNext("POST", CREATE_PATH, Fault.status(429, Map.of("retry-after", "2")));

        CreatedTask created = client.createTask("text_to_image", imageRequest());

        assertEquals(List.of(Duration.ofSeconds(2)), sleeper.delays());
        assertEquals(2, sim.requestCount("POST", CREATE_PATH));
        assertEquals(1, sim.createdTaskCount());
        assertTrue(sim.task(created.id()).isPresent());
    }

    @Test
    void waitsForRetryAfterMs_when429IsInjected() {
        sim.injectNext("POST", CREATE_PATH, Fault.status(429, Map.of("retry-after-ms", "300")));

        client.createTask("text_to_image", imageRequest());

        // The wait asked of the sleeper, not a measured one (Sleeper.SYSTEM is Thread::sleep).
        assertEquals(List.of(Duration.ofMillis(300)), sleeper.delays());
        assertEquals(2, sim.requestCount("POST", CREATE_PATH));
        assertEquals(1, sim.createdTaskCount());
    }

    @Test
    void retriesGet_when503IsInjected() {
        CreatedTask created = client.createTask("text_to_image", imageRequest());
        sim.injectNext("GET", "/v1/tasks/", Fault.status(503));

        Task task = client.getTask(created.id());

        assertEquals(created.id(), task.id());
        assertEquals(2, sim.requestCount("GET", "/v1/tasks/"));
        assertEquals(1, sleeper.delays().size());
    }

    @Test
    void doesNotRetryCreate_when503IsInjected() {
        sim.injectNext("POST", CREATE_PATH, Fault.status(503));

        RunwayException.Ambiguous e = assertThrows(RunwayException.Ambiguous.class,
                () -> client.createTask("text_to_image", imageRequest()));

        assertEquals("text_to_image", e.endpoint());
        assertEquals(1, sim.requestCount("POST", CREATE_PATH));
        assertTrue(sleeper.delays().isEmpty());
    }

    @Test
    void doesNotRetryCreateAndLeavesExactlyOneTask_whenConnectionResetsAfterRequest() {
        sim.injectNext("POST", CREATE_PATH, Fault.resetAfterRequest());

        RunwayException.Ambiguous e = assertThrows(RunwayException.Ambiguous.class,
                () -> client.createTask("text_to_image", imageRequest()));

        assertTrue(e.status().isEmpty());
        assertEquals(1, sim.requestCount("POST", CREATE_PATH));
        assertEquals(1, sim.createdTaskCount(), "the task exists although the client never learned its id");
        assertTrue(sleeper.delays().isEmpty());
    }

    @Test
    void reportsAmbiguousWithoutRetry_whenConnectionResetsBeforeProcessing() {
        sim.injectNext("POST", CREATE_PATH, Fault.resetBeforeProcessing());

        assertThrows(RunwayException.Ambiguous.class, () -> client.createTask("text_to_image", imageRequest()));

        assertEquals(1, sim.requestCount("POST", CREATE_PATH));
        assertEquals(0, sim.createdTaskCount());
    }

    @Test
    void doesNotRetryCreate_whenResponseIsSlowerThanTimeout() throws Exception {
        sim.injectNext("POST", CREATE_PATH, Fault.delay(Duration.ofMillis(1500)));
        try (RunwayClient impatient = builder().requestTimeout(Duration.ofMillis(300)).build()) {

            assertThrows(RunwayException.Ambiguous.class,
                    () -> impatient.createTask("text_to_image", imageRequest()));
        }

        // The client gave up after 300 ms, possibly before the simulator had even logged the
        // request; the task exists only after it was logged, so wait for the task first.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (sim.createdTaskCount() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(1, sim.requestCount("POST", CREATE_PATH));
        assertEquals(1, sim.createdTaskCount(), "the slow create still went through on the server");
    }

    @Test
    void retriesGet_whenConnectionResetsAfterRequest() {
        CreatedTask created = client.createTask("text_to_image", imageRequest());
        sim.injectNext("GET", "/v1/tasks/", Fault.resetAfterRequest());

        assertEquals(created.id(), client.getTask(created.id()).id());
        // Either the JDK client replays the GET on the dropped keep-alive connection or our
        // retry does; in both cases the second request succeeds.
        assertEquals(2, sim.requestCount("GET", "/v1/tasks/"));
    }

    @Test
    void mapsValidationFailureToBadRequest_whenBodyBreaksCatalogRules() {
        ObjectNode invalid = imageRequest().put("ratio", "1:1");

        RunwayException.BadRequest e = assertThrows(RunwayException.BadRequest.class,
                () -> client.createTask("text_to_image", invalid));

        assertTrue(e.runwayError().isPresent());
        assertEquals(0, sim.createdTaskCount());
    }

    @Test
    void throwsAuthentication_whenKeyIsWrong() {
        try (RunwayClient wrongKey = builder().apiKey("key_" + "f".repeat(128)).build()) {
            assertThrows(RunwayException.Authentication.class, () -> wrongKey.organization());
        }
    }

    @Test
    void deletesTask_whenAskedAndThenReportsNotFound() {
        CreatedTask created = client.createTask("text_to_image", imageRequest());

        client.deleteTask(created.id());

        assertThrows(RunwayException.NotFound.class, () -> client.getTask(created.id()));
        assertThrows(RunwayException.NotFound.class, () -> client.deleteTask(created.id()));
    }

    @Test
    void readsOrganizationAndUsage_whenAsked() {
        client.createTask("text_to_image", imageRequest());

        Organization organization = client.organization();
        UsageReport usage = client.usage();

        assertTrue(organization.creditBalance().signum() >= 0);
        assertInstanceOf(List.class, usage.days());
    }

    @Test
    void uploadsFileAndReturnsRunwayUri_whenUsingEphemeralUpload() throws Exception {
        byte[] png = new byte[2048];
        png[0] = (byte) 0x89;
        png[1] = 'P';
        png[2] = 'N';
        png[3] = 'G';
        Path file = Files.write(dir.resolve("frame.png"), png);

        String uri = client.uploadEphemeral(file);

        assertTrue(uri.startsWith("runway://"), uri);
    }
}
