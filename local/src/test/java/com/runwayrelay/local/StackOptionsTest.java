package com.runwayrelay.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StackOptionsTest {

    @Test
    void parse_usesTheDocumentedDefaults() {
        StackOptions options = StackOptions.parse(List.of(), Map.of());

        assertEquals(3000, options.apiPort());
        assertEquals(3001, options.simulatorPort());
        assertEquals(3002, options.dynamoPort());
        assertEquals(3003, options.s3Port());
        assertEquals(Optional.of(Path.of(".relay")), options.dataDir());
        assertFalse(options.reset());
        assertTrue(options.runwayKey().isEmpty());
        assertEquals(Duration.ofSeconds(2), options.pollInterval());
        assertFalse(options.verbose());
    }

    @Test
    void parse_readsEveryOption_inBothSpellings() {
        StackOptions options = StackOptions.parse(List.of("--port", "4000", "--simulator-port=4001", "--dynamodb-port", "4002",
                "--s3-port=4003", "--data-dir", "/tmp/x", "--reset", "--poll-interval", "500ms", "-v",
                "--runway-key", "key_real", "--runway-base-url", "https://api.example.com"), Map.of());

        assertEquals(4000, options.apiPort());
        assertEquals(4001, options.simulatorPort());
        assertEquals(4002, options.dynamoPort());
        assertEquals(4003, options.s3Port());
        assertEquals(Optional.of(Path.of("/tmp/x")), options.dataDir());
        assertTrue(options.reset());
        assertEquals(Duration.ofMillis(500), options.pollInterval());
        assertTrue(options.verbose());
        assertEquals(Optional.of("key_real"), options.runwayKey());
        assertEquals("--runway-key", options.runwayKeySource());
        assertEquals(Optional.of(URI.create("https://api.example.com")), options.runwayBaseUrl());
        assertFalse(options.toString().contains("key_real"), "the key never shows");
    }

    @Test
    void parse_takesTheEnvironment_forDataDirRunwayKeyAndSimulatorSettings() {
        StackOptions options = StackOptions.parse(List.of(), Map.of("RELAY_DATA_DIR", "/data", "RUNWAYML_API_SECRET", "key_env",
                "RUNWAY_SIM_PENDING_MS", "10", "OTHER", "x"));

        assertEquals(Optional.of(Path.of("/data")), options.dataDir());
        assertEquals(Optional.of("key_env"), options.runwayKey());
        assertTrue(options.runwayKeySource().contains("RUNWAYML_API_SECRET"));
        assertEquals(Map.of("RUNWAY_SIM_PENDING_MS", "10"), options.simulatorSettings());
        assertEquals(Map.of(), options.functionSettings());
    }

    @Test
    void parse_handsTheWebhookClaimLeaseAndInFlightGraceVariables_onToTheFunctions_andNoOtherRelayVariable() {
        StackOptions options = StackOptions.parse(List.of(), Map.of("RELAY_WEBHOOK_CLAIM_LEASE_SECONDS", "30",
                "RELAY_POLLER_IN_FLIGHT_GRACE_SECONDS", "60", "RELAY_POLLER_LEASE_SECONDS", "45", "OTHER", "x"));

        assertEquals(Map.of("RELAY_WEBHOOK_CLAIM_LEASE_SECONDS", "30", "RELAY_POLLER_IN_FLIGHT_GRACE_SECONDS", "60"),
                options.functionSettings());
        assertEquals(Map.of("RELAY_ALLOW_LOOPBACK_HTTP", "true", "RELAY_WEBHOOK_CLAIM_LEASE_SECONDS", "30",
                        "RELAY_POLLER_IN_FLIGHT_GRACE_SECONDS", "60"),
                LocalStack.withFunctionSettings(LocalStack.localOnlyVariables(), options.functionSettings()));
        assertEquals(Map.of(), StackOptions.ephemeral().functionSettings());
    }

    @Test
    void parse_inMemory_keepsNoDataFolder() {
        assertTrue(StackOptions.parse(List.of("--in-memory"), Map.of()).dataDir().isEmpty());
    }

    @Test
    void parse_rejectsBadUsage_namingTheOption() {
        assertMessage("unknown option '--nope'", "--nope");
        assertMessage("--port takes a port number", "--port", "http");
        assertMessage("--port takes a port number", "--port", "70000");
        assertMessage("--port needs a value", "--port");
        assertMessage("--s3-port 3000 is already used", "--s3-port", "3000");
        assertMessage("--poll-interval takes a duration", "--poll-interval", "soon");
        assertMessage("--poll-interval must be longer than zero", "--poll-interval", "0s");
        assertMessage("--reset and --in-memory", "--reset", "--in-memory");
        assertMessage("--runway-base-url needs a real Runway key", "--runway-base-url", "https://api.example.com");
        assertMessage("--runway-base-url takes an absolute http(s) URL", "--runway-key", "k", "--runway-base-url", "ftp://x");
        assertMessage("--reset takes no value", "--reset=yes");
    }

    @Test
    void parse_allowsSharedZeroPorts_andIgnoresTheSimulatorPortWithARealKey() {
        assertEquals(0, StackOptions.parse(List.of("--port", "0", "--s3-port", "0"), Map.of()).apiPort());
        assertEquals(3000, StackOptions.parse(List.of("--simulator-port", "3000", "--runway-key", "k"), Map.of()).apiPort());
    }

    @Test
    void parse_awsEndpoint_pointsDynamoAndS3ThereWithLocalStackCredentials() {
        StackOptions one = StackOptions.parse(List.of("--aws-endpoint", "http://localhost:4566", "--dynamodb-port", "3000"),
                Map.of("AWS_ACCESS_KEY_ID", "AKIAREAL", "AWS_SECRET_ACCESS_KEY", "real-secret", "AWS_REGION", "eu-west-1"));
        var settings = one.externalAws().orElseThrow();
        assertEquals(URI.create("http://localhost:4566"), settings.dynamoEndpoint());
        assertEquals(URI.create("http://localhost:4566"), settings.s3Endpoint());
        assertEquals("eu-west-1", settings.region());
        assertEquals("test", settings.accessKeyId(), "the environment's real AWS keys are never used or shown");
        assertEquals("test", settings.secretAccessKey());

        StackOptions two = StackOptions.parse(List.of("--dynamodb-endpoint", "http://127.0.0.1:8000", "--s3-endpoint", "http://127.0.0.1:9000"), Map.of());
        assertEquals(URI.create("http://127.0.0.1:9000"), two.externalAws().orElseThrow().s3Endpoint());
        assertTrue(StackOptions.parse(List.of(), Map.of()).externalAws().isEmpty());

        assertMessage("go together", "--dynamodb-endpoint", "http://127.0.0.1:8000");
        assertMessage("either it or", "--aws-endpoint", "http://localhost:4566", "--s3-endpoint", "http://127.0.0.1:9000");
    }

    @Test
    void parse_externalAwsCredentials_comeOnlyFromTheRelayVariables() {
        var settings = StackOptions.parse(List.of("--dynamodb-endpoint", "http://127.0.0.1:8000", "--s3-endpoint", "http://127.0.0.1:9000"),
                Map.of("RELAY_AWS_ACCESS_KEY_ID", "emulatorkey", "RELAY_AWS_SECRET_ACCESS_KEY", "emulator-secret",
                        "AWS_ACCESS_KEY_ID", "AKIAREAL")).externalAws().orElseThrow();
        assertEquals("emulatorkey", settings.accessKeyId());
        assertEquals("emulator-secret", settings.secretAccessKey());
        var error = assertThrows(UsageException.class, () -> StackOptions.parse(List.of("--aws-endpoint", "http://localhost:4566"),
                Map.of("RELAY_AWS_ACCESS_KEY_ID", "emulatorkey")));
        assertTrue(error.getMessage().contains("go together"), error.getMessage());
    }

    @Test
    void parse_simulatorUrl_usesThatSimulatorWithItsKey_fromTheOptionOrTheEnvironment() {
        String key = "key_" + "0a".repeat(64);
        StackOptions fromOption = StackOptions.parse(List.of("--simulator-url", "http://127.0.0.1:4100", "--simulator-key", key,
                "--simulator-port", "3000"), Map.of());
        assertEquals(new StackOptions.ExternalSimulator(URI.create("http://127.0.0.1:4100"), key), fromOption.externalSimulator().orElseThrow());
        assertFalse(fromOption.toString().contains(key));
        StackOptions fromEnv = StackOptions.parse(List.of("--simulator-url=http://127.0.0.1:4100"), Map.of("RUNWAY_SIM_API_KEY", key));
        assertEquals(key, fromEnv.externalSimulator().orElseThrow().apiKey());
        assertTrue(StackOptions.parse(List.of(), Map.of()).externalSimulator().isEmpty());

        assertMessage("needs the simulator's key", "--simulator-url", "http://127.0.0.1:4100");
        assertMessage("128 lowercase hex", "--simulator-url", "http://127.0.0.1:4100", "--simulator-key", "key_short");
        assertMessage("goes with --simulator-url", "--simulator-key", key);
        assertMessage("exclude each other", "--simulator-url", "http://127.0.0.1:4100", "--simulator-key", key, "--runway-key", "k");
    }

    @Test
    void duration_acceptsMillisSecondsMinutesAndPlainSeconds() {
        assertEquals(Duration.ofMillis(250), StackOptions.duration("--x", "250ms"));
        assertEquals(Duration.ofSeconds(3), StackOptions.duration("--x", "3s"));
        assertEquals(Duration.ofSeconds(4), StackOptions.duration("--x", "4"));
        assertEquals(Duration.ofMinutes(5), StackOptions.duration("--x", "5m"));
    }

    private static void assertMessage(String expected, String... args) {
        var error = assertThrows(UsageException.class, () -> StackOptions.parse(List.of(args), Map.of()));
        assertTrue(error.getMessage().contains(expected), error.getMessage());
    }
}
