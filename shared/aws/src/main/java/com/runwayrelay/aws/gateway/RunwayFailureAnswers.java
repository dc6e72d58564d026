package com.runwayrelay.aws.gateway;

import com.runwayrelay.domain.Violation;
import com.runwayrelay.runway.RunwayException;
import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How a call to Runway becomes a port's answer, for the ports whose answers say the same things
 * ({@link RunwayClientDocuments}, {@link RunwayClientRealtime}): Runway's 400 is rejected (its issues as
 * violations), its 404 not found, a create whose answer was lost ambiguous, and anything a later try may fix
 * (429, 5xx, unreachable, our own key refused, an answer that could not be read) unavailable. Each port
 * names its own answer records. A create or change made with {@link #change} also passes Runway's 409 on
 * as {@code conflict} (see {@link #isConflict}).
 *
 * @param <A> the port's answer type
 * @param unavailable its second argument, how long to wait, may be null
 * @param conflict    Runway's 409 to a create or change, with {@link #conflictError}'s text
 */
record RunwayFailureAnswers<A>(BiFunction<String, List<Violation>, A> rejected, Supplier<A> notFound,
                               Function<String, A> ambiguous, BiFunction<String, Duration, A> unavailable,
                               Function<String, A> conflict) {
    /** The reason of an answer Runway gave that could not be read; a create so answered may have happened. */
    static final String UNREADABLE = "Runway's answer could not be read";

    /**
     * Runs a create or change: like {@link #call}, except that Runway's 409 becomes {@code conflict}. Runway
     * answers 409 to refuse what conflicts with the state of the resource (an avatar changed while still
     * processing); it made or changed nothing, so a create so answered is no possible orphan.
     */
    A change(Supplier<A> call) {
        return call(() -> {
            try {
                return call.get();
            } catch (RunwayException e) {
                if (isConflict(e)) {
                    return conflict.apply(conflictError(e));
                }
                throw e;
            }
        });
    }

    /**
     * Whether Runway answered 409: a create so answered comes as {@link RunwayException.Ambiguous} (the client
     * never repeats a create), a change as {@link RunwayException.Transient} once the client's retries are
     * spent.
     */
    static boolean isConflict(RunwayException e) {
        return (e instanceof RunwayException.Ambiguous || e instanceof RunwayException.Transient)
                && e.status().orElse(0) == 409;
    }

    /** What the app is told of Runway's 409: Runway's own text, and that nothing changed. */
    static String conflictError(RunwayException e) {
        return "Runway refused the request as conflicting with the current state of what it names (409"
                + e.runwayError().map(error -> ": " + error).orElse("") + "); nothing was created or changed";
    }

    /** Runs {@code call}; a {@link RunwayException} or {@link Malformed} it throws becomes the port's answer. */
    A call(Supplier<A> call) {
        try {
            return call.get();
        } catch (RunwayException.BadRequest e) {
            return rejected.apply(e.runwayError().orElse("Runway refused the request"), e.issues().stream()
                    .map(i -> new Violation(i.path(), i.code(), i.message())).toList());
        } catch (RunwayException.NotFound e) {
            return notFound.get();
        } catch (RunwayException.Ambiguous e) {
            return ambiguous.apply("Runway's answer to the create was lost");
        } catch (RunwayException.RateLimited e) {
            return unavailable.apply("Runway is rate limiting", e.retryAfter().orElse(null));
        } catch (RunwayException.Transient e) {
            return unavailable.apply("Runway is unreachable", e.retryAfter().orElse(null));
        } catch (RunwayException.InvalidResponse | Malformed e) {
            return unavailable.apply(UNREADABLE, null);
        } catch (RunwayException e) {
            return unavailable.apply("Runway refused the gateway's call (" + e.getClass().getSimpleName() + ")", null);
        }
    }

    /** Runway's object lacks a field or has one of the wrong type (thrown while reading its answer). */
    static final class Malformed extends RuntimeException {
        Malformed(String field) {
            super("Runway's object has no valid '" + field + "'", null, false, false);
        }
    }
}
