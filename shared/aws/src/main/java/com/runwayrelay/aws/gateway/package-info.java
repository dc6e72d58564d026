/**
 * The gateway's adapters and HTTP edge, shared by the submit and status functions: DynamoDB
 * stores for idempotency keys and usage, S3 access to archived objects, Runway upload slots, and
 * the response shapes ({@link com.runwayrelay.aws.gateway.ApiResponse},
 * {@link com.runwayrelay.aws.gateway.Problem}) both functions answer with.
 */
package com.runwayrelay.aws.gateway;
