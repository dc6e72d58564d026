package com.runwayrelay.runway;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one {@link ObjectMapper} of this module (Jackson's defaults), also for callers that build
 * request bodies for {@link RunwayClient}: thread-safe as long as nobody reconfigures it.
 */
public final class Json {
    /** Jackson's default configuration; never reconfigured. */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }
}
