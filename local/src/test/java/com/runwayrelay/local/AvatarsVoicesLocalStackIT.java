package com.runwayrelay.local;

import static com.runwayrelay.local.SdkStackFixture.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.domain.admin.AppAdministration;
import com.runwayrelay.simulator.RecordedRequest;
import com.runwayrelay.testkit.node.OfficialNodeSdk;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance (issue #18, avatars and voices): the official Node SDK against the local stack (the
 * template's routes, the status and submit functions, DynamoDB Local, the Runway simulator, whose avatars
 * and voices are the whole organization's), with two apps. Every SDK call of {@code client.avatars}
 * (but {@code getUsage}) and {@code client.voices} works for the owner; app B gets {@code NotFoundError}
 * for A's avatar and voice on retrieve, update and delete; each app's auto-paginated lists hold exactly
 * its own; B cannot name A's voice, document or avatar in its own avatar and avatar-video bodies
 * ({@code BadRequestError}, {@code resource_not_found} at the id's path) and none of those requests
 * reaches Runway; A's own custom avatar and voice make an avatar video; media URIs pass the policy.
 */
class AvatarsVoicesLocalStackIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path temp;
    private OfficialNodeSdk sdk;

    @BeforeEach
    void installSdk() throws Exception {
        sdk = OfficialNodeSdk.install();
    }

    @Test
    void anAppsAvatarsAndVoicesAreItsAlone_throughTheOfficialSdk() throws Exception {
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        JsonNode summary;
        List<RecordedRequest> runway;
        try (LocalStack stack = LocalStack.start(SdkStackFixture.plain(temp), SdkStackFixture.logInto(logged))) {
            AppAdministration admin = SdkStackFixture.apps(stack);
            String keyB = SdkStackFixture.createApp(admin, "avatars-b", 1000L);
            SdkStackFixture.writeScriptState("avatars-voices-keys.json", JSON.createObjectNode().put("keyB", keyB));
            summary = JSON.readTree(sdk.run("stack-avatars-voices.mjs", stack.apiUrl(), stack.devApp().key()));
            runway = stack.simulator().orElseThrow().requestLog();
        }
        String access = logged.toString(StandardCharsets.UTF_8);
        assertTrue(summary.path("ok").asBoolean(), summary + "\n" + access);
        JsonNode checks = summary.path("checks");
        JsonNode ids = checks.path("created");
        String avatarA = ids.path("avatarA").asText();
        String avatarA2 = ids.path("avatarA2").asText();
        String voiceA = ids.path("voiceA").asText();
        assertEquals("PROCESSING", ids.path("avatarStatus").asText());
        assertEquals("custom", ids.path("avatarVoice").path("type").asText());
        assertEquals(voiceA, ids.path("avatarVoice").path("id").asText());
        assertEquals("[\"" + ids.path("documentA").asText() + "\"]", ids.path("avatarDocuments").toString());

        checks.path("foreign").properties().forEach(call -> {
            assertEquals("NotFoundError", call.getValue().path("errorClass").asText(), call.getKey());
            assertEquals("urn:runway-relay:problem:not-found", call.getValue().path("type").asText(), call.getKey());
        });
        assertEquals(6, checks.path("foreign").size());
        assertEquals("Baker", checks.path("afterForeign").path("avatar").asText(), "B's update did not reach A's avatar");
        assertEquals("Narrator", checks.path("afterForeign").path("voice").asText());

        JsonNode references = checks.path("foreignReferences");
        assertEquals(List.of("voice,id"), paths(references.path("avatarVoice")));
        assertEquals(List.of("documentIds,0"), paths(references.path("avatarDocuments")));
        assertEquals(List.of("voice,id"), paths(references.path("avatarUpdateVoice")));
        assertEquals(List.of("avatar,avatarId"), paths(references.path("videoAvatar")));
        assertEquals(List.of("speech,voice,id"), paths(references.path("videoVoice")));
        references.properties().forEach(call -> {
            assertEquals("BadRequestError", call.getValue().path("errorClass").asText(), call.getKey());
            assertEquals("resource_not_found", call.getValue().path("issues").get(0).path("code").asText(), call.getKey());
        });

        JsonNode lists = checks.path("lists");
        assertEquals(List.of(avatarA2, avatarA), strings(lists.path("avatarsA")), "A's avatars, newest first");
        assertEquals(List.of(ids.path("avatarB").asText()), strings(lists.path("avatarsB")));
        assertEquals(List.of(voiceA), strings(lists.path("voicesA")));
        assertEquals(strings(ids.path("voicesB")).reversed(), strings(lists.path("voicesB")));
        assertEquals("invalid_cursor", checks.path("foreignCursor").path("issues").get(0).path("code").asText());

        assertEquals("SUCCEEDED", checks.path("ownVideo").path("status").asText());
        JsonNode owner = checks.path("owner");
        assertEquals("READY", owner.path("ready").asText());
        assertFalse(owner.path("processedImageUri").isNull());
        assertEquals("Head baker", owner.path("renamed").asText());
        assertTrue(owner.path("startScript").isNull());
        assertEquals("READY", owner.path("voiceReady").asText());
        assertEquals("Night narrator", owner.path("voiceRenamed").asText());
        assertTrue(owner.path("voiceDescription").isNull());
        assertTrue(checks.path("preview").path("url").asText().startsWith("http"), checks.path("preview").toString());
        assertTrue(checks.path("preview").path("durationSecs").asDouble() > 0);
        assertEquals("NotFoundError", checks.path("deleted").path("errorClass").asText());
        assertEquals(List.of(avatarA), strings(checks.path("listAfterDelete")));

        JsonNode bad = checks.path("bad");
        assertEquals(List.of("referenceImage"), paths(bad.path("privateImage")));
        assertEquals(List.of("voice,presetId"), paths(bad.path("unknownPreset")));
        assertEquals(List.of("prompt"), paths(bad.path("shortPrompt")));
        assertEquals("host_not_allowed", bad.path("audioHost").path("issues").get(0).path("code").asText());
        assertEquals(List.of("from,audio"), paths(bad.path("audioHost")));

        // Refused requests never reached Runway: three avatar creates (A's two, B's one), three voice creates.
        assertEquals(3, runway.stream().filter(r -> r.method().equals("POST") && r.path().equals("/v1/avatars")).count());
        assertEquals(3, runway.stream().filter(r -> r.method().equals("POST") && r.path().equals("/v1/voices")).count());
        assertEquals(1, runway.stream().filter(r -> r.method().equals("POST") && r.path().equals("/v1/avatar_videos")).count());
        assertEquals(1, runway.stream().filter(r -> r.method().equals("POST") && r.path().equals("/v1/voices/preview")).count());
        assertEquals(0, runway.stream().filter(r -> !r.method().equals("GET") && r.path().contains(ids.path("avatarB").asText()))
                .count(), "B's refused avatar update never reached Runway");
    }

    private static List<String> paths(JsonNode failure) {
        List<String> out = new ArrayList<>();
        failure.path("issues").forEach(i -> {
            List<String> segments = new ArrayList<>();
            i.path("path").forEach(s -> segments.add(s.asText()));
            out.add(String.join(",", segments));
        });
        return out;
    }
}
