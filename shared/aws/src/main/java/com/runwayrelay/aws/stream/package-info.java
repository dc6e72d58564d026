/**
 * The DynamoDB stream edge shared by the stream-fed functions (archiver, notifier):
 * {@link com.runwayrelay.aws.stream.TaskStreamBatch} turns a batch of stream records into one
 * piece of work per task and answers with partial batch failures.
 */
package com.runwayrelay.aws.stream;
