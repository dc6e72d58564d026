package com.runwayrelay.testkit.aws;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How to run the emulators: where data lives, which loopback ports to use, and the names of the
 * table and bucket to create.
 *
 * <p>Start from {@link #inMemory()} (tests: nothing survives {@link AwsEmulators#close()}) or
 * {@link #persistentIn(Path)} (local stack: DynamoDB Local's database file and s3proxy's
 * filesystem blob store under one folder, kept across restarts), then adjust with the
 * {@code with...} methods. Port {@code 0} means "any free port", the default; a fixed port that
 * is busy makes {@link AwsEmulators#start(EmulatorOptions)} fail with an error naming it.
 *
 * @param dataDirectory folder that keeps data across restarts; empty keeps everything in memory
 * @param dynamoPort loopback port for DynamoDB Local, {@code 0} for a free one
 * @param s3Port loopback port for s3proxy, {@code 0} for a free one
 * @param tableName name of the task table created from the template's {@code TaskTable}
 * @param bucketName name of the archive bucket
 */
public record EmulatorOptions(
        Optional<Path> dataDirectory, int dynamoPort, int s3Port, String tableName, String bucketName) {

    /** Table name used unless {@link #withTableName(String)} says otherwise. */
    public static final String DEFAULT_TABLE_NAME = "relay-tasks";

    /** Bucket name used unless {@link #withBucketName(String)} says otherwise. */
    public static final String DEFAULT_BUCKET_NAME = "relay-archive";

    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{3,255}");
    // S3 rules without the dotted forms, which path-style URLs handle badly and we never need.
    private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{1,61}[a-z0-9]");

    /**
     * Validates every component.
     *
     * @throws IllegalArgumentException naming the component that is out of range or malformed
     */
    public EmulatorOptions {
        Objects.requireNonNull(dataDirectory, "dataDirectory (use Optional.empty() for in-memory)");
        Objects.requireNonNull(tableName, "tableName");
        Objects.requireNonNull(bucketName, "bucketName");
        requirePort("dynamoPort", dynamoPort);
        requirePort("s3Port", s3Port);
        if (dynamoPort != 0 && dynamoPort == s3Port) {
            throw new IllegalArgumentException("dynamoPort and s3Port are both " + dynamoPort + "; each emulator needs its own port");
        }
        if (!TABLE_NAME.matcher(tableName).matches()) {
            throw new IllegalArgumentException("tableName '" + tableName
                    + "' is not a valid DynamoDB table name (3-255 characters: letters, digits, '_', '-', '.')");
        }
        if (!BUCKET_NAME.matcher(bucketName).matches() || bucketName.contains("--")) {
            throw new IllegalArgumentException("bucketName '" + bucketName
                    + "' is not a valid bucket name here (3-63 characters: lowercase letters, digits, single '-', no leading or trailing '-')");
        }
    }

    /** Everything in memory, free ports, default names: what tests want. */
    public static EmulatorOptions inMemory() {
        return new EmulatorOptions(Optional.empty(), 0, 0, DEFAULT_TABLE_NAME, DEFAULT_BUCKET_NAME);
    }

    /**
     * Data kept under {@code directory} (created if missing): {@code dynamodb/} for DynamoDB Local,
     * {@code s3/} for s3proxy. Free ports and default names until changed.
     */
    public static EmulatorOptions persistentIn(Path directory) {
        Objects.requireNonNull(directory, "directory");
        return new EmulatorOptions(Optional.of(directory), 0, 0, DEFAULT_TABLE_NAME, DEFAULT_BUCKET_NAME);
    }

    /** The same options with DynamoDB Local on {@code port} ({@code 0}: any free port). */
    public EmulatorOptions withDynamoPort(int port) {
        return new EmulatorOptions(dataDirectory, port, s3Port, tableName, bucketName);
    }

    /** The same options with s3proxy on {@code port} ({@code 0}: any free port). */
    public EmulatorOptions withS3Port(int port) {
        return new EmulatorOptions(dataDirectory, dynamoPort, port, tableName, bucketName);
    }

    /** The same options with another table name. */
    public EmulatorOptions withTableName(String name) {
        return new EmulatorOptions(dataDirectory, dynamoPort, s3Port, name, bucketName);
    }

    /** The same options with another bucket name. */
    public EmulatorOptions withBucketName(String name) {
        return new EmulatorOptions(dataDirectory, dynamoPort, s3Port, tableName, name);
    }

    /** Whether data survives a restart. */
    public boolean persistent() {
        return dataDirectory.isPresent();
    }

    private static void requirePort(String name, int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(name + " must be 0 (any free port) or 1-65535, was " + port);
        }
    }
}
