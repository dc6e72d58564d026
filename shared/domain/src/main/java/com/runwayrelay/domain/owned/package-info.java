/**
 * Runway organization resources that the gateway forwards on an app's behalf and keeps apart per app
 * (issue #18). One Runway key covers the whole organization, so Runway itself would show every app
 * every other app's documents; the gateway records which app created each resource
 * ({@link com.runwayrelay.domain.owned.Ownership} in an
 * {@link com.runwayrelay.domain.owned.OwnershipStore}) and answers get, update, delete and list from
 * that record first. The first such resource is knowledge documents
 * ({@link com.runwayrelay.domain.owned.Documents} over
 * {@link com.runwayrelay.domain.owned.RunwayDocuments}).
 */
package com.runwayrelay.domain.owned;
