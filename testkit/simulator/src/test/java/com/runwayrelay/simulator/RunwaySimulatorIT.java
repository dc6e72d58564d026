package com.runwayrelay.simulator;

import static com.runwayrelay.simulator.SimClient.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.runwayrelay.domain.memory.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The simulator over HTTP, with a hand-moved clock and a small fixed catalog. */
class RunwaySimulatorIT {
    private static final String IMAGE = "{\"model\":\"gen4_image\",\"promptText\":\"a lighthouse\",\"ratio\":\"1920:1080\"}";
    private final ManualClock clock = new ManualClock(Instant.parse("2026-10-01T12:00:00Z"));
    private RunwaySimulator sim;
    private SimClient client;

    private void start(SimulatorConfig.Builder config) {
        sim = RunwaySimulator.start(config.clock(clock).build(), new FakeRules());
        client = new SimClient(sim);
    }

    private void start() {
        start(SimulatorConfig.builder());
    }

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    private String createTask(String body) throws Exception {
        String endpoint = body.contains("gen4_turbo") ? "image_to_video" : body.contains("eleven") ? "sound_effect"
                : body.contains("gen4.5") ? "text_to_video" : "text_to_image";
        HttpResponse<String> r = client.post("/v1/" + endpoint, body);
        assertEquals(200, r.statusCode(), r.body());
        return json(r).path("id").asText();
    }

    private JsonNode getTask(String id) throws Exception {
        HttpResponse<String> r = client.get("/v1/tasks/" + id);
        assertEquals(200, r.statusCode(), r.body());
        return json(r);
    }

    private URI finishedOutput(String id) throws Exception {
        clock.advance(Duration.ofSeconds(10));
        JsonNode task = getTask(id);
        assertEquals("SUCCEEDED", task.path("status").asText(), task.toString());
        return URI.create(task.path("output").get(0).asText());
    }

    @Test
    void apiKey_hasRunwaysFormat() {
        start();
        assertTrue(sim.apiKey().matches("key_[0-9a-f]{128}"));
        assertEquals("127.0.0.1", sim.baseUri().getHost());
    }

    @Test
    void request_gets401_whenTheKeyIsMissingOrWrong() throws Exception {
        start();
        HttpResponse<String> missing = client.send(HttpRequest.newBuilder(sim.baseUri().resolve("/v1/organization"))
                .header("X-Runway-Version", "2024-11-06").build());
        assertEquals(401, missing.statusCode());
        assertTrue(json(missing).path("error").asText().contains("Authorization: Bearer"));
        HttpResponse<String> wrong = client.send(client.request("/v1/organization")
                .setHeader("Authorization", "Bearer key_" + "0".repeat(128)).build());
        assertEquals(401, wrong.statusCode());
        assertEquals("Invalid API key.", json(wrong).path("error").asText());
    }

    @Test
    void request_gets400_whenTheVersionHeaderIsMissingOrWrong() throws Exception {
        start();
        HttpResponse<String> missing = client.send(HttpRequest.newBuilder(sim.baseUri().resolve("/v1/organization"))
                .header("Authorization", "Bearer " + sim.apiKey()).build());
        assertEquals(400, missing.statusCode());
        assertTrue(json(missing).path("error").asText().contains("Missing X-Runway-Version header; set it to 2024-11-06"));
        HttpResponse<String> wrong = client.send(client.request("/v1/organization").setHeader("X-Runway-Version", "2023-01-01").build());
        assertEquals(400, wrong.statusCode());
        assertTrue(json(wrong).path("error").asText().contains("Unsupported X-Runway-Version '2023-01-01'"));
        assertEquals(0, sim.createdTaskCount());
    }

    @Test
    void invalidCreate_gets400WithRunwayShapedIssues_andCreatesNothing() throws Exception {
        start();
        HttpResponse<String> r = client.post("/v1/text_to_image", "{\"model\":\"gen4_image\",\"ratio\":\"wide\"}");
        assertEquals(400, r.statusCode());
        JsonNode body = json(r);
        assertTrue(body.path("error").asText().startsWith("Validation of body failed: promptText: promptText is required."), body.toString());
        assertEquals(2, body.path("issues").size());
        JsonNode first = body.path("issues").get(0);
        assertEquals("invalid_type", first.path("code").asText());
        assertEquals("[\"promptText\"]", first.path("path").toString());
        assertEquals("promptText is required.", first.path("message").asText());
        assertEquals(0, sim.createdTaskCount());
    }

    @Test
    void nonJsonBody_gets400() throws Exception {
        start();
        HttpResponse<String> r = client.post("/v1/text_to_image", "{not json");
        assertEquals(400, r.statusCode());
        assertTrue(json(r).path("error").asText().contains("not valid JSON"));
    }

    @Test
    void unknownPath_gets404_andWrongMethod_gets405() throws Exception {
        start();
        assertEquals(404, client.post("/v1/text_to_hologram", IMAGE).statusCode());
        assertEquals(405, client.get("/v1/text_to_image").statusCode());
        assertEquals(405, client.post("/v1/organization", "{}").statusCode());
    }

    @Test
    void task_showsRunwaysShapes_throughItsLifecycle() throws Exception {
        start();
        HttpResponse<String> created = client.post("/v1/text_to_image", IMAGE);
        assertEquals(200, created.statusCode());
        JsonNode c = json(created);
        assertEquals(5, c.path("estimatedCost").path("credits").asLong());
        String id = c.path("id").asText();
        assertTrue(id.matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), id);

        JsonNode pending = getTask(id);
        assertEquals("PENDING", pending.path("status").asText());
        assertEquals("2026-10-01T12:00:00.000Z", pending.path("createdAt").asText());
        assertEquals(5, pending.path("estimatedCost").path("credits").asLong());
        assertFalse(pending.has("progress"));

        clock.advance(Duration.ofMillis(1300));
        JsonNode running1 = getTask(id);
        clock.advance(Duration.ofMillis(1500));
        JsonNode running2 = getTask(id);
        assertEquals("RUNNING", running1.path("status").asText());
        assertTrue(running2.path("progress").asDouble() > running1.path("progress").asDouble(), running1 + " then " + running2);

        clock.advance(Duration.ofSeconds(3));
        JsonNode done = getTask(id);
        assertEquals("SUCCEEDED", done.path("status").asText());
        assertEquals(5, done.path("cost").path("credits").asLong());
        assertFalse(done.has("estimatedCost"));
        assertEquals(1, done.path("output").size());
        assertEquals(List.of(new SimulatedOutput(0, "image/png", sim.task(id).orElseThrow().outputs().getFirst().size())),
                sim.task(id).orElseThrow().outputs());
        assertEquals(IMAGE, sim.task(id).orElseThrow().requestBody());
    }

    @Test
    void tasksOverTheConcurrencyLimit_areThrottled_thenPromoted() throws Exception {
        start(SimulatorConfig.builder().modelLimit("gen4_image", new ModelLimits(1, null)));
        String first = createTask(IMAGE);
        String second = createTask(IMAGE);
        assertEquals("PENDING", getTask(first).path("status").asText());
        JsonNode throttled = getTask(second);
        assertEquals("THROTTLED", throttled.path("status").asText());
        assertEquals(5, throttled.path("estimatedCost").path("credits").asLong());
        clock.advance(Duration.ofSeconds(4));
        assertEquals("SUCCEEDED", getTask(first).path("status").asText());
        assertEquals("PENDING", getTask(second).path("status").asText());
    }

    @Test
    void promptFailMarker_endsTheTaskFailedWithThatCode() throws Exception {
        start();
        String id = createTask("{\"model\":\"gen4_image\",\"promptText\":\"x [fail:SAFETY.INPUT.TEXT]\",\"ratio\":\"1024:1024\"}");
        clock.advance(Duration.ofSeconds(10));
        JsonNode t = getTask(id);
        assertEquals("FAILED", t.path("status").asText());
        assertEquals("SAFETY.INPUT.TEXT", t.path("failureCode").asText());
        assertTrue(t.path("failure").asText().contains("content moderation"));
        assertEquals(5, t.path("cost").path("credits").asLong());
        assertFalse(t.has("output"));
    }

    @Test
    void delete_cancelsThenAnswers404_andDeletesFinishedTasks() throws Exception {
        start();
        String running = createTask(IMAGE);
        assertEquals(204, client.delete("/v1/tasks/" + running).statusCode());
        assertEquals(404, client.get("/v1/tasks/" + running).statusCode());
        assertEquals(404, client.delete("/v1/tasks/" + running).statusCode());
        assertTrue(sim.task(running).orElseThrow().cancelled());

        String finished = createTask(IMAGE);
        URI output = finishedOutput(finished);
        HttpResponse<String> deleted = client.delete("/v1/tasks/" + finished);
        assertEquals(204, deleted.statusCode());
        assertEquals("", deleted.body());
        assertEquals(404, client.get("/v1/tasks/" + finished).statusCode());
        assertTrue(sim.task(finished).orElseThrow().deleted());
        assertEquals(404, client.download(output).statusCode(), "a deleted task's outputs are purged");
        assertEquals(404, client.get("/v1/tasks/00000000-0000-4000-8000-000000000000").statusCode());
    }

    @Test
    void outputLink_servesAPngWhoseSha256TheSimulatorKnows_andIsFreshOnEveryGet() throws Exception {
        start();
        String id = createTask(IMAGE);
        URI url = finishedOutput(id);
        HttpResponse<byte[]> png = client.download(url);
        assertEquals(200, png.statusCode());
        assertEquals("image/png", png.headers().firstValue("Content-Type").orElseThrow());
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png.body(), 4));
        assertEquals(sha256(png.body()), sim.outputSha256(url));
        assertEquals(sha256(png.body()), sim.outputSha256(id, 0));
        URI again = URI.create(getTask(id).path("output").get(0).asText());
        assertNotEquals(url, again);
        HttpResponse<String> viaAdmin = client.get("/_sim/tasks/" + id + "/outputs/0/sha256");
        assertEquals(sha256(png.body()), json(viaAdmin).path("sha256").asText());
        assertEquals(png.body().length, json(viaAdmin).path("size").asLong());
    }

    @Test
    void headOnAnOutputLink_announcesTypeAndLength_withoutABody() throws Exception {
        start();
        String id = createTask(IMAGE);
        URI url = finishedOutput(id);
        HttpResponse<String> head = client.send(HttpRequest.newBuilder(url).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, head.statusCode());
        assertEquals("image/png", head.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(sim.task(id).orElseThrow().outputs().getFirst().size(), head.headers().firstValueAsLong("Content-Length").orElseThrow());
        assertEquals("", head.body());
    }

    @Test
    void outputLink_gets403_whenExpiredOrTampered() throws Exception {
        start(SimulatorConfig.builder().outputUrlTtl(Duration.ofMinutes(10)));
        String id = createTask(IMAGE);
        URI url = finishedOutput(id);
        String tampered = url.toString().replaceFirst("/0/output", "/1/output");
        HttpResponse<byte[]> forged = client.download(URI.create(tampered));
        assertEquals(403, forged.statusCode());
        assertTrue(new String(forged.body(), StandardCharsets.UTF_8).contains("signature is invalid"));
        String badSig = url.toString().replaceFirst("sig=.", "sig=A");
        assertEquals(403, client.download(URI.create(badSig)).statusCode());
        clock.advance(Duration.ofMinutes(11));
        HttpResponse<byte[]> expired = client.download(url);
        assertEquals(403, expired.statusCode());
        assertTrue(new String(expired.body(), StandardCharsets.UTF_8).contains("expired"));
    }

    @Test
    void videoAndAudioOutputs_carryTheirContentTypes() throws Exception {
        start();
        String video = createTask("{\"model\":\"gen4.5\",\"promptText\":\"waves\",\"ratio\":\"1280:720\",\"duration\":2}");
        String audio = createTask("{\"model\":\"eleven_text_to_sound_v2\",\"promptText\":\"rain\",\"duration\":1}");
        URI v = finishedOutput(video);
        URI a = URI.create(getTask(audio).path("output").get(0).asText());
        HttpResponse<byte[]> mp4 = client.download(v);
        assertEquals("video/mp4", mp4.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("ftyp", new String(mp4.body(), 4, 4, StandardCharsets.US_ASCII));
        assertTrue(v.getPath().endsWith(".mp4"));
        HttpResponse<byte[]> wav = client.download(a);
        assertEquals("audio/wav", wav.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("RIFF", new String(wav.body(), 0, 4, StandardCharsets.US_ASCII));
        assertEquals(44 + 32_000, wav.body().length);
    }

    @Test
    void severalOutputs_whenTheRequestAsksForThem() throws Exception {
        start();
        String id = createTask("{\"model\":\"seedream5_lite\",\"promptText\":\"x\",\"ratio\":\"1024:1024\",\"outputCount\":3}");
        clock.advance(Duration.ofSeconds(10));
        assertEquals(3, getTask(id).path("output").size());
        assertNotEquals(sim.outputSha256(id, 0), sim.outputSha256(id, 1));
    }

    @Test
    void upload_flowsFromSlotToSignedPostToUsableRunwayUri() throws Exception {
        start();
        JsonNode slot = json(client.post("/v1/uploads", "{\"filename\":\"cat.png\",\"type\":\"ephemeral\"}"));
        assertTrue(slot.path("runwayUri").asText().startsWith("runway://"));
        URI uploadUrl = URI.create(slot.path("uploadUrl").asText());
        HttpResponse<String> stored = storageUpload(uploadUrl, slot.path("fields"), new byte[2048], null);
        assertEquals(204, stored.statusCode(), stored.body());
        String body = "{\"model\":\"gen4_turbo\",\"promptImage\":\"" + slot.path("runwayUri").asText() + "\",\"ratio\":\"1280:720\"}";
        assertEquals(200, client.post("/v1/image_to_video", body).statusCode());
    }

    @Test
    void upload_gets403_whenTheSignatureIsTampered_andTheUriStaysUnusable() throws Exception {
        start();
        JsonNode slot = json(client.post("/v1/uploads", "{\"filename\":\"cat.png\",\"type\":\"ephemeral\"}"));
        HttpResponse<String> r = storageUpload(URI.create(slot.path("uploadUrl").asText()), slot.path("fields"), new byte[2048],
                Map.of("x-sim-signature", "forged"));
        assertEquals(403, r.statusCode());
        assertTrue(r.body().contains("signature"));
        HttpResponse<String> use = client.post("/v1/image_to_video",
                "{\"model\":\"gen4_turbo\",\"promptImage\":\"" + slot.path("runwayUri").asText() + "\",\"ratio\":\"1280:720\"}");
        assertEquals(400, use.statusCode());
        assertEquals("invalid_runway_uri", json(use).path("issues").get(0).path("code").asText());
        assertTrue(json(use).path("issues").get(0).path("message").asText().contains("No file was uploaded"));
    }

    @Test
    void upload_gets400_whenTheFileIsTooSmall_orTheFilenameHasNoMediaExtension() throws Exception {
        start();
        JsonNode slot = json(client.post("/v1/uploads", "{\"filename\":\"cat.png\",\"type\":\"ephemeral\"}"));
        HttpResponse<String> small = storageUpload(URI.create(slot.path("uploadUrl").asText()), slot.path("fields"), new byte[10], null);
        assertEquals(400, small.statusCode());
        assertTrue(small.body().contains("at least 512 bytes"));
        HttpResponse<String> badName = client.post("/v1/uploads", "{\"filename\":\"notes.txt\",\"type\":\"permanent\"}");
        assertEquals(400, badName.statusCode());
        JsonNode issues = json(badName).path("issues");
        assertEquals(2, issues.size());
        assertEquals("[\"filename\"]", issues.get(0).path("path").toString());
        assertEquals("[\"type\"]", issues.get(1).path("path").toString());
    }

    @Test
    void runwayUri_gets400_whenExpiredOrUnknown() throws Exception {
        start();
        JsonNode slot = json(client.post("/v1/uploads", "{\"filename\":\"cat.png\",\"type\":\"ephemeral\"}"));
        storageUpload(URI.create(slot.path("uploadUrl").asText()), slot.path("fields"), new byte[1024], null);
        clock.advance(Duration.ofHours(24).plusSeconds(1));
        HttpResponse<String> expired = client.post("/v1/image_to_video",
                "{\"model\":\"gen4_turbo\",\"promptImage\":\"" + slot.path("runwayUri").asText() + "\",\"ratio\":\"1280:720\"}");
        assertEquals(400, expired.statusCode());
        assertTrue(json(expired).path("issues").get(0).path("message").asText().contains("expired"));
        assertEquals("[\"promptImage\"]", json(expired).path("issues").get(0).path("path").toString());
        HttpResponse<String> unknown = client.post("/v1/image_to_video",
                "{\"model\":\"gen4_turbo\",\"promptImage\":\"runway://ephemeral/nope\",\"ratio\":\"1280:720\"}");
        assertEquals(400, unknown.statusCode());
        assertTrue(json(unknown).path("error").asText().contains("does not name an upload"));
    }

    @Test
    void uploadPolicy_gets403_afterItsWindowCloses() throws Exception {
        start();
        JsonNode slot = json(client.post("/v1/uploads", "{\"filename\":\"clip.mp4\",\"type\":\"ephemeral\"}"));
        clock.advance(UploadBook.STORAGE_WINDOW.plusSeconds(1));
        HttpResponse<String> r = storageUpload(URI.create(slot.path("uploadUrl").asText()), slot.path("fields"), new byte[1024], null);
        assertEquals(403, r.statusCode());
        assertTrue(r.body().contains("expired"));
    }

    @Test
    void organization_reportsBalanceLimitsAndDailyGenerations() throws Exception {
        start(SimulatorConfig.builder().creditBalance(1000).modelLimit("gen4.5", new ModelLimits(null, 3)));
        createTask(IMAGE);
        createTask(IMAGE);
        JsonNode org = json(client.get("/v1/organization"));
        assertEquals(990, org.path("creditBalance").asLong());
        assertEquals(5, org.path("tier").path("models").path("gen4_image").path("maxConcurrentGenerations").asInt());
        assertEquals(1000, org.path("tier").path("models").path("gen4_image").path("maxDailyGenerations").asInt());
        assertTrue(org.path("tier").path("models").path("gen4.5").path("maxConcurrentGenerations").isNull());
        assertEquals(2, org.path("usage").path("models").path("gen4_image").path("dailyGenerations").asInt());
        assertEquals(0, org.path("usage").path("models").path("gen4.5").path("dailyGenerations").asInt());
    }

    @Test
    void usage_listsCreditsPerDayAndModel_andRejectsBadDates() throws Exception {
        start();
        createTask(IMAGE);
        JsonNode usage = json(client.post("/v1/organization/usage", "{\"startDate\":\"2026-09-30\",\"beforeDate\":\"2026-10-02\"}"));
        assertEquals("[\"gen4_image\"]", usage.path("models").toString());
        assertEquals(2, usage.path("results").size());
        JsonNode day = usage.path("results").get(1);
        assertEquals("2026-10-01", day.path("date").asText());
        assertEquals("{\"model\":\"gen4_image\",\"amount\":5}", day.path("usedCredits").get(0).toString());
        assertEquals(200, client.send(client.request("/v1/organization/usage").POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode());
        HttpResponse<String> bad = client.post("/v1/organization/usage", "{\"startDate\":\"2026-01-01\",\"beforeDate\":\"2026-12-01\"}");
        assertEquals(400, bad.statusCode());
        assertTrue(json(bad).path("error").asText().contains("90 days"));
    }

    @Test
    void create_gets429_whenTheDailyLimitIsReached() throws Exception {
        start(SimulatorConfig.builder().modelLimit("gen4_image", new ModelLimits(null, 1)));
        createTask(IMAGE);
        HttpResponse<String> r = client.post("/v1/text_to_image", IMAGE);
        assertEquals(429, r.statusCode());
        assertEquals("{\"error\":\"Your daily task limit has been reached.\"}", r.body());
        assertEquals(1, sim.createdTaskCount());
    }

    @Test
    void statusFault_answersWithItsHeaders_withoutCreatingATask() throws Exception {
        start();
        sim.injectNext("POST", "/v1/text_to_image", Fault.status(429, Map.of("retry-after-ms", "250")));
        HttpResponse<String> r = client.post("/v1/text_to_image", IMAGE);
        assertEquals(429, r.statusCode());
        assertEquals("250", r.headers().firstValue("retry-after-ms").orElseThrow());
        assertEquals(0, sim.createdTaskCount());
        assertEquals(200, client.post("/v1/text_to_image", IMAGE).statusCode(), "the fault is one-shot");
        assertEquals(1, sim.createdTaskCount());
    }

    @Test
    void queuedFaults_matchAnyMethodWithStar_inTheOrderAdded() throws Exception {
        start();
        sim.injectNext("*", "/v1/organization", Fault.status(503));
        sim.injectNext("GET", "/v1/organization", Fault.status(502));
        sim.injectNext("GET", "/v1/tasks/", Fault.status(500));
        assertEquals(503, client.get("/v1/organization").statusCode());
        assertEquals(502, client.get("/v1/organization").statusCode());
        assertEquals(200, client.get("/v1/organization").statusCode());
        assertEquals(500, client.get("/v1/tasks/x").statusCode());
    }

    @Test
    void storagePost_gets404_forAnUnknownSlot() throws Exception {
        start();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(sim.baseUri().resolve("/_uploads/nope"))
                .header("Content-Type", "multipart/form-data; boundary=x").POST(HttpRequest.BodyPublishers.ofString("--x--\r\n")).build());
        assertEquals(404, r.statusCode());
    }

    @Test
    void resetBeforeProcessing_dropsTheConnection_andCreatesNothing() throws Exception {
        start();
        sim.injectNext("POST", "/v1/", Fault.resetBeforeProcessing());
        assertThrows(IOException.class, () -> client.post("/v1/text_to_image", IMAGE));
        assertEquals(0, sim.createdTaskCount());
        assertEquals(1, sim.requestCount("POST", "/v1/text_to_image"));
        assertEquals(0, sim.requestLog().getFirst().status());
    }

    @Test
    void resetAfterRequest_dropsTheConnection_afterReallyCreatingTheTask() throws Exception {
        start();
        sim.injectNext("POST", "/v1/text_to_image", Fault.resetAfterRequest());
        assertThrows(IOException.class, () -> client.post("/v1/text_to_image", IMAGE));
        assertEquals(1, sim.createdTaskCount());
    }

    @Test
    void delayFault_holdsTheResponse() throws Exception {
        List<Duration> holds = new CopyOnWriteArrayList<>();
        start(SimulatorConfig.builder().sleeper(holds::add));
        sim.injectNext("GET", "/v1/organization", Fault.delay(Duration.ofMillis(400)));
        assertEquals(200, client.get("/v1/organization").statusCode());
        // The hold asked of the sleeper, not a measured one (the default sleeper is Thread::sleep).
        assertEquals(List.of(Duration.ofMillis(400)), holds);
    }

    @Test
    void truncateFault_sendsFewerBytesThanAnnounced_thenCloses() throws Exception {
        start();
        String id = createTask(IMAGE);
        URI url = finishedOutput(id);
        long size = sim.task(id).orElseThrow().outputs().getFirst().size();
        sim.injectNext("GET", "/_outputs/", Fault.truncate(100));
        HttpResponse<InputStream> r = client.http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(String.valueOf(size), r.headers().firstValue("Content-Length").orElseThrow());
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        assertThrows(IOException.class, () -> {
            try (InputStream in = r.body()) {
                in.transferTo(got);
            }
        });
        assertEquals(100, got.size());
    }

    @Test
    void randomFaultRates_hitApiRequests() throws Exception {
        start(SimulatorConfig.builder().rate5xx(1.0));
        int status = client.get("/v1/organization").statusCode();
        assertTrue(status == 500 || status == 502 || status == 503, "status " + status);
        sim.close();
        start(SimulatorConfig.builder().rate429(1.0));
        assertEquals(429, client.get("/v1/organization").statusCode());
        sim.close();
        start(SimulatorConfig.builder().resetRate(1.0));
        assertThrows(IOException.class, () -> client.post("/v1/text_to_image", IMAGE));
        assertEquals(0, sim.createdTaskCount());
    }

    @Test
    void resetAfterRate_createsTheTaskThenDropsTheAnswer() throws Exception {
        start(SimulatorConfig.builder().resetAfterRate(1.0));
        assertThrows(IOException.class, () -> client.post("/v1/text_to_image", IMAGE));
        assertEquals(1, sim.createdTaskCount());
        assertEquals(1, sim.createdTaskIds().size());
        assertTrue(sim.task(sim.createdTaskIds().getFirst()).isPresent());
    }

    @Test
    void slowRate_stillAnswers_whenEveryRequestIsSlow() throws Exception {
        start(SimulatorConfig.builder().slowRate(1.0).slowDuration(Duration.ofMillis(1)));
        assertEquals(200, client.get("/v1/organization").statusCode());
    }

    @Test
    void truncateRate_cutsDownloadsInHalf() throws Exception {
        start(SimulatorConfig.builder().truncateRate(1.0));
        String id = createTask(IMAGE);
        URI url = finishedOutput(id);
        assertThrows(IOException.class, () -> client.download(url));
    }

    @Test
    void latencySetting_delaysEveryResponse() throws Exception {
        List<Duration> holds = new CopyOnWriteArrayList<>();
        start(SimulatorConfig.builder().latency(Duration.ofMillis(300)).sleeper(holds::add));
        client.get("/v1/organization");
        client.get("/v1/organization");
        assertEquals(List.of(Duration.ofMillis(300), Duration.ofMillis(300)), holds);
    }

    @Test
    void requestLog_recordsMethodPathAndStatus() throws Exception {
        start();
        client.get("/v1/organization");
        client.get("/v1/tasks/nope");
        List<RecordedRequest> log = sim.requestLog();
        assertEquals(2, log.size());
        assertEquals(new RecordedRequest("GET", "/v1/organization", 200, clock.instant()), log.get(0));
        assertEquals(404, log.get(1).status());
        assertEquals(1, sim.requestCount("GET", "/v1/tasks/"));
        assertEquals(2, sim.requestCount("*", "/v1/"));
    }

    /** Posts the form the way a storage POST is made: the given fields (with overrides), then the file. */
    private HttpResponse<String> storageUpload(URI url, JsonNode fields, byte[] file, Map<String, String> overrides) throws Exception {
        String boundary = "simtest" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<String, JsonNode> f : fields.properties()) {
            String value = overrides != null && overrides.containsKey(f.getKey()) ? overrides.get(f.getKey()) : f.getValue().asText();
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey() + "\"\r\n\r\n" + value + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cat.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(file);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        // No Authorization header: the storage POST is authorised by its signed fields alone.
        return client.send(HttpRequest.newBuilder(url).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
    }

    private static String sha256(byte[] data) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
