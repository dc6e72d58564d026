package com.runwayrelay.testkit.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OfficialNodeSdkIT {
    private OfficialNodeSdk sdk;

    @BeforeEach
    void install() throws Exception {
        sdk = OfficialNodeSdk.install();
    }

    @Test
    void installsThePinnedSdk_nextToTheHarnessAndTheModulesScripts() throws Exception {
        Path work = Path.of("target", "node-sdk");

        assertTrue(Files.readString(work.resolve("node_modules/@runwayml/sdk/package.json"))
                .contains("\"version\": \"" + OfficialNodeSdk.VERSION + "\""));
        for (String file : OfficialNodeSdk.BUNDLED) {
            assertTrue(Files.exists(work.resolve(file)), file);
        }
        assertTrue(Files.exists(work.resolve("harness-check.mjs")));
    }

    @Test
    void returnsTheSummaryLine_withOnlyTheGivenRunwayVariables() throws Exception {
        String summary = sdk.run("harness-check.mjs", URI.create("http://127.0.0.1:9/base"), "key_123");

        assertEquals("{\"ok\":true,\"checks\":{\"given\":{\"baseURL\":\"http://127.0.0.1:9/base\",\"apiKey\":\"key_123\","
                + "\"png\":true,\"otherRunwayVariables\":[\"RUNWAYML_API_SECRET\",\"RUNWAYML_BASE_URL\"]}}}", summary);
    }

    @Test
    void failsNamingTheScriptAndItsOutput_whenTheScriptFails() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> sdk.run("harness-check.mjs", URI.create("http://127.0.0.1:9/fail"), "key_123"));

        assertTrue(e.getMessage().contains("harness-check.mjs failed"), e.getMessage());
        assertTrue(e.getMessage().contains("asked to fail"), e.getMessage());
    }
}
