package com.runwayrelay.local;

import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Where the stack's table (with its stream) and bucket live: the embedded emulators
 * ({@link EmbeddedAws}, the default) or endpoints the user runs, such as LocalStack ({@link ExternalAws}).
 */
interface AwsBackend extends AutoCloseable {

    /** A DynamoDB client for the table, owned by the backend. */
    DynamoDbClient dynamoDb();

    /** A DynamoDB Streams client for the table's stream, owned by the backend. */
    DynamoDbStreamsClient dynamoDbStreams();

    /** The task table. */
    String tableName();

    /** The archive bucket. */
    String bucketName();

    /** DynamoDB's endpoint (it serves DynamoDB Streams too). */
    URI dynamoEndpoint();

    /** S3's endpoint (path-style). */
    URI s3Endpoint();

    /**
     * What functions and tools need to reach the backend: {@code AWS_REGION}, {@code AWS_ACCESS_KEY_ID},
     * {@code AWS_SECRET_ACCESS_KEY}, {@code AWS_ENDPOINT_URL_DYNAMODB}, {@code AWS_ENDPOINT_URL_DYNAMODB_STREAMS},
     * {@code AWS_ENDPOINT_URL_S3}, {@code RELAY_TABLE}, {@code RELAY_BUCKET}.
     */
    Map<String, String> environment();

    /** For the banner, e.g. {@code DynamoDB Local} or {@code DynamoDB (external)}. */
    String dynamoLabel();

    /** For the banner, e.g. {@code S3 (s3proxy, SigV4)}. */
    String s3Label();

    /** Closes clients and stops whatever the backend started; never throws. */
    @Override
    void close();
}
