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
 * {@link com.runwayrelay.domain.owned.RunwayResources}); realtime sessions with their avatar
 * conversations have theirs ({@link com.runwayrelay.domain.owned.RealtimeSessions} and
 * {@link com.runwayrelay.domain.owned.AvatarConversations} over
 * {@link com.runwayrelay.domain.owned.RunwayRealtime}), whose unreported cost is reserved and settled
 * in the usage ledger. Ids that a request body names must be the calling app's too
 * ({@link com.runwayrelay.domain.owned.OwnedReferences}); a session's custom avatar is one of them.
 */
package com.runwayrelay.domain.owned;
