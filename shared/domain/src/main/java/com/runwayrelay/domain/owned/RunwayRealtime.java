package com.runwayrelay.domain.owned;

import com.runwayrelay.domain.Violation;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Runway's realtime sessions and avatar conversations, called with the organization's key: Runway
 * shows every session and conversation of the organization to whoever asks, so callers check
 * {@link Ownership} first.
 */
public interface RunwayRealtime {

    /**
     * Creates a session from the app's checked body (JSON, forwarded as it is). Not retried once the
     * request may have reached Runway.
     *
     * @return {@link Answer.Created}, {@link Answer.Rejected}, {@link Answer.Unavailable} (nothing was
     *         created) or {@link Answer.Ambiguous}
     */
    Answer createSession(String body);

    /** @return {@link Answer.SessionFound}, {@link Answer.NotFound} or {@link Answer.Unavailable} */
    Answer getSession(String id);

    /**
     * Cancels a session.
     *
     * @return {@link Answer.Done}, {@link Answer.NotFound}, {@link Answer.Rejected} or {@link Answer.Unavailable}
     */
    Answer cancelSession(String id);

    /** @return {@link Answer.ConversationFound}, {@link Answer.NotFound} or {@link Answer.Unavailable} */
    Answer getConversation(String id);

    /** @return {@link Answer.Done}, {@link Answer.NotFound} or {@link Answer.Unavailable} */
    Answer deleteConversation(String id);

    /** What Runway answered. */
    sealed interface Answer {
        /** A session was created with this id. */
        record Created(String id) implements Answer {
            public Created {
                Objects.requireNonNull(id, "id");
            }
        }

        /** The session. */
        record SessionFound(RunwaySession session) implements Answer {
            public SessionFound {
                Objects.requireNonNull(session, "session");
            }
        }

        /** The conversation. */
        record ConversationFound(RunwayConversation conversation) implements Answer {
            public ConversationFound {
                Objects.requireNonNull(conversation, "conversation");
            }
        }

        /** Done; Runway returned no body. */
        record Done() implements Answer {
        }

        /** Runway has no such session or conversation. */
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

        /** A create whose answer was lost: Runway may or may not have made the session. */
        record Ambiguous(String reason) implements Answer {
            public Ambiguous {
                Objects.requireNonNull(reason, "reason");
            }
        }
    }
}
