package com.runwayrelay.domain.workflow;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Port: the Runway organization's published workflows ({@code GET /v1/workflows},
 * {@code GET /v1/workflows/{id}}). Implemented over the Runway client in {@code shared/aws}; an
 * in-memory fake serves unit tests.
 */
public interface PublishedWorkflows {

    /** Every published workflow, grouped by source workflow, as Runway lists them. */
    Listing list();

    /** One published workflow version, its graph included. */
    Lookup get(String workflowId);

    /**
     * A source workflow and its published versions.
     *
     * @param name     the workflow's name
     * @param versions its published versions, newest first
     */
    record Group(String name, List<Version> versions) {
        public Group {
            Objects.requireNonNull(name, "name");
            versions = List.copyOf(versions);
        }
    }

    /**
     * One published version.
     *
     * @param id        the globally unique id a run names
     * @param createdAt when it was published, as Runway wrote it
     * @param version   its version number
     */
    record Version(String id, String createdAt, long version) {
        public Version {
            Objects.requireNonNull(id, "id");
        }
    }

    /** How a list call ended. */
    sealed interface Listing {
        /** Runway's groups. */
        record Listed(List<Group> groups) implements Listing {
            public Listed {
                groups = List.copyOf(groups);
            }
        }

        /** Runway could not be asked now. */
        record Unavailable(String reason, Duration retryAfter) implements Listing {
        }
    }

    /** How a read ended. */
    sealed interface Lookup {
        /** The workflow, as Runway's JSON text (passed through unchanged). */
        record Found(String json) implements Lookup {
        }

        /** Runway knows no such published workflow. */
        record NotFound() implements Lookup {
        }

        /** Runway could not be asked now. */
        record Unavailable(String reason, Duration retryAfter) implements Lookup {
        }
    }
}
