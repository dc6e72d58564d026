/**
 * The gateway's operational measurements: {@link com.runwayrelay.domain.metrics.RelayMetric} is the one
 * registry of every metric the functions emit (name, unit, dimensions), {@link com.runwayrelay.domain.metrics.Metrics}
 * the port they are recorded through, and the decorators here record the ones a port call reveals
 * (a task ending, credits reserved). The adapter that writes them (CloudWatch embedded metric format)
 * lives in {@code shared/aws}; the template's alarms and dashboard are checked against this registry.
 */
package com.runwayrelay.domain.metrics;
