/**
 * The metrics ports' adapters: CloudWatch embedded metric format (EMF) documents written as log
 * lines, through the {@code aws-embedded-metrics} library ({@link com.runwayrelay.aws.metrics.EmfMetrics}),
 * and the metrics read back from CloudWatch ({@link com.runwayrelay.aws.metrics.CloudWatchMetricsReader}).
 */
package com.runwayrelay.aws.metrics;
