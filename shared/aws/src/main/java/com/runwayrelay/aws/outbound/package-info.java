/**
 * Outbound HTTP under the webhooks' rules, shared by the functions that call an app's URLs:
 * {@link com.runwayrelay.aws.outbound.PinnedHttpClient} talks to exactly the address a URL was vetted
 * at, and {@link com.runwayrelay.aws.outbound.GuardedDeliveryProbe} asks a {@code relay.deliverTo} URL
 * at submit time whether it redirects.
 */
package com.runwayrelay.aws.outbound;
