package com.runwayrelay.catalog;

import static com.runwayrelay.catalog.Bodies.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.media.MediaKind;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Loading catalogs from data: a new model is a data change, and broken data fails at load. */
class CatalogLoadTest {

    @Test
    void servesAModel_thatExistsOnlyInData() {
        Catalog tiny = Catalog.load("catalogs/tiny");
        assertEquals(List.of("echo"), List.copyOf(tiny.endpoints()));
        assertEquals(List.of("parrot", "crow"), tiny.models("echo"));
        assertTrue(tiny.validate("echo", json("{'model': 'parrot', 'promptText': 'hello'}"), UnknownModelPolicy.REJECT).valid());
        assertEquals(Optional.of(3L), tiny.estimateCredits("echo", json("{'model': 'parrot', 'promptText': 'hello'}")));
        assertEquals("too_big", tiny.validate("echo", json("{'model': 'parrot', 'promptText': 'hello!'}"),
                UnknownModelPolicy.REJECT).violations().get(0).code());
        assertEquals(Optional.of("parrot"), tiny.replacementFor("echo", "dodo"));
        assertTrue(tiny.isClosed("echo", "parrot"));
        assertFalse(tiny.isClosed("echo", "crow"));
        assertEquals(Optional.of(MediaKind.AUDIO), tiny.outputKind("echo", "crow"));
        assertEquals(1, tiny.mediaReferences("echo", json("{'model': 'crow', 'audioUri': 'runway://abcdefghijkl'}")).size());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "missing                | is not on the classpath",
        "catalogs/unknown-rule  | unknown rule 'sometimes'",
        "catalogs/bad-replacement | names replacement phoenix",
        "catalogs/missing-def   | model parrot",
        "catalogs/unknown-model-key | unknown keys [pricing]",
        "catalogs/required-not-declared | required field voice is not in properties",
        "catalogs/bad-media-kind | unknown media kind 'hologram'",
        "catalogs/bad-price     | price needs a 'rate'",
        "catalogs/no-models     | endpoint echo has no models"})
    void failsFast_namingTheProblem_whenTheDataIsBroken(String root, String expected) {
        CatalogLoadException e = assertThrows(CatalogLoadException.class, () -> Catalog.load(root));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
