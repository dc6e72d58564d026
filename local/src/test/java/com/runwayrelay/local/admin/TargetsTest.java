package com.runwayrelay.local.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

class TargetsTest {
    private static final StaticCredentialsProvider CREDENTIALS = StaticCredentialsProvider.create(FakeAwsServer.CREDENTIALS);

    private final List<String> lookups = new ArrayList<>();

    /** A CloudFormation stand-in: one stack, {@code relay-prod} in {@code eu-west-1}, with the template's outputs. */
    private StackOutputs stacks(String region) {
        return name -> {
            lookups.add(name + "@" + region);
            if (!name.equals("relay-prod") || !region.equals("eu-west-1")) {
                throw new StackLookupException("CloudFormation knows no stack '" + name + "' in " + region);
            }
            return Map.of("TableName", "relay-prod-TaskTable", "ApiUrl", "https://abc123.execute-api.eu-west-1.amazonaws.com");
        };
    }

    private AdminTarget remote(Optional<String> defaultRegion, String... words) {
        return Targets.remote(Targets.extract(List.of(words)), CREDENTIALS, () -> defaultRegion, this::stacks);
    }

    @Test
    void extractTakesTheTargetOptionsOut_andKeepsTheRestInOrder() {
        Targets.Options options = Targets.extract(List.of("list", "--stack", "relay-prod", "--json", "--region=eu-west-1", "--app", "a"));

        assertEquals(Optional.of("relay-prod"), options.stack());
        assertEquals(Optional.of("eu-west-1"), options.region());
        assertTrue(options.url().isEmpty());
        assertTrue(options.remote());
        assertEquals(List.of("list", "--json", "--app", "a"), options.rest());
        assertFalse(Targets.extract(List.of("list", "--json")).remote());
    }

    @Test
    void extractRefusesBadTargetOptions() {
        assertTrue(assertThrows(AdminUsageException.class, () -> Targets.extract(List.of("list", "--url", "https://a.example", "--stack", "s")))
                .getMessage().contains("either --url or --stack"));
        assertTrue(assertThrows(AdminUsageException.class, () -> Targets.extract(List.of("list", "--stack")))
                .getMessage().contains("--stack needs a value"));
        assertTrue(assertThrows(AdminUsageException.class, () -> Targets.extract(List.of("list", "--stack", "--json")))
                .getMessage().contains("--stack needs a value"));
        assertTrue(assertThrows(AdminUsageException.class, () -> Targets.extract(List.of("list", "--region", "eu-west-1")))
                .getMessage().contains("--region goes with --url or --stack"));
        assertTrue(assertThrows(AdminUsageException.class, () -> Targets.extract(List.of("list", "--url", "ftp://x")))
                .getMessage().contains("--url must be the API's base URL"));
        assertTrue(assertThrows(AdminUsageException.class, () -> Targets.extract(List.of("--stack", "a", "--stack=b")))
                .getMessage().contains("given twice"));
    }

    @Test
    void stackReadsTheApiUrlOutput_inTheRegionGiven() {
        AdminTarget target = remote(Optional.of("us-east-1"), "list", "--stack", "relay-prod", "--region", "eu-west-1");

        assertEquals(URI.create("https://abc123.execute-api.eu-west-1.amazonaws.com"), target.apiUrl());
        assertEquals("eu-west-1", target.region());
        assertEquals(List.of("relay-prod@eu-west-1"), lookups);
        assertTrue(target.description().contains("relay-prod"), target.description());
    }

    @Test
    void stackUsesTheDefaultRegion_whenNoneIsGiven_andFailsWithoutOne() {
        assertEquals("eu-west-1", remote(Optional.of("eu-west-1"), "--stack", "relay-prod").region());

        assertTrue(assertThrows(AdminUsageException.class, () -> remote(Optional.empty(), "--stack", "relay-prod"))
                .getMessage().contains("give --region"));
    }

    @Test
    void stackLookupFailures_sayWhy() {
        assertTrue(assertThrows(StackLookupException.class, () -> remote(Optional.of("us-east-1"), "--stack", "relay-prod"))
                .getMessage().contains("no stack 'relay-prod' in us-east-1"));

        StackLookupException noOutput = assertThrows(StackLookupException.class, () -> Targets.remote(
                Targets.extract(List.of("--stack", "other", "--region", "eu-west-1")), CREDENTIALS, Optional::empty,
                region -> name -> Map.of("TableName", "t")));
        assertTrue(noOutput.getMessage().contains("has no ApiUrl output (outputs: TableName)"), noOutput.getMessage());
    }

    @Test
    void urlTakesItsRegionFromAnExecuteApiHost_orFromRegion_orTheDefault() {
        assertEquals("ap-southeast-2", remote(Optional.of("us-east-1"), "--url", "https://x1y2.execute-api.ap-southeast-2.amazonaws.com/").region());
        assertEquals("eu-central-1", remote(Optional.of("us-east-1"), "--url", "https://api.example.com", "--region", "eu-central-1").region());
        assertEquals("us-east-1", remote(Optional.of("us-east-1"), "--url", "https://api.example.com").region());
        assertThrows(AdminUsageException.class, () -> remote(Optional.empty(), "--url", "https://api.example.com"));
        assertTrue(lookups.isEmpty(), "--url reads no stack");
    }

    @Test
    void localSignsWithTheStacksStaticKeysAndRegion() {
        AdminTarget target = Targets.local(URI.create("http://127.0.0.1:3000"),
                Map.of("AWS_ACCESS_KEY_ID", "local-id", "AWS_SECRET_ACCESS_KEY", "local-secret", "AWS_REGION", "us-east-1"), "/data");

        AwsCredentials credentials = target.credentials().resolveCredentials();
        assertEquals("local-id", credentials.accessKeyId());
        assertEquals("local-secret", credentials.secretAccessKey());
        assertEquals("us-east-1", target.region());
        assertTrue(target.credentialsHint().contains("/data/stack.json"), target.credentialsHint());
        assertThrows(AdminUsageException.class, () -> Targets.local(URI.create("http://127.0.0.1:3000"), Map.of(), "/data"));
    }
}
