package com.runwayrelay.runway;

import static com.runwayrelay.runway.StubServer.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UploadTest {

    private StubServer server;
    private RunwayClient client;
    private UploadSlot slot;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        server = StubServer.start();
        client = Fixtures.client(server, new RecordingSleeper());
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("key", "uploads/abc/frame.png");
        fields.put("Content-Type", "image/png");
        fields.put("policy", "eyJleHBpcmF0aW9uIjoi");
        fields.put("x-amz-signature", "deadbeef");
        slot = new UploadSlot(URI.create(server.baseUri() + "/storage/bucket"), fields, "runway://abc");
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    /** One part of a multipart/form-data body. */
    record Part(String disposition, String contentType, byte[] content) {
        String name() {
            return attribute("name");
        }

        String filename() {
            return attribute("filename");
        }

        private String attribute(String key) {
            String marker = "; " + key + "=\"";
            int start = disposition.indexOf(marker);
            return start < 0 ? null : disposition.substring(start + marker.length(), disposition.indexOf('"',
                    start + marker.length()));
        }
    }

    static List<Part> parseMultipart(StubServer.Recorded request) {
        String contentType = request.header("Content-Type");
        assertTrue(contentType.startsWith("multipart/form-data; boundary="), contentType);
        String delimiter = "--" + contentType.substring(contentType.indexOf("boundary=") + 9);
        String body = new String(request.body(), StandardCharsets.ISO_8859_1);
        assertTrue(body.startsWith(delimiter + "\r\n"), "body must start with the first delimiter");
        assertTrue(body.endsWith("\r\n" + delimiter + "--\r\n"), "body must end with the closing delimiter");
        List<Part> parts = new ArrayList<>();
        int position = delimiter.length() + 2;
        while (true) {
            int end = body.indexOf("\r\n" + delimiter, position);
            String raw = body.substring(position, end);
            int split = raw.indexOf("\r\n\r\n");
            String disposition = null;
            String partType = null;
            for (String line : raw.substring(0, split).split("\r\n")) {
                if (line.startsWith("Content-Disposition: ")) {
                    disposition = line.substring(21);
                } else if (line.startsWith("Content-Type: ")) {
                    partType = line.substring(14);
                }
            }
            parts.add(new Part(disposition, partType, raw.substring(split + 4).getBytes(StandardCharsets.ISO_8859_1)));
            position = end + 2 + delimiter.length();
            if (body.startsWith("--", position)) {
                return parts;
            }
            position += 2;
        }
    }

    @Test
    void requestsEphemeralSlotAndDecodesIt_whenCreatingUpload() throws Exception {
        server.enqueue(json(200, """
                {"uploadUrl": "https://storage.example/bucket",
                 "fields": {"key": "k1", "policy": "p1", "x-amz-signature": "s1"},
                 "runwayUri": "runway://upload/123"}"""));

        UploadSlot created = client.createUpload("frame.png");

        StubServer.Recorded request = server.onlyRequest();
        assertEquals("POST", request.method());
        assertEquals("/v1/uploads", request.path());
        assertEquals("Bearer " + Fixtures.API_KEY, request.header("Authorization"));
        JsonNode body = Json.MAPPER.readTree(request.body());
        assertEquals("frame.png", body.get("filename").asText());
        assertEquals("ephemeral", body.get("type").asText());
        assertEquals(URI.create("https://storage.example/bucket"), created.uploadUrl());
        assertEquals(List.of("key", "policy", "x-amz-signature"), List.copyOf(created.fields().keySet()));
        assertEquals("runway://upload/123", created.runwayUri());
    }

    @Test
    void throwsInvalidResponse_whenSlotLacksUploadUrlOrUsesOtherScheme() {
        server.enqueue(json(200, "{\"fields\":{},\"runwayUri\":\"runway://x\"}"),
                json(200, "{\"uploadUrl\":\"file:///etc/passwd\",\"fields\":{},\"runwayUri\":\"runway://x\"}"));

        assertThrows(RunwayException.InvalidResponse.class, () -> client.createUpload("frame.png"));
        assertThrows(RunwayException.InvalidResponse.class, () -> client.createUpload("frame.png"));
    }

    @Test
    void sendsFieldsInOrderThenFilePart_whenUploadingFile() throws Exception {
        server.enqueue(StubServer.status(204, Map.of()));
        byte[] content = "\u0089PNG fake image bytes\r\n--not-a-boundary\r\n".getBytes(StandardCharsets.ISO_8859_1);
        Path file = Files.write(dir.resolve("frame.png"), content);

        client.uploadFile(slot, file);

        StubServer.Recorded request = server.onlyRequest();
        assertEquals("POST", request.method());
        assertEquals("/storage/bucket", request.path());
        List<Part> parts = parseMultipart(request);
        assertEquals(List.of("key", "Content-Type", "policy", "x-amz-signature", "file"),
                parts.stream().map(Part::name).toList());
        assertEquals("uploads/abc/frame.png", new String(parts.get(0).content(), StandardCharsets.UTF_8));
        assertEquals("deadbeef", new String(parts.get(3).content(), StandardCharsets.UTF_8));
        Part filePart = parts.get(4);
        assertEquals("frame.png", filePart.filename());
        assertEquals("image/png", filePart.contentType());
        assertArrayEquals(content, filePart.content());
    }

    @Test
    void sendsNoRunwayCredentialOrVersion_whenPostingToStorage() throws Exception {
        server.enqueue(StubServer.status(204, Map.of()));
        Path file = Files.write(dir.resolve("clip.mp4"), new byte[600]);

        client.uploadFile(slot, file);

        StubServer.Recorded request = server.onlyRequest();
        assertNull(request.header("Authorization"));
        assertNull(request.header("X-Runway-Version"));
        assertFalse(request.bodyText().contains(Fixtures.API_KEY));
    }

    @Test
    void streamsLargeFileWithKnownLength_whenUploadingFile() throws Exception {
        server.enqueue(StubServer.status(204, Map.of()));
        byte[] content = new byte[8 * 1024 * 1024];
        new Random(7).nextBytes(content);
        Path file = Files.write(dir.resolve("big.mov"), content);

        client.uploadFile(slot, file);

        StubServer.Recorded request = server.onlyRequest();
        assertNull(request.header("Transfer-Encoding"), "storage needs a Content-Length, not chunks");
        assertEquals(String.valueOf(request.body().length), request.header("Content-Length"));
        Part filePart = parseMultipart(request).get(4);
        assertEquals("video/quicktime", filePart.contentType());
        assertArrayEquals(content, filePart.content());
    }

    @Test
    void streamsGivenLength_whenUploadingFromInputStream() {
        server.enqueue(StubServer.status(201, Map.of()));
        byte[] content = "RIFF....WAVEfmt ".repeat(64).getBytes(StandardCharsets.US_ASCII);

        client.uploadFile(slot, "voice.wav", new ByteArrayInputStream(content), content.length);

        StubServer.Recorded request = server.onlyRequest();
        assertEquals(String.valueOf(request.body().length), request.header("Content-Length"));
        Part filePart = parseMultipart(request).get(4);
        assertEquals("voice.wav", filePart.filename());
        assertEquals("audio/wav", filePart.contentType());
        assertArrayEquals(content, filePart.content());
    }

    @Test
    void throwsTransient_whenStreamIsShorterThanDeclaredLength() {
        server.always(StubServer.status(204, Map.of()));

        assertThrows(RunwayException.Transient.class,
                () -> client.uploadFile(slot, "voice.wav", new ByteArrayInputStream(new byte[10]), 1000));
    }

    @Test
    void throwsBadRequestWithoutRetry_whenStorageRejectsUpload() throws Exception {
        server.always(StubServer.text(403, "application/xml",
                "<Error><Code>AccessDenied</Code><Message>Policy expired</Message></Error>"));
        Path file = Files.write(dir.resolve("frame.png"), new byte[600]);

        RunwayException.BadRequest e = assertThrows(RunwayException.BadRequest.class,
                () -> client.uploadFile(slot, file));

        assertEquals(1, server.requests().size());
        assertTrue(e.getMessage().contains("Policy expired"), e.getMessage());
        assertTrue(e.getMessage().contains("request a new upload slot"), e.getMessage());
    }

    @Test
    void throwsTransientWithoutRetry_whenStorageFails() throws Exception {
        server.always(StubServer.text(503, "application/xml", "<Error><Code>SlowDown</Code></Error>"));
        Path file = Files.write(dir.resolve("frame.png"), new byte[600]);

        assertThrows(RunwayException.Transient.class, () -> client.uploadFile(slot, file));

        assertEquals(1, server.requests().size());
    }

    @Test
    void returnsRunwayUri_whenUploadingEphemeralInBothSteps() throws Exception {
        server.enqueue(json(200, "{\"uploadUrl\":\"" + server.baseUri() + "/storage\",\"fields\":{\"key\":\"k\"},"
                + "\"runwayUri\":\"runway://upload/xyz\"}"));
        server.enqueue(StubServer.status(204, Map.of()));
        Path file = Files.write(dir.resolve("speech.mp3"), new byte[700]);

        String uri = client.uploadEphemeral(file);

        assertEquals("runway://upload/xyz", uri);
        List<StubServer.Recorded> requests = server.requests();
        assertEquals("/v1/uploads", requests.get(0).path());
        assertEquals("/storage", requests.get(1).path());
        assertEquals("speech.mp3", parseMultipart(requests.get(1)).get(1).filename());
    }

    @Test
    void rejectsWithoutSending_whenFilenameHasNoExtensionOrHasPath() {
        for (String bad : List.of("ab", "README", "../etc/passwd.png", "dir/a.png", "a\nb.png", ".png x")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> client.createUpload(bad));
            assertTrue(e.getMessage().contains("filename must be"), e.getMessage());
        }
        assertTrue(server.requests().isEmpty());
    }

    @Test
    void sendsTheLongestFilename_andRejectsOneCharacterMore() throws Exception {
        server.enqueue(json(200, """
                {"uploadUrl": "https://storage.example/bucket", "fields": {}, "runwayUri": "runway://upload/1"}"""));
        String longest = "a".repeat(251) + ".png";

        client.createUpload(longest);

        assertEquals(longest, Json.MAPPER.readTree(server.onlyRequest().body()).get("filename").asText());
        assertThrows(IllegalArgumentException.class, () -> client.createUpload("a" + longest));
        assertEquals(1, server.requests().size());
    }

    @Test
    void rejectsWithoutSending_whenFileIsMissingOrLengthNegative() {
        Path missing = dir.resolve("missing.png");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> client.uploadFile(slot, missing));
        assertThrows(IllegalArgumentException.class, () -> client.uploadEphemeral(dir));
        assertThrows(IllegalArgumentException.class,
                () -> client.uploadFile(slot, "a.png", new ByteArrayInputStream(new byte[0]), -1));

        assertTrue(e.getMessage().contains("not a readable regular file"), e.getMessage());
        assertTrue(server.requests().isEmpty());
    }

    @Test
    void hidesPresignedFieldValues_whenSlotIsPrinted() {
        String printed = slot.toString();

        assertTrue(printed.contains("x-amz-signature"), printed);
        assertFalse(printed.contains("deadbeef"), printed);
        assertFalse(printed.contains("eyJleHBpcmF0aW9uIjoi"), printed);
    }
}
