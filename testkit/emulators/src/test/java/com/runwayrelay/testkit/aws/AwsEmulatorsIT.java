package com.runwayrelay.testkit.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The contract against the in-process emulators, plus what only they offer or enforce
 * (LocalStack, for one, serves anonymous requests).
 */
@WithAwsEmulators
class AwsEmulatorsIT extends AwsBackendContract {

    private final AwsEmulators emulators;

    AwsEmulatorsIT(AwsEmulators emulators) {
        this.emulators = emulators;
    }

    @Override
    AwsBackend backend() {
        return AwsBackend.of(emulators);
    }

    @Test
    void endpoints_areOnLoopback() {
        for (URI endpoint : List.of(emulators.dynamoEndpoint(), emulators.s3Endpoint())) {
            assertEquals("http", endpoint.getScheme());
            assertEquals("127.0.0.1", endpoint.getHost());
            assertTrue(endpoint.getPort() > 0, endpoint.toString());
        }
        assertNotEquals(emulators.dynamoEndpoint(), emulators.s3Endpoint());
        assertEquals(Region.US_EAST_1, emulators.region());
    }

    @Test
    void environment_letsHandlerCodeBuildWorkingClients() {
        Map<String, String> env = emulators.environment();
        assertEquals(List.of("AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_ENDPOINT_URL_DYNAMODB",
                "AWS_ENDPOINT_URL_DYNAMODB_STREAMS", "AWS_ENDPOINT_URL_S3", "RELAY_TABLE", "RELAY_BUCKET"), List.copyOf(env.keySet()));
        assertEquals(emulators.tableName(), env.get("RELAY_TABLE"));
        assertEquals(emulators.bucketName(), env.get("RELAY_BUCKET"));

        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY")));
        Region region = Region.of(env.get("AWS_REGION"));
        try (var http = UrlConnectionHttpClient.create();
                DynamoDbClient dynamoDb = DynamoDbClient.builder().httpClient(http).region(region).credentialsProvider(credentials)
                        .endpointOverride(URI.create(env.get("AWS_ENDPOINT_URL_DYNAMODB"))).build();
                S3Client s3 = S3Client.builder().httpClient(http).region(region).credentialsProvider(credentials).forcePathStyle(true)
                        .endpointOverride(URI.create(env.get("AWS_ENDPOINT_URL_S3"))).build()) {
            assertTrue(dynamoDb.listTables().tableNames().contains(env.get("RELAY_TABLE")));
            s3.putObject(r -> r.bucket(env.get("RELAY_BUCKET")).key("env-check"), RequestBody.fromString("ok"));
            assertEquals("ok", emulators.s3().getObjectAsBytes(r -> r.bucket(emulators.bucketName()).key("env-check")).asUtf8String());
        }
    }

    @Test
    void s3_rejectsOtherCredentials() {
        try (var http = UrlConnectionHttpClient.create();
                S3Client stranger = S3Client.builder().httpClient(http).region(emulators.region()).forcePathStyle(true)
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("someone", "else")))
                        .endpointOverride(emulators.s3Endpoint()).build()) {
            S3Exception e = assertThrows(S3Exception.class, () -> stranger.listObjectsV2(r -> r.bucket(emulators.bucketName())));
            assertEquals(403, e.statusCode());
        }
    }

    @Test
    void s3_rejectsUnsignedGet() throws Exception {
        emulators.s3().putObject(r -> r.bucket(emulators.bucketName()).key("private.bin"), RequestBody.fromString("secret"));
        URI plain = URI.create(emulators.s3Endpoint() + "/" + emulators.bucketName() + "/private.bin");

        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(plain).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(403, response.statusCode());
    }

    @Test
    void resetData_emptiesTableAndBucket_andKeepsTemplateShape() {
        emulators.dynamoDb().putItem(r -> r.tableName(emulators.tableName()).item(Map.of("pk", AttributeValue.fromS("reset-me"))));
        emulators.s3().putObject(r -> r.bucket(emulators.bucketName()).key("reset/me"), RequestBody.fromString("x"));
        emulators.s3().createMultipartUpload(r -> r.bucket(emulators.bucketName()).key("reset/unfinished"));
        String streamBefore = emulators.dynamoDb().describeTable(r -> r.tableName(emulators.tableName())).table().latestStreamArn();

        emulators.resetData();

        assertEquals(0, emulators.dynamoDb().scan(r -> r.tableName(emulators.tableName())).count());
        assertEquals(0, emulators.s3().listObjectsV2(r -> r.bucket(emulators.bucketName())).keyCount());
        assertTrue(emulators.s3().listMultipartUploads(r -> r.bucket(emulators.bucketName())).uploads().isEmpty());
        assertEquals(TimeToLiveStatus.ENABLED, emulators.dynamoDb().describeTimeToLive(r -> r.tableName(emulators.tableName()))
                .timeToLiveDescription().timeToLiveStatus());
        assertNotEquals(streamBefore, emulators.dynamoDb().describeTable(r -> r.tableName(emulators.tableName())).table().latestStreamArn());
    }

    @Test
    void parameterInjection_givesTheSameInstance_toConstructorAndMethod(AwsEmulators fromMethod) {
        assertSame(emulators, fromMethod);
    }

    @Nested
    class InNestedClass {

        @Test
        void parameterInjection_givesTheRunsSharedInstance(AwsEmulators nested) {
            assertSame(emulators, nested);
        }
    }
}
