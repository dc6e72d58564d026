package com.runwayrelay.runway;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A Runway task as returned by {@code GET /v1/tasks/{id}}: one record per status, so callers
 * {@code switch} exhaustively. A status this client does not know decodes to {@link Unknown}
 * instead of failing; treat it as not finished.
 *
 * <p>Credit amounts are {@code null} when Runway omitted them (older tasks predate cost
 * reporting); they are never negative.
 */
public sealed interface Task {

    /** Runway's task id. */
    String id();

    /** When Runway accepted the task. */
    Instant createdAt();

    /** The wire status, e.g. {@code "RUNNING"}, or whatever unknown value Runway sent. */
    default String status() {
        return switch (this) {
            case Pending p -> "PENDING";
            case Throttled t -> "THROTTLED";
            case Running r -> "RUNNING";
            case Succeeded s -> "SUCCEEDED";
            case Failed f -> "FAILED";
            case Cancelled c -> "CANCELLED";
            case Unknown u -> u.status();
        };
    }

    /** {@code true} for {@link Succeeded}, {@link Failed} and {@link Cancelled}: it will not change. */
    default boolean isTerminal() {
        return switch (this) {
            case Pending p -> false;
            case Throttled t -> false;
            case Running r -> false;
            case Succeeded s -> true;
            case Failed f -> true;
            case Cancelled c -> true;
            case Unknown u -> false;
        };
    }

    /**
     * Queued, waiting to run.
     *
     * @param estimatedCredits the most the task may cost, or {@code null}
     */
    record Pending(String id, Instant createdAt, BigDecimal estimatedCredits) implements Task {
        public Pending {
            requireIdentity(id, createdAt);
        }
    }

    /**
     * Accepted but held back because the organization is at its concurrency limit; normal, not
     * an error.
     *
     * @param estimatedCredits the most the task may cost, or {@code null}
     */
    record Throttled(String id, Instant createdAt, BigDecimal estimatedCredits) implements Task {
        public Throttled {
            requireIdentity(id, createdAt);
        }
    }

    /**
     * Being generated.
     *
     * @param progress fraction done in [0, 1], or {@code null} when Runway did not say
     * @param estimatedCredits the most the task may cost, or {@code null}
     */
    record Running(String id, Instant createdAt, Double progress, BigDecimal estimatedCredits) implements Task {
        public Running {
            requireIdentity(id, createdAt);
        }
    }

    /**
     * Done.
     *
     * @param output URLs of the generated files; they expire within 24–48 h, fetch the task again
     *     for fresh ones
     * @param costCredits credits charged, or {@code null}
     */
    record Succeeded(String id, Instant createdAt, List<String> output, BigDecimal costCredits) implements Task {
        public Succeeded {
            requireIdentity(id, createdAt);
            output = List.copyOf(output);
        }
    }

    /**
     * Generation failed.
     *
     * @param failure human-readable reason; empty when Runway gave none. Not meant for end users
     *     as-is.
     * @param failureCode machine-readable code such as {@code "SAFETY.INPUT.TEXT"} (most generic
     *     segment first; match by prefix), or {@code null}
     * @param costCredits credits charged (often 0 when refunded), or {@code null}
     */
    record Failed(String id, Instant createdAt, String failure, String failureCode, BigDecimal costCredits)
            implements Task {
        public Failed {
            requireIdentity(id, createdAt);
            Objects.requireNonNull(failure, "failure");
        }
    }

    /**
     * Cancelled or deleted.
     *
     * @param costCredits credits charged, or {@code null}
     */
    record Cancelled(String id, Instant createdAt, BigDecimal costCredits) implements Task {
        public Cancelled {
            requireIdentity(id, createdAt);
        }
    }

    /**
     * A status this client does not know (Runway added one). Tolerated so polling keeps working;
     * not terminal.
     */
    record Unknown(String id, Instant createdAt, String status) implements Task {
        public Unknown {
            requireIdentity(id, createdAt);
            Objects.requireNonNull(status, "status");
        }
    }

    /** The two components every status has. */
    private static void requireIdentity(String id, Instant createdAt) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
