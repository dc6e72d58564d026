/**
 * Published Runway workflows as apps see them: only those their app is allowed to run are listed
 * or read ({@link com.runwayrelay.domain.workflow.AppWorkflows}); runs are gateway tasks (see
 * {@link com.runwayrelay.domain.runway.WorkflowRuns}).
 */
package com.runwayrelay.domain.workflow;
