package com.runwayrelay.domain.owned;

import com.runwayrelay.domain.Violation;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Runway's knowledge documents, called with the organization's key: Runway shows every document of
 * the organization to whoever asks, so callers check {@link Ownership} first.
 */
public interface RunwayDocuments {

    /**
     * Creates a document. Not retried once the request may have reached Runway.
     *
     * @return {@link Answer.Found} with the new document, {@link Answer.Rejected},
     *         {@link Answer.Unavailable} (nothing was created) or {@link Answer.Ambiguous}
     */
    Answer create(String name, String content);

    /** @return {@link Answer.Found}, {@link Answer.NotFound} or {@link Answer.Unavailable} */
    Answer get(String id);

    /**
     * Changes the name, the content or both (a null argument is left as it is).
     *
     * @return {@link Answer.Done}, {@link Answer.NotFound}, {@link Answer.Rejected} or {@link Answer.Unavailable}
     */
    Answer update(String id, String name, String content);

    /** @return {@link Answer.Done}, {@link Answer.NotFound} or {@link Answer.Unavailable} */
    Answer delete(String id);

    /** What Runway answered. */
    sealed interface Answer {
        /** The document. */
        record Found(RunwayDocument document) implements Answer {
            public Found {
                Objects.requireNonNull(document, "document");
            }
        }

        /** Done; Runway returned no body. */
        record Done() implements Answer {
        }

        /** Runway has no such document. */
        record NotFound() implements Answer {
        }

        /**
         * Runway refused the request: {@code status} 400 (its validation), or 409 (a create or change that
         * conflicts with the state of what it names). Nothing was made or changed.
         */
        record Rejected(int status, String error, List<Violation> issues) implements Answer {
            public Rejected {
                Objects.requireNonNull(error, "error");
                issues = List.copyOf(issues);
            }

            /** Runway's 400. */
            public Rejected(String error, List<Violation> issues) {
                this(400, error, issues);
            }
        }

        /** Runway could not be asked now (nothing changed); {@code retryAfter} may be null. */
        record Unavailable(String reason, Duration retryAfter) implements Answer {
            public Unavailable {
                Objects.requireNonNull(reason, "reason");
            }
        }

        /** A create whose answer was lost: Runway may or may not have made the document. */
        record Ambiguous(String reason) implements Answer {
            public Ambiguous {
                Objects.requireNonNull(reason, "reason");
            }
        }
    }
}
