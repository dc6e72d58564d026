package com.runwayrelay.domain.router;

import java.util.Optional;

/**
 * The gateway's records of Model Router configurations, one per slug, written by the operator's
 * router calls and read by a routed generation before it spends.
 */
public interface RouterCaps {
    /** Stores {@code cap}, replacing any record of the same slug. */
    void put(RouterCap cap);

    /** The record of the configuration with this slug, if the gateway has one. */
    Optional<RouterCap> find(String slug);

    /** Forgets the configuration with this slug; nothing happens when there is no record. */
    void remove(String slug);
}
