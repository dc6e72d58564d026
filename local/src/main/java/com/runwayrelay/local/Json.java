package com.runwayrelay.local;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The one {@link ObjectMapper} of the local stack (Jackson's defaults); never reconfigured. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }
}
