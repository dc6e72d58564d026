package com.runwayrelay.archiver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.aws.config.ConfigurationException;
import com.runwayrelay.aws.config.Env;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArchiverConfigTest {
    private static final String ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:runway-AbCdEf";
    private static final long MIB = 1024 * 1024;

    private static Map<String, String> minimal() {
        Map<String, String> env = new HashMap<>();
        env.put("RELAY_TABLE", "relay-tasks");
        env.put("RELAY_BUCKET", "relay-archive");
        env.put("RELAY_OUTPUT_HOST_ALLOWLIST", "*.runwayml.com, *.cloudfront.net");
        env.put("RUNWAY_API_KEY_SECRET_ARN", ARN);
        return env;
    }

    @Test
    void usesTheDocumentedDefaults_whenOnlyTheRequiredVariablesAreSet() {
        ArchiverConfig config = ArchiverConfig.from(new Env(minimal()));

        assertEquals("relay-tasks", config.table());
        assertEquals("relay-archive", config.bucket());
        assertEquals(8, config.dueShards());
        assertEquals(List.of("*.runwayml.com", "*.cloudfront.net"), config.outputHostAllowlist());
        assertFalse(config.allowLoopbackHttp());
        assertEquals("outputs", config.keyPrefix());
        assertEquals(5120 * MIB, config.maxBytes());
        assertEquals(8 * MIB, config.partSize());
        assertEquals(2, config.uploadConcurrency());
        assertEquals(3, config.maxAttempts());
        assertEquals(Duration.ofSeconds(30), config.readTimeout());
        assertEquals(Duration.ofSeconds(30), config.writeTimeout());
        assertEquals(Duration.ofSeconds(10), config.connectTimeout());
    }

    @Test
    void readsEveryTunable() {
        Map<String, String> env = minimal();
        env.put("RELAY_DUE_SHARDS", "16");
        env.put("RELAY_ARCHIVE_PREFIX", "relay/outputs");
        env.put("RELAY_ARCHIVE_MAX_MIB", "100");
        env.put("RELAY_ARCHIVE_PART_MIB", "16");
        env.put("RELAY_ARCHIVE_UPLOAD_CONCURRENCY", "4");
        env.put("RELAY_ARCHIVE_MAX_ATTEMPTS", "5");
        env.put("RELAY_ARCHIVE_READ_TIMEOUT_SECONDS", "60");
        env.put("RELAY_ARCHIVE_WRITE_TIMEOUT_SECONDS", "45");
        env.put("RELAY_ALLOW_LOOPBACK_HTTP", "true");

        ArchiverConfig config = ArchiverConfig.from(new Env(env));

        assertEquals(16, config.dueShards());
        assertEquals("relay/outputs", config.keyPrefix());
        assertEquals(100 * MIB, config.maxBytes());
        assertEquals(16 * MIB, config.partSize());
        assertEquals(4, config.uploadConcurrency());
        assertEquals(5, config.maxAttempts());
        assertEquals(Duration.ofSeconds(60), config.readTimeout());
        assertEquals(Duration.ofSeconds(45), config.writeTimeout());
        assertTrue(config.allowLoopbackHttp());
    }

    @Test
    void readsLoopbackSwitchAsLocalOnly_soTheTemplateNeverSetsIt() {
        Env env = new Env(minimal());

        ArchiverConfig.from(env);

        assertTrue(env.localOnlyNamesRead().contains("RELAY_ALLOW_LOOPBACK_HTTP"));
        assertFalse(env.namesRead().contains("RELAY_ALLOW_LOOPBACK_HTTP"));
    }

    @Test
    void namesEveryProblemAtOnce_whenValuesAreWrong() {
        Map<String, String> env = new HashMap<>();
        env.put("RELAY_OUTPUT_HOST_ALLOWLIST", "10.0.0.1");
        env.put("RELAY_ARCHIVE_PREFIX", "/outputs/");
        env.put("RELAY_ARCHIVE_PART_MIB", "4");
        env.put("RELAY_ARCHIVE_MAX_MIB", "6000");
        env.put("RELAY_ARCHIVE_MAX_ATTEMPTS", "9");
        env.put("RELAY_ARCHIVE_WRITE_TIMEOUT_SECONDS", "0");
        env.put("RELAY_ALLOW_LOOPBACK_HTTP", "yes");

        ConfigurationException e = assertThrows(ConfigurationException.class, () -> ArchiverConfig.from(new Env(env)));

        String message = e.getMessage();
        for (String expected : List.of("RELAY_TABLE is not set", "RELAY_BUCKET is not set",
                "RELAY_OUTPUT_HOST_ALLOWLIST: output host allowlist entry '10.0.0.1' is invalid",
                "RELAY_ARCHIVE_PREFIX", "RELAY_ARCHIVE_PART_MIB must be between 5 and 512",
                "RELAY_ARCHIVE_MAX_MIB must be between 1 and 5120", "RELAY_ARCHIVE_MAX_ATTEMPTS must be between 1 and 5",
                "RELAY_ARCHIVE_WRITE_TIMEOUT_SECONDS must be between 1 and 300",
                "RELAY_ALLOW_LOOPBACK_HTTP must be true or false", "RUNWAY_API_KEY_SECRET_ARN is not set")) {
            assertTrue(message.contains(expected), "missing '" + expected + "' in: " + message);
        }
    }

    @Test
    void refuses_whenAllowlistIsEmpty() {
        Map<String, String> env = minimal();
        env.remove("RELAY_OUTPUT_HOST_ALLOWLIST");

        ConfigurationException e = assertThrows(ConfigurationException.class, () -> ArchiverConfig.from(new Env(env)));

        assertTrue(e.getMessage().contains("RELAY_OUTPUT_HOST_ALLOWLIST is empty"), e.getMessage());
    }
}
