package com.runwayrelay.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;

/**
 * A model's request schema, compiled when it is first needed and then kept. Compiling every
 * model's schema at load was the largest part of a function's cold start (docs/BENCHMARKS.md,
 * cold start); a request needs only its own model's. Safe to share between threads: at worst two
 * first requests compile the same schema and one result is kept.
 */
final class ModelSchema {
    private final String where;
    private final ObjectNode source;
    private volatile JsonSchema compiled;

    /**
     * @param where  the file and model, for the error of a schema that does not compile
     * @param source the prepared schema ({@code $defs}, closed objects and length keywords in place);
     *               never changed after this call
     */
    ModelSchema(String where, ObjectNode source) {
        this.where = where;
        this.source = source;
    }

    /**
     * The compiled schema.
     *
     * @throws CatalogLoadException when it does not compile (the shipped catalog's schemas are all
     *                              compiled by its tests, so only a broken build gets here)
     */
    JsonSchema get() {
        JsonSchema schema = compiled;
        if (schema == null) {
            schema = SchemaCompiler.instance().compile(where, source);
            compiled = schema;
        }
        return schema;
    }

    /** Whether {@link #get()} has compiled it already (for tests of the lazy loading). */
    boolean isCompiled() {
        return compiled != null;
    }
}
