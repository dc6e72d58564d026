package com.runwayrelay.catalog;

/**
 * The catalog data files are missing or malformed. Thrown at load time only, so a broken data
 * change fails the first test or cold start instead of a live request.
 */
public final class CatalogLoadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CatalogLoadException(String message) {
        super(message);
    }

    CatalogLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
