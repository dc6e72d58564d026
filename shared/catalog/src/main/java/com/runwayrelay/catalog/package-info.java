/**
 * The Runway model catalog as data, and the one validator over it.
 *
 * <p>{@link com.runwayrelay.catalog.Catalog} is the entry point: which endpoints and models exist,
 * whether a request body is valid (all violations at once, Zod-like codes), what it may cost,
 * where its media URIs are and how many outputs it produces. Everything model-specific lives in
 * the JSON files under {@code src/main/resources/catalog/} (see this module's README); the
 * package-private classes here are the generic machinery that reads them.
 */
package com.runwayrelay.catalog;
