/**
 * The gateway's rules in front of Runway, shared by the submit and status functions: app
 * authentication ({@link com.runwayrelay.domain.gateway.AppAuthenticator}), idempotency keys
 * ({@link com.runwayrelay.domain.gateway.Idempotency} over an
 * {@link com.runwayrelay.domain.gateway.IdempotencyStore}), daily credit budgets and active-task
 * limits ({@link com.runwayrelay.domain.gateway.UsageLedger},
 * {@link com.runwayrelay.domain.gateway.AdmissionControl}), and the ports for upload slots and
 * archived objects. In-memory fakes of every port live in {@code gateway.memory}, test code shipped
 * in relay-domain's test-jar only.
 *
 * <p><b>Settling budgets.</b> Whoever learns that a task's Runway work is over calls
 * {@link com.runwayrelay.domain.gateway.UsageLedger#settle} with the actual cost: the poller when
 * Runway reports SUCCEEDED, FAILED or CANCELLED or a deadline expires; submit when Runway rejects
 * the create; the archiver when it archives or fails the outputs; status when the app deletes the
 * task. Each settles right after its terminal write; because a crash can fall between the two, the
 * notifier settles every task whose terminal write reaches the table's stream as well
 * ({@link com.runwayrelay.domain.gateway.EndedTaskSettlement}). Settling is idempotent per task, so
 * calling it twice is harmless, and every settler uses one amount,
 * {@link com.runwayrelay.domain.gateway.UsageLedger.Settlement#creditsOf}.
 */
package com.runwayrelay.domain.gateway;
