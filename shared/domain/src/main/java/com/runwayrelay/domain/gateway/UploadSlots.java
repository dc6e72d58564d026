package com.runwayrelay.domain.gateway;

import com.runwayrelay.domain.Violation;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runway's ephemeral upload slots: the gateway asks Runway for one on the app's behalf, and the
 * app uploads straight to Runway's storage with it. The Runway key never leaves the server.
 */
public interface UploadSlots {

    /** Asks Runway for a slot for a file of this name. */
    Outcome reserve(String filename);

    /** How a reservation ended. */
    sealed interface Outcome {
        /**
         * A slot: POST the file to {@code uploadUrl} as multipart form data with {@code fields},
         * then use {@code runwayUri} in media fields.
         */
        record Reserved(URI uploadUrl, Map<String, String> fields, String runwayUri) implements Outcome {
            public Reserved {
                Objects.requireNonNull(uploadUrl, "uploadUrl");
                Objects.requireNonNull(runwayUri, "runwayUri");
                fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
            }

            @Override
            public String toString() {
                // The fields are a presigned storage policy: names only.
                return "Reserved[uploadUrl=" + uploadUrl.getHost() + ", fields=" + fields.keySet() + "]";
            }
        }

        /** Runway refused the request (400). */
        record Rejected(String error, List<Violation> issues) implements Outcome {
            public Rejected {
                Objects.requireNonNull(error, "error");
                issues = List.copyOf(issues);
            }
        }

        /** Runway could not be asked now; the app may try again later. */
        record Unavailable(String reason, Duration retryAfter) implements Outcome {
        }
    }
}
