package com.runwayrelay.runway;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The one {@link ObjectMapper} of this module; thread-safe once configured. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }
}
