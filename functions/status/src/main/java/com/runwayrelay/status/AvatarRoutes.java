package com.runwayrelay.status;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.domain.media.MediaUriPolicy;
import com.runwayrelay.domain.owned.OwnedResources;

/**
 * {@code /v1/avatars}: an app's custom avatars, forwarded to Runway and kept apart per app. The bodies are
 * checked by {@link AvatarRequests} (the reference image under the media-URI policy; a custom voice and
 * the knowledge documents it names must be the app's own); the rest is {@link OwnedResourceRoutes}.
 */
final class AvatarRoutes extends OwnedResourceRoutes {
    AvatarRoutes(OwnedResources<ObjectNode, ObjectNode> avatars, MediaUriPolicy media, PossibleOrphans orphans) {
        this(avatars, new AvatarRequests(media), orphans);
    }

    private AvatarRoutes(OwnedResources<ObjectNode, ObjectNode> avatars, AvatarRequests requests,
                         PossibleOrphans orphans) {
        super(avatars, requests::create, requests::update, "Avatar", orphans);
    }
}
