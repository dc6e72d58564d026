package com.runwayrelay.submit;

import com.runwayrelay.domain.Violation;
import com.runwayrelay.domain.gateway.UploadSlots;
import java.util.List;

/**
 * What became of one upload-slot request ({@link CreateUpload}), free of HTTP: {@link SubmitApi}
 * maps each outcome to its status and body.
 */
sealed interface UploadOutcome {

    /** The request is not a valid upload request; Runway was not asked. */
    record Invalid(List<Violation> violations) implements UploadOutcome {
        public Invalid {
            violations = List.copyOf(violations);
        }
    }

    /** Runway's answer: a slot, a rejection or unavailability. */
    record Answered(UploadSlots.Outcome slot) implements UploadOutcome {
    }
}
