package com.runwayrelay.aws.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one JSON mapper of the gateway's app-facing functions, with Jackson's defaults: their edges
 * write answers with it ({@link ApiResponse#JSON} is this mapper) and their use cases read request
 * bodies with it, without depending on the HTTP types.
 */
public final class GatewayJson {
    /** Shared, and thread-safe once configured (it never is reconfigured). */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private GatewayJson() {
    }
}
