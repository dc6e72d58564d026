package com.runwayrelay.domain.gateway;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** The archived copies of outputs: links to hand out, and deletion when the app deletes a task. */
public interface ArchiveAccess {

    /** A fresh pre-signed link to an archived object with the deployment's lifetime; signed anew on every call. */
    default Link link(String key) {
        return link(key, null);
    }

    /**
     * A fresh pre-signed link to an archived object; signed anew on every call.
     *
     * @param lifetime how long the link should work (a task's {@code Request#linkTtl()}), or null for the
     *                 deployment's lifetime; either is capped by what the signer can honour (its credentials'
     *                 remaining life), which {@link Link#expiresAt()} then tells
     */
    Link link(String key, Duration lifetime);

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
