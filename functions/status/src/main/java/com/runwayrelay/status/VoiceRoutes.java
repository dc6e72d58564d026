package com.runwayrelay.status;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.aws.gateway.ApiResponse;
import com.runwayrelay.aws.gateway.Problem;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.media.MediaUriPolicy;
import com.runwayrelay.domain.owned.OwnedResources;
import com.runwayrelay.domain.owned.RunwayResources.Answer;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code /v1/voices}: an app's custom voices, forwarded to Runway and kept apart per app (bodies checked by
 * {@link VoiceRequests}, the rest {@link OwnedResourceRoutes}), and {@code POST /v1/voices/preview}, which
 * makes no resource: its body is checked and forwarded, and Runway's {@code {url, durationSecs}} passed back.
 */
final class VoiceRoutes extends OwnedResourceRoutes {
    private final VoiceRequests requests;
    private final Function<ObjectNode, Answer<ObjectNode>> preview;

    /**
     * @param preview sends a checked preview body to Runway
     */
    VoiceRoutes(OwnedResources<ObjectNode, ObjectNode> voices, Function<ObjectNode, Answer<ObjectNode>> preview,
                MediaUriPolicy media, PossibleOrphans orphans) {
        this(voices, preview, new VoiceRequests(media), orphans);
    }

    private VoiceRoutes(OwnedResources<ObjectNode, ObjectNode> voices, Function<ObjectNode, Answer<ObjectNode>> preview,
                        VoiceRequests requests, PossibleOrphans orphans) {
        super(voices, requests::create, requests::update, "Voice", orphans);
        this.requests = requests;
        this.preview = preview;
    }

    ApiResponse preview(App app, String body) {
        return switch (requests.preview(body)) {
            case OwnedRequest.Refused refused -> refused.problem().response();
            case OwnedRequest.Ok ok -> switch (preview.apply(ok.forward())) {
                case Answer.Found<ObjectNode> found -> ApiResponse.json(200, found.resource());
                case Answer.Rejected<ObjectNode> r -> new Problem(400, "runway-rejected", "Rejected by Runway", r.error(),
                        r.issues(), Map.of(), null).response();
                case Answer.Unavailable<ObjectNode> u -> Problem.of(503, "runway-unavailable", "Runway unavailable",
                                "Runway could not be reached (" + u.reason() + "); try again")
                        .withRetryAfter(u.retryAfter() == null ? Duration.ofSeconds(1) : u.retryAfter()).response();
                case Answer<ObjectNode> other -> throw new IllegalStateException("unexpected answer to a preview: " + other);
            };
        };
    }
}
