package com.runwayrelay.domain;

/** A list cursor that this gateway did not issue for this query (malformed, altered, or from other filters). */
public final class InvalidCursorException extends RuntimeException {
    public InvalidCursorException(String message) {
        super(message);
    }
}
