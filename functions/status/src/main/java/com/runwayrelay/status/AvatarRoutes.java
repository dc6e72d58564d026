package com.runwayrelay.status;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.aws.gateway.ApiResponse;
import com.runwayrelay.aws.log.JsonLog;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.media.MediaUriPolicy;
import com.runwayrelay.domain.owned.OwnedResources;

/**
 * {@code /v1/avatars}: an app's custom avatars, forwarded to Runway and kept apart per app. The bodies are
 * checked by {@link AvatarRequests} (the reference image under the media-URI policy; a custom voice and
 * the knowledge documents it names must be the app's own); the rest is {@link OwnedResourceRoutes}.
 */
final class AvatarRoutes {
    private final OwnedResourceRoutes routes;

    AvatarRoutes(OwnedResources<ObjectNode, ObjectNode> avatars, MediaUriPolicy media, JsonLog log) {
        AvatarRequests requests = new AvatarRequests(media);
        this.routes = new OwnedResourceRoutes(avatars, requests::create, requests::update, "Avatar", log);
    }

    ApiResponse notFound() {
        return routes.notFound();
    }

    ApiResponse create(App app, String body) {
        return routes.create(app, body);
    }

    ApiResponse list(App app, String limit, String cursor) {
        return routes.list(app, limit, cursor);
    }

    ApiResponse get(App app, String id) {
        return routes.get(app, id);
    }

    ApiResponse update(App app, String id, String body) {
        return routes.update(app, id, body);
    }

    ApiResponse delete(App app, String id) {
        return routes.delete(app, id);
    }
}
