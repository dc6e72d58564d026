package com.runwayrelay.runway.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.runwayrelay.domain.runway.RunwayGateway.CancelOutcome;
import com.runwayrelay.domain.runway.RunwayGateway.CreateOutcome;
import com.runwayrelay.domain.runway.RunwayGateway.ReadOutcome;
import com.runwayrelay.runway.RunwayClient;
import com.runwayrelay.simulator.Fault;
import com.runwayrelay.simulator.RunwaySimulator;
import com.runwayrelay.simulator.SimulatorConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The domain's Runway port over the real client, against the simulator. */
class RunwayClientGatewayIT {
    private static final String BODY = "{\"model\":\"gen4_image\",\"promptText\":\"a red kite\",\"ratio\":\"1920:1080\"}";
    private RunwaySimulator sim;
    private RunwayClientGateway gateway;

    @BeforeEach
    void start() {
        sim = RunwaySimulator.start(SimulatorConfig.defaults());
        gateway = new RunwayClientGateway(RunwayClient.builder().apiKey(sim.apiKey()).baseUri(sim.baseUri())
                .maxRetries(0).build());
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void createReadCancel_roundTrip() {
        CreateOutcome.Created created = assertInstanceOf(CreateOutcome.Created.class, gateway.create("text_to_image", BODY));
        assertFalse(created.runwayTaskId().isBlank());

        ReadOutcome.Found found = assertInstanceOf(ReadOutcome.Found.class, gateway.get(created.runwayTaskId()));
        assertEquals(created.runwayTaskId(), found.task().id());

        assertInstanceOf(CancelOutcome.Done.class, gateway.cancel(created.runwayTaskId()));
        assertInstanceOf(ReadOutcome.Gone.class, gateway.get(created.runwayTaskId()));
        assertInstanceOf(CancelOutcome.Done.class, gateway.cancel(created.runwayTaskId()));
    }

    @Test
    void createIsRejected_whenRunwayAnswers400() {
        CreateOutcome.Rejected rejected = assertInstanceOf(CreateOutcome.Rejected.class,
                gateway.create("text_to_image", "{\"model\":\"gen4_image\"}"));
        assertFalse(rejected.issues().isEmpty());
        assertEquals(0, sim.createdTaskCount());
    }

    @Test
    void createIsUnavailable_on429_andAmbiguous_afterAResetOnceProcessed() {
        sim.injectNext("POST", "/v1/text_to_image", Fault.status(429, Map.of("retry-after-ms", "1500")));
        CreateOutcome.Unavailable unavailable = assertInstanceOf(CreateOutcome.Unavailable.class,
                gateway.create("text_to_image", BODY));
        assertEquals(Duration.ofMillis(1500), unavailable.retryAfter());

        sim.injectNext("POST", "/v1/text_to_image", Fault.resetAfterRequest());
        assertInstanceOf(CreateOutcome.Ambiguous.class, gateway.create("text_to_image", BODY));
        assertEquals(1, sim.createdTaskCount());
    }
}
