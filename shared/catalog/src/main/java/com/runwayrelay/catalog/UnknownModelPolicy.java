package com.runwayrelay.catalog;

/** What the validator does with a {@code model} value the catalog does not list. */
public enum UnknownModelPolicy {
    /** Reject with a violation listing the endpoint's models and a "did you mean". The default. */
    REJECT,
    /** Let the request through unchecked (for models newer than the catalog). */
    PASSTHROUGH
}
