/**
 * Runway organization resources that the gateway forwards on an app's behalf and keeps apart per app
 * (issue #18). One Runway key covers the whole organization, so Runway itself would show every app
 * every other app's documents; the gateway records which app created each resource
 * ({@link com.runwayrelay.domain.owned.Ownership} in an
 * {@link com.runwayrelay.domain.owned.OwnershipStore}) and answers get, update, delete and list from
 * that record first. The resources so far are knowledge documents
 * ({@link com.runwayrelay.domain.owned.Documents} over
 * {@link com.runwayrelay.domain.owned.RunwayDocuments}) and realtime sessions with their avatar
 * conversations ({@link com.runwayrelay.domain.owned.RealtimeSessions} and
 * {@link com.runwayrelay.domain.owned.AvatarConversations} over
 * {@link com.runwayrelay.domain.owned.RunwayRealtime}), whose unreported cost is reserved and settled
 * in the usage ledger. Ids an app names inside a body are checked with
 * {@link com.runwayrelay.domain.owned.OwnedReferences}.
 */
package com.runwayrelay.domain.owned;
