package com.runwayrelay.local;

import com.runwayrelay.testkit.aws.AwsEmulators;
import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/** The default backend: DynamoDB Local and s3proxy in this JVM ({@link AwsEmulators}). */
final class EmbeddedAws implements AwsBackend {
    private final AwsEmulators emulators;

    EmbeddedAws(AwsEmulators emulators) {
        this.emulators = emulators;
    }

    @Override
    public DynamoDbClient dynamoDb() {
        return emulators.dynamoDb();
    }

    @Override
    public DynamoDbStreamsClient dynamoDbStreams() {
        return emulators.dynamoDbStreams();
    }

    @Override
    public String tableName() {
        return emulators.tableName();
    }

    @Override
    public String bucketName() {
        return emulators.bucketName();
    }

    @Override
    public URI dynamoEndpoint() {
        return emulators.dynamoEndpoint();
    }

    @Override
    public URI s3Endpoint() {
        return emulators.s3Endpoint();
    }

    @Override
    public Map<String, String> environment() {
        return emulators.environment();
    }

    @Override
    public String dynamoLabel() {
        return "DynamoDB Local";
    }

    @Override
    public String s3Label() {
        return "S3 (s3proxy, SigV4)";
    }

    @Override
    public void close() {
        emulators.close();
    }
}
