package com.runwayrelay.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.AnnotationKeyword;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import java.util.List;

/**
 * Compiles a model's prepared request schema (draft 2020-12 plus {@link CustomKeywords}) with the
 * validator library. Built on first use: a function that never validates a body (the archiver,
 * the admin) never loads the library's classes.
 */
final class SchemaCompiler {
    /** Annotations the data may carry anywhere in a schema; they document, they do not validate. */
    private static final List<String> ANNOTATIONS = List.of("x-unconfirmed", "x-source", "x-note");

    private final JsonSchemaFactory factory;
    private final SchemaValidatorsConfig config;

    private SchemaCompiler() {
        JsonMetaSchema.Builder meta = JsonMetaSchema.builder(JsonMetaSchema.getV202012());
        CustomKeywords.all().forEach(meta::keyword);
        ANNOTATIONS.forEach(name -> meta.keyword(new AnnotationKeyword(name)));
        JsonMetaSchema metaSchema = meta.build();
        this.factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                builder -> builder.metaSchema(metaSchema));
        this.config = SchemaValidatorsConfig.builder()
                .pathType(PathType.JSON_POINTER)
                .typeLoose(false)
                .losslessNarrowing(true)
                .formatAssertionsEnabled(false)
                .build();
    }

    /** The one compiler; the factory and its meta-schema are immutable and shared by every catalog. */
    static SchemaCompiler instance() {
        return Holder.INSTANCE;
    }

    /**
     * The compiled schema with every validator initialised.
     *
     * @throws CatalogLoadException naming {@code where} when the schema does not compile
     */
    JsonSchema compile(String where, ObjectNode schema) {
        try {
            JsonSchema compiled = factory.getSchema(schema, config);
            compiled.initializeValidators();
            return compiled;
        } catch (RuntimeException e) {
            throw new CatalogLoadException(where + ": schema does not compile: " + e.getMessage(), e);
        }
    }

    private static final class Holder {
        static final SchemaCompiler INSTANCE = new SchemaCompiler();
    }
}
