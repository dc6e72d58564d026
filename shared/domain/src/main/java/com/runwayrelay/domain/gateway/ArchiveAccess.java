package com.runwayrelay.domain.gateway;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** The archived copies of outputs: links to hand out, and deletion when the app deletes a task. */
public interface ArchiveAccess {

    /** A fresh pre-signed link to an archived object; signed anew on every call. */
    Link link(String key);

    /** Deletes archived objects; keys that do not exist are ignored. */
    void delete(List<String> keys);

    /**
     * A link to an archived object.
     *
     * @param url       the link
     * @param expiresAt when it stops working
     */
    record Link(URI url, Instant expiresAt) {
        public Link {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }
    }
}
