package com.runwayrelay.status;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.aws.gateway.Problem;
import com.runwayrelay.domain.owned.Reference;
import java.util.List;

/** What checking an avatar or voice body found: the body to forward, or the problem to answer. */
sealed interface OwnedRequest {
    /**
     * @param forward    the body for Runway, as the app sent it
     * @param name       the {@code name} it sets, or null when it leaves the name
     * @param references the ids it names that the app must own
     */
    record Ok(ObjectNode forward, String name, List<Reference> references) implements OwnedRequest {
        public Ok {
            references = List.copyOf(references);
        }
    }

    record Refused(Problem problem) implements OwnedRequest {
    }
}
