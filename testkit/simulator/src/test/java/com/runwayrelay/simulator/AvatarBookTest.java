package com.runwayrelay.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.domain.memory.ManualClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AvatarBookTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final URI BASE = URI.create("http://127.0.0.1:3001");
    private static final Duration PROCESSING = Duration.ofSeconds(5);
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-03T06:00:00Z"));
    private final DocumentBook documents = new DocumentBook(clock);
    private final VoiceBook voices = new VoiceBook(clock, PROCESSING);
    private final AvatarBook avatars = new AvatarBook(clock, PROCESSING, voices, documents::exists);

    private ObjectNode avatar(String name, String voice) throws Exception {
        return avatars.create(JSON.readTree("{\"name\":\"" + name + "\",\"personality\":\"kind\","
                + "\"referenceImage\":\"https://media.example.com/a.png\",\"voice\":" + voice + "}"), BASE);
    }

    @Test
    void avatarIsProcessingThenReady_andRefusesChangesWhileProcessing() throws Exception {
        ObjectNode created = avatar("Ada", "{\"type\":\"runway-live-preset\",\"presetId\":\"clara\"}");
        String id = created.get("id").asText();
        assertEquals("PROCESSING", created.get("status").asText());
        assertTrue(created.get("processedImageUri").isNull());
        assertEquals("Clara", created.get("voice").get("name").asText());
        ApiException busy = assertThrows(ApiException.class,
                () -> avatars.update(id, JSON.readTree("{\"name\":\"Ada 2\"}"), BASE));
        assertEquals(409, busy.status());
        clock.advance(PROCESSING);
        ObjectNode ready = avatars.get(id, BASE);
        assertEquals("READY", ready.get("status").asText());
        assertFalse(ready.get("processedImageUri").isNull());
        ObjectNode renamed = avatars.update(id, JSON.readTree("{\"name\":\"Ada 2\",\"startScript\":\"Hi\"}"), BASE);
        assertEquals("Ada 2", renamed.get("name").asText());
        assertEquals("Hi", renamed.get("startScript").asText());
        assertEquals("PROCESSING", avatars.update(id, JSON.readTree("{\"referenceImage\":\"https://media.example.com/b.png\"}"),
                BASE).get("status").asText(), "a new reference image is processed again");
    }

    @Test
    void avatarEndsFailed_whenItsNameAsksForIt() throws Exception {
        String id = avatar("fail-me", "{\"type\":\"runway-live-preset\",\"presetId\":\"leo\"}").get("id").asText();
        clock.advance(PROCESSING);
        ObjectNode failed = avatars.get(id, BASE);
        assertEquals("FAILED", failed.get("status").asText());
        assertTrue(failed.get("failureReason").isTextual());
    }

    @Test
    void avatarRefusesUnknownDocumentsAndVoices_andTakesTheOrganizations() throws Exception {
        ApiException unknown = assertThrows(ApiException.class, () -> avatars.create(JSON.readTree("{\"name\":\"x\","
                + "\"personality\":\"p\",\"referenceImage\":\"https://m/a.png\",\"voice\":{\"type\":\"custom\",\"id\":\"v-none\"},"
                + "\"documentIds\":[\"d-none\"]}"), BASE));
        assertEquals(400, unknown.status());
        assertEquals(List.of(List.of("voice", "id"), List.of("documentIds", 0)),
                unknown.issues().stream().map(ApiException.Issue::path).toList());
        String voice = voices.create(JSON.readTree("{\"name\":\"Narrator\",\"from\":{\"type\":\"audio\","
                + "\"audio\":\"https://m/a.mp3\"}}")).get("id").asText();
        String document = documents.create(JSON.readTree("{\"name\":\"FAQ\",\"content\":\"x\"}")).get("id").asText();
        ObjectNode made = avatars.create(JSON.readTree("{\"name\":\"x\",\"personality\":\"p\",\"referenceImage\":\"https://m/a.png\","
                + "\"voice\":{\"type\":\"custom\",\"id\":\"" + voice + "\"},\"documentIds\":[\"" + document + "\"]}"), BASE);
        assertEquals("Narrator", made.get("voice").get("name").asText());
        assertEquals(false, made.get("voice").get("deleted").asBoolean());
        assertEquals(document, made.get("documentIds").get(0).asText());
        voices.delete(voice);
        assertEquals(true, avatars.get(made.get("id").asText(), BASE).get("voice").get("deleted").asBoolean());
    }

    @Test
    void voiceCreateAnswersIdOnly_isProcessingThenReady_andPagesNewestFirst() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ObjectNode created = voices.create(JSON.readTree("{\"name\":\"v" + i + "\",\"from\":{\"type\":\"text\","
                    + "\"model\":\"eleven_ttv_v3\",\"prompt\":\"A calm, low voice for late-night radio\"}}"));
            assertEquals(List.of("id"), iterable(created));
            ids.add(created.get("id").asText());
            clock.advance(Duration.ofSeconds(1));
        }
        assertEquals("PROCESSING", voices.get(ids.get(2), BASE).get("status").asText());
        clock.advance(PROCESSING);
        assertEquals("READY", voices.get(ids.get(2), BASE).get("status").asText());
        List<String> seen = new ArrayList<>();
        Map<String, String> query = new HashMap<>(Map.of("limit", "2"));
        ObjectNode page;
        do {
            page = voices.list(query, BASE);
            page.get("data").forEach(v -> seen.add(v.get("id").asText()));
            query.put("cursor", page.path("nextCursor").asText());
        } while (page.get("hasMore").asBoolean());
        assertEquals(List.of(ids.get(2), ids.get(1), ids.get(0)), seen);
        ApiException shortPrompt = assertThrows(ApiException.class, () -> voices.preview(
                JSON.readTree("{\"model\":\"eleven_ttv_v3\",\"prompt\":\"short\"}"), BASE));
        assertEquals(400, shortPrompt.status());
        assertTrue(voices.preview(JSON.readTree("{\"model\":\"eleven_ttv_v3\",\"prompt\":\"A calm, low voice for radio\"}"),
                BASE).get("url").asText().startsWith("http://127.0.0.1:3001/"));
    }

    private static List<String> iterable(ObjectNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
