package com.runwayrelay.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.runwayrelay.local.fixture.EchoFunction;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class LocalFunctionTest {
    private static final StackLog LOG = new StackLog(new PrintStream(new ByteArrayOutputStream()), StackLog.Level.QUIET);

    static FunctionSpec spec(String handler) {
        return new FunctionSpec("EchoFunction", handler, Duration.ofSeconds(2), 256, OptionalInt.empty(), Map.of(),
                List.of(new FunctionSpec.HttpRoute("ANY", "/{proxy+}")), List.of(), List.of());
    }

    private static LocalFunction<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> load(String handler, Map<String, String> env, int max) {
        return LocalFunction.load(spec(handler), env, APIGatewayV2HTTPEvent.class, APIGatewayV2HTTPResponse.class, max, Clock.systemUTC(), LOG);
    }

    private static APIGatewayV2HTTPEvent get(String path) {
        return APIGatewayV2HTTPEvent.builder().withRawPath(path).withRouteKey("ANY /{proxy+}")
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withRequestId("r").build()).build();
    }

    @Test
    void invoke_runsTheRealHandlerWiredByItsCompositionRootWithTheGivenEnvironment() throws Exception {
        var function = load("com.runwayrelay.local.fixture.EchoHandler", Map.of("GREETING", "hello"), 1);

        APIGatewayV2HTTPResponse response = function.invoke(get("/x"));

        assertEquals(201, response.getStatusCode());
        assertTrue(response.getBody().contains("\"greeting\":\"hello\""), response.getBody());
    }

    @Test
    void invoke_passesWhatTheHandlerThrows() throws Exception {
        var function = load("com.runwayrelay.local.fixture.EchoHandler", Map.of(), 1);

        assertEquals("boom", assertThrows(IllegalStateException.class, () -> function.invoke(get("/boom"))).getMessage());
        assertEquals(201, function.invoke(get("/after")).getStatusCode(), "the instance stays usable");
    }

    @Test
    void invoke_servesConcurrentCallsWithFurtherInstances_upToTheMaximum() throws Exception {
        var function = load("com.runwayrelay.local.fixture.EchoHandler", Map.of(), 2);
        int before = EchoFunction.INSTANCES.get();
        EchoFunction.gate = new CountDownLatch(1);
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<APIGatewayV2HTTPResponse>> calls = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                calls.add(callers.submit(() -> function.invoke(get("/wait"))));
            }
            // The third caller waits once both instances are busy; it cannot build a third while it
            // waits, so no sleep has to leave room for a wrongly built one. The deadline is a hang guard.
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!(function.waitingCallers() == 1 && EchoFunction.INSTANCES.get() == before + 1)
                    && System.nanoTime() - deadline < 0) {
                Thread.sleep(10);
            }
            assertEquals(1, function.waitingCallers(), "the third caller waits for an instance");
            assertEquals(before + 1, EchoFunction.INSTANCES.get(), "one more instance than the one built at load, then callers wait");
            EchoFunction.gate.countDown();
            for (Future<APIGatewayV2HTTPResponse> call : calls) {
                assertEquals(200, call.get().getStatusCode());
            }
        }
        assertEquals(before + 1, EchoFunction.INSTANCES.get());
    }

    @Test
    void load_namesTheFunction_whenInitialisationFails() {
        var error = assertThrows(FunctionLoadException.class, () -> load("com.runwayrelay.local.fixture.EchoHandler", Map.of("FAIL_INIT", "1"), 1));
        assertEquals("EchoFunction failed to initialise: FAIL_INIT is set", error.getMessage());
    }

    @Test
    void load_explainsHandlersThatDoNotFit() {
        assertMessage("com.nope.NopeHandler is not on the classpath", "com.nope.NopeHandler");
        assertMessage("handles java.lang.String -> java.lang.String", "com.runwayrelay.local.fixture.WrongTypesHandler");
        assertMessage("OrphanFunction.fromEnvironment(Map) is missing", "com.runwayrelay.local.fixture.OrphanHandler");
        assertMessage("does not implement RequestHandler", "java.lang.String");
    }

    private static void assertMessage(String expected, String handler) {
        var error = assertThrows(FunctionLoadException.class, () -> load(handler, Map.of(), 1));
        assertTrue(error.getMessage().startsWith("EchoFunction: ") && error.getMessage().contains(expected), error.getMessage());
    }
}
