/**
 * The metrics port's adapter: CloudWatch embedded metric format (EMF) documents written as log
 * lines, through the {@code aws-embedded-metrics} library.
 */
package com.runwayrelay.aws.metrics;
