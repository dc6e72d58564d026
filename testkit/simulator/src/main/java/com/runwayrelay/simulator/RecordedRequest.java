package com.runwayrelay.simulator;

import java.time.Instant;

/**
 * One request the simulator received, in arrival order.
 *
 * @param method HTTP method
 * @param path   request path without the query string
 * @param status HTTP status answered, or 0 when the connection was dropped without an answer
 * @param at     arrival time by the simulator's clock
 */
public record RecordedRequest(String method, String path, int status, Instant at) {
}
