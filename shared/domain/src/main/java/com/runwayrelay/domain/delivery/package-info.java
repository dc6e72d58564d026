/**
 * Delivery of archived outputs into the app's own storage ({@code relay.deliverTo}).
 *
 * <p>{@link com.runwayrelay.domain.delivery.OutputDeliveries} is the use case: it streams each
 * archived output ({@link com.runwayrelay.domain.delivery.StoredOutputs}) to the app's pre-signed
 * URL ({@link com.runwayrelay.domain.delivery.OutputUploader}) and records the outcomes on the task.
 * Reading S3 and the network are adapters; nothing here depends on HTTP or AWS.
 */
package com.runwayrelay.domain.delivery;
