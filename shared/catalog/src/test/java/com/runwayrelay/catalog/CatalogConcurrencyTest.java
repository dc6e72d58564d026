package com.runwayrelay.catalog;

import static com.runwayrelay.catalog.Bodies.json;
import static com.runwayrelay.catalog.ValidationAssertions.CATALOG;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** One Catalog instance serves concurrent requests: results do not depend on what other threads validate. */
class CatalogConcurrencyTest {
    private static final List<String> ENDPOINTS = List.of("image_to_video", "text_to_image", "video_to_video", "character_performance");
    private static final List<ObjectNode> BODIES = List.of(
            json("{'model': 'veo3.1', 'promptImage': [{'uri': 'https://cdn.yourapp.com/a.png', 'position': 'last'}], 'ratio': '1:1'}"),
            json("{'model': 'gen4_image', 'promptText': '@Hero', 'ratio': '1280:720',"
                    + " 'referenceImages': [{'uri': 'https://cdn.yourapp.com/a.png', 'tag': 'Villain'}]}"),
            json("{'model': 'aleph2', 'videoUri': 'data:image/png;base64,AAAA', 'extra': 1}"),
            json("{'model': 'act_two', 'character': {'type': 'video', 'uri': 'https://cdn.yourapp.com/c.mp4'},"
                    + " 'reference': {'type': 'video', 'uri': 'https://cdn.yourapp.com/r.mp4'}}"));

    @Test
    void givesTheSameResults_whenManyThreadsShareTheCatalog() throws Exception {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < BODIES.size(); i++) {
            expected.add(snapshot(i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int n = 0; n < 400; n++) {
                int i = n % BODIES.size();
                results.add(pool.submit(() -> snapshot(i)));
            }
            for (int n = 0; n < results.size(); n++) {
                assertEquals(expected.get(n % BODIES.size()), results.get(n).get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static String snapshot(int i) {
        String endpoint = ENDPOINTS.get(i);
        ObjectNode body = BODIES.get(i);
        return CATALOG.validate(endpoint, body, UnknownModelPolicy.REJECT).violations() + " "
                + CATALOG.mediaReferences(endpoint, body) + " " + CATALOG.estimateCredits(endpoint, body);
    }
}
