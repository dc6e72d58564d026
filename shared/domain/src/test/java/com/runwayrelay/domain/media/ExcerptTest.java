package com.runwayrelay.domain.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class ExcerptTest {

    @Test
    void quotesShortTextAsIs() {
        assertEquals("'media.example.com'", Excerpt.quote("media.example.com"));
    }

    @Test
    void cutsLongTextAndStatesItsLength() {
        assertEquals("'" + "a".repeat(100) + "'... (250 characters)", Excerpt.quote("a".repeat(250)));
    }

    @Test
    void makesInvisibleCharactersVisible() {
        assertEquals("'a\\u000ab\\u202ec\\u200bd\\u005ce'", Excerpt.quote("a\nb\u202ec\u200bd\\e"));
    }

    @Test
    void leavesOutQueryAndFragment_whenAskedTo() {
        assertEquals("'x/a.png' (query omitted)", Excerpt.quoteWithoutQuery("x/a.png?X-Amz-Signature=secret"));
        assertEquals("'x/a.png' (query omitted)", Excerpt.quoteWithoutQuery("x/a.png#token=secret"));
        assertEquals("'x/a.png'", Excerpt.quoteWithoutQuery("x/a.png"));
    }

    @Test
    void neverSplitsASurrogatePair_whenCutting() {
        String text = "a".repeat(99) + "\uD83D\uDE00" + "tail";
        String quoted = Excerpt.quote(text);
        assertFalse(quoted.contains("\uD83D"), quoted);
    }
}
