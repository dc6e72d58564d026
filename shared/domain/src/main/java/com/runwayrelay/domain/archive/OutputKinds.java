package com.runwayrelay.domain.archive;

import com.runwayrelay.domain.media.MediaKind;
import java.util.Optional;

/** What kind of media an endpoint produces; backed by the model catalog. */
@FunctionalInterface
public interface OutputKinds {

    /** The kind of {@code endpoint}'s outputs, or empty when the endpoint is unknown. */
    Optional<MediaKind> of(String endpoint, String model);
}
