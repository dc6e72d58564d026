package com.runwayrelay.catalog;

import static com.runwayrelay.catalog.Bodies.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The shipped catalog compiles a model's schema when a body for it is first validated, not at load. */
class LazySchemaTest {

    private static int models(Catalog catalog) {
        // a free selector (configId) lists no values but has its one variant
        return catalog.endpoints().stream().mapToInt(e -> catalog.freeSelector(e) ? 1 : catalog.models(e).size()).sum();
    }

    @Test
    void compilesNoSchema_whenLoadedLazily() {
        Catalog catalog = Catalog.load("catalog", false);
        assertEquals(0, catalog.compiledSchemas());
        assertEquals(java.util.Optional.of(com.runwayrelay.domain.media.MediaKind.IMAGE),
                catalog.outputKind("text_to_image", "gen4_image"));
        assertEquals(0, catalog.compiledSchemas(), "reading names and output kinds compiles nothing");
    }

    @Test
    void compilesOnlyTheValidatedModelsSchema_onFirstUse() {
        Catalog catalog = Catalog.load("catalog", false);
        String body = "{'model': 'gen4_image', 'promptText': 'a cat', 'ratio': '1280:720'}";
        assertTrue(catalog.validate("text_to_image", json(body), UnknownModelPolicy.REJECT).valid());
        assertEquals(1, catalog.compiledSchemas());
        assertEquals("too_big", catalog.validate("text_to_image",
                json("{'model': 'gen4_image', 'promptText': '" + "x".repeat(1001) + "', 'ratio': '1280:720'}"),
                UnknownModelPolicy.REJECT).violations().get(0).code());
        assertEquals(1, catalog.compiledSchemas(), "a second request reuses the compiled schema");
    }

    @Test
    void compilesEveryShippedSchema_whenAskedToCompileAll() {
        Catalog catalog = Catalog.load("catalog", false);
        catalog.compileAll();
        assertEquals(models(catalog), catalog.compiledSchemas());
        assertTrue(models(catalog) > 10, "the shipped catalog has its models: " + models(catalog));
    }

    @Test
    void theSharedCatalogIsLazy_andCompilesAll() {
        Catalog.loadDefault().compileAll();
        assertEquals(models(Catalog.loadDefault()), Catalog.loadDefault().compiledSchemas());
    }

    @Test
    void failsOnFirstUse_whenALazySchemaDoesNotCompile() {
        Catalog catalog = Catalog.load("catalogs/missing-def", false);
        CatalogLoadException e = assertThrows(CatalogLoadException.class, () -> catalog.validate("echo",
                json("{'model': 'parrot', 'promptText': 'hi'}"), UnknownModelPolicy.REJECT));
        assertTrue(e.getMessage().contains("model parrot"), e.getMessage());
        assertThrows(CatalogLoadException.class, catalog::compileAll);
    }
}
