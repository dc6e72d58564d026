package com.runwayrelay.aws.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvTest {

    @Test
    void checkNamesEveryProblem_whenSeveralVariablesAreWrong() {
        Env env = new Env(Map.of("RELAY_LINK_TTL_SECONDS", "soon", "RELAY_FLAG", "maybe"));
        env.required("RELAY_TABLE");
        env.required("RELAY_BUCKET");
        env.seconds("RELAY_LINK_TTL_SECONDS", Duration.ofHours(1), 60, 3600);
        env.bool("RELAY_FLAG", false);

        ConfigurationException e = assertThrows(ConfigurationException.class, env::check);

        assertEquals(4, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("RELAY_TABLE is not set"));
        assertTrue(e.getMessage().contains("RELAY_BUCKET is not set"));
        assertTrue(e.getMessage().contains("RELAY_LINK_TTL_SECONDS must be a whole number (got 'soon')"));
        assertTrue(e.getMessage().contains("RELAY_FLAG must be true or false (got 'maybe')"));
    }

    @Test
    void valuesAreParsedAndDefaultsApplied_whenVariablesAreValidOrAbsent() {
        Env env = new Env(Map.of("A", " t1 ", "LIST", "a.com, ,*.b.com", "N", "42", "URL", "http://127.0.0.1:9/x"));

        assertEquals("t1", env.required("A"));
        assertEquals("dflt", env.optional("B", "dflt"));
        assertEquals(List.of("a.com", "*.b.com"), env.list("LIST"));
        assertEquals(42, env.integer("N", 1, 0, 100));
        assertEquals("127.0.0.1", env.httpUri("URL", "https://x.example").getHost());
        assertEquals(Duration.ofSeconds(3600), env.seconds("TTL", Duration.ofHours(1), 60, 7200));
        env.check();
    }

    @Test
    void rangeAndSchemeAreEnforced_whenValuesAreOutOfBounds() {
        Env env = new Env(Map.of("N", "101", "URL", "ftp://files.example/x"));
        env.integer("N", 1, 0, 100);
        env.httpUri("URL", "https://x.example");

        ConfigurationException e = assertThrows(ConfigurationException.class, env::check);

        assertTrue(e.getMessage().contains("N must be between 0 and 100 (got 101)"));
        assertTrue(e.getMessage().contains("URL must be an absolute http(s) URL"));
    }

    @Test
    void namesReadAreRecordedSeparatelyForLocalOnlyVariables() {
        Env env = new Env(Map.of("RUNWAYML_API_SECRET", "key_x"));
        env.optional("RELAY_TABLE", "t");
        env.localOnly("RUNWAYML_API_SECRET");

        assertEquals(java.util.Set.of("RELAY_TABLE"), env.namesRead());
        assertEquals(java.util.Set.of("RUNWAYML_API_SECRET"), env.localOnlyNamesRead());
    }

    @Test
    void runwaySettingsHideTheLocalKey_andRequireAKeySource() {
        RunwaySettings local = RunwaySettings.from(new Env(Map.of("RUNWAYML_API_SECRET", "key_secret")));
        assertFalse(local.toString().contains("key_secret"));

        Env none = new Env(Map.of());
        RunwaySettings.from(none);
        ConfigurationException e = assertThrows(ConfigurationException.class, none::check);
        assertTrue(e.getMessage().contains("RUNWAY_API_KEY_SECRET_ARN is not set"));
    }

    @Test
    void awsSettingsUseStaticKeysOnlyWithAnEndpointOverride() {
        AwsSettings deployed = AwsSettings.from(Map.of("AWS_REGION", "eu-west-1", "AWS_ACCESS_KEY_ID", "A",
                "AWS_SECRET_ACCESS_KEY", "S"));
        assertTrue(deployed.staticKeys().isEmpty());

        AwsSettings local = AwsSettings.from(Map.of("AWS_REGION", "us-east-1",
                "AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:8000", "AWS_ACCESS_KEY_ID", "A",
                "AWS_SECRET_ACCESS_KEY", "S3CR3T"));
        assertEquals("A", local.staticKeys().orElseThrow().accessKeyId());
        assertFalse(local.toString().contains("S3CR3T"));

        assertThrows(ConfigurationException.class, () -> AwsSettings.from(Map.of()));
    }

    @Test
    void awsSettingsNameTheOneCredentialSourceTheEnvironmentGives() {
        assertEquals(AwsSettings.CredentialSource.ENVIRONMENT, AwsSettings.from(Map.of("AWS_REGION", "eu-west-1",
                "AWS_ACCESS_KEY_ID", "A", "AWS_SECRET_ACCESS_KEY", "S", "AWS_SESSION_TOKEN", "T")).credentialSource());
        assertEquals(AwsSettings.CredentialSource.CONTAINER, AwsSettings.from(Map.of("AWS_REGION", "eu-west-1",
                "AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9001/2021-04-23/credentials",
                "AWS_CONTAINER_AUTHORIZATION_TOKEN", "t")).credentialSource(), "a SnapStart version: no key variables");
        assertEquals(AwsSettings.CredentialSource.DEFAULT_CHAIN, AwsSettings.from(Map.of("AWS_REGION", "eu-west-1",
                "AWS_ACCESS_KEY_ID", "A")).credentialSource(), "half a key pair is not the environment's");
        assertEquals(AwsSettings.CredentialSource.STATIC, AwsSettings.from(Map.of("AWS_REGION", "us-east-1",
                "AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9000", "AWS_ACCESS_KEY_ID", "A", "AWS_SECRET_ACCESS_KEY", "S",
                "AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9001/c")).credentialSource());
    }

    @Test
    void localOnlySeconds_takesAWholeNumberInRange_namesAnythingElse_andCountsAsLocalOnly() {
        Env env = new Env(Map.of("GRACE", " 60 ", "LOW", "59", "WORD", "soon"));

        assertEquals(Duration.ofSeconds(60), env.localOnlySeconds("GRACE", Duration.ofMinutes(2), 60, 120));
        assertEquals(Duration.ofMinutes(2), env.localOnlySeconds("UNSET", Duration.ofMinutes(2), 60, 120));
        assertEquals(Duration.ofMinutes(2), env.localOnlySeconds("LOW", Duration.ofMinutes(2), 60, 120));
        assertEquals(Duration.ofMinutes(2), env.localOnlySeconds("WORD", Duration.ofMinutes(2), 60, 120));
        assertTrue(env.localOnlyNamesRead().containsAll(List.of("GRACE", "UNSET", "LOW", "WORD")));
        assertFalse(env.namesRead().contains("GRACE"), "not a variable the template sets");

        ConfigurationException e = assertThrows(ConfigurationException.class, env::check);
        assertEquals(List.of("LOW must be whole seconds from 60 to 120, got '59'",
                "WORD must be whole seconds from 60 to 120, got 'soon'"), e.problems());
    }
}
