/**
 * Runway organization resources that the gateway forwards on an app's behalf and keeps apart per app
 * (issue #18). One Runway key covers the whole organization, so Runway itself would show every app
 * every other app's documents; the gateway records which app created each resource
 * ({@link com.runwayrelay.domain.owned.Ownership} in an
 * {@link com.runwayrelay.domain.owned.OwnershipStore}) and answers get, update, delete and list from
 * that record first. Knowledge documents have their own use case
 * ({@link com.runwayrelay.domain.owned.Documents} over
 * {@link com.runwayrelay.domain.owned.RunwayDocuments}); avatars and voices share one over opaque bodies
 * ({@link com.runwayrelay.domain.owned.OwnedResources} over
 * {@link com.runwayrelay.domain.owned.RunwayResources}). Ids that a request body names must be the
 * calling app's too ({@link com.runwayrelay.domain.owned.OwnedReferences}).
 */
package com.runwayrelay.domain.owned;
