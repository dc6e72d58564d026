package com.runwayrelay.domain.owned;

import com.runwayrelay.domain.Violation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One kind of Runway resource (avatars, voices), called with the organization's key. The bodies are
 * opaque to the domain: {@code Q} is a request body, {@code R} a resource as Runway shows it. Runway
 * shows every resource of the organization to whoever asks, so callers check {@link Ownership} first.
 *
 * @param <Q> a create or update body
 * @param <R> Runway's answer for one resource
 */
public interface RunwayResources<Q, R> {

    /**
     * Creates a resource. Not retried once the request may have reached Runway.
     *
     * @return {@link Answer.Created}, {@link Answer.Rejected}, {@link Answer.Unavailable} (nothing was
     *         created) or {@link Answer.Ambiguous}
     */
    Answer<R> create(Q body);

    /** @return {@link Answer.Found}, {@link Answer.NotFound} or {@link Answer.Unavailable} */
    Answer<R> get(String id);

    /**
     * Changes the fields the body names.
     *
     * @return {@link Answer.Found} (the changed resource), {@link Answer.NotFound}, {@link Answer.Rejected}
     *         or {@link Answer.Unavailable}
     */
    Answer<R> update(String id, Q body);

    /** @return {@link Answer.Done}, {@link Answer.NotFound} or {@link Answer.Unavailable} */
    Answer<R> delete(String id);

    /** What Runway answered. */
    sealed interface Answer<R> {
        /**
         * A new resource.
         *
         * @param id        Runway's id
         * @param createdAt Runway's creation time, or null when its answer does not say (a voice's
         *                  create answers {@code {id}} only)
         * @param resource  Runway's answer as sent
         */
        record Created<R>(String id, Instant createdAt, R resource) implements Answer<R> {
            public Created {
                Objects.requireNonNull(id, "id");
                Objects.requireNonNull(resource, "resource");
            }
        }

        /** The resource. */
        record Found<R>(R resource) implements Answer<R> {
            public Found {
                Objects.requireNonNull(resource, "resource");
            }
        }

        /** Done; Runway returned no body. */
        record Done<R>() implements Answer<R> {
        }

        /** Runway has no such resource. */
        record NotFound<R>() implements Answer<R> {
        }

        /** Runway refused the request (400, or 409 while the resource is still processing). */
        record Rejected<R>(int status, String error, List<Violation> issues) implements Answer<R> {
            public Rejected {
                Objects.requireNonNull(error, "error");
                issues = List.copyOf(issues);
            }
        }

        /** Runway could not be asked now (nothing changed); {@code retryAfter} may be null. */
        record Unavailable<R>(String reason, Duration retryAfter) implements Answer<R> {
            public Unavailable {
                Objects.requireNonNull(reason, "reason");
            }
        }

        /** A create whose answer was lost: Runway may or may not have made the resource. */
        record Ambiguous<R>(String reason) implements Answer<R> {
            public Ambiguous {
                Objects.requireNonNull(reason, "reason");
            }
        }
    }
}
