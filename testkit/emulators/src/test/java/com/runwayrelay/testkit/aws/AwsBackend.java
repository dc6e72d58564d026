package com.runwayrelay.testkit.aws;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** What {@link AwsBackendContract} needs from a backend (the emulators, LocalStack) with the table and bucket created. */
record AwsBackend(
        DynamoDbClient dynamoDb,
        DynamoDbStreamsClient streams,
        S3Client s3,
        S3Presigner presigner,
        String tableName,
        String bucketName) {

    static AwsBackend of(AwsEmulators emulators) {
        return new AwsBackend(emulators.dynamoDb(), emulators.dynamoDbStreams(), emulators.s3(), emulators.s3Presigner(),
                emulators.tableName(), emulators.bucketName());
    }
}
