/**
 * Docker-free AWS for tests and the local stack: DynamoDB Local and s3proxy in-process on
 * loopback ({@link com.runwayrelay.testkit.aws.AwsEmulators}), the JUnit 5 extension that shares
 * them ({@link com.runwayrelay.testkit.aws.WithAwsEmulators}), and a CloudFormation template
 * reader ({@link com.runwayrelay.testkit.aws.CloudFormationTemplate}) that keeps the emulated
 * table identical to the deployed one, and a stand-in for CloudWatch's metric reads
 * ({@link com.runwayrelay.testkit.aws.CloudWatchEmulator}).
 *
 * <p>This package is for tests and the local stack only; no Lambda function may depend on it.
 */
package com.runwayrelay.testkit.aws;
