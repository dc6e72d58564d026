package com.runwayrelay.local;

import static com.runwayrelay.local.SdkStackFixture.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.domain.admin.AppAdministration;
import com.runwayrelay.testkit.node.OfficialNodeSdk;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance (issue #18, documents): the official Node SDK against the local stack (the template's
 * routes, the status function, DynamoDB Local, the Runway simulator, whose documents are the whole
 * organization's), with two apps. App B gets {@code NotFoundError} for app A's document on retrieve,
 * update and delete, and A's document is unchanged; each app's auto-paginated list (limit 1) holds
 * exactly its own documents in creation order; a cursor of B's is {@code BadRequestError} for A; the
 * owner's update and delete work; a body without {@code content} is {@code BadRequestError} naming it.
 */
class DocumentsLocalStackIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path temp;
    private OfficialNodeSdk sdk;

    @BeforeEach
    void installSdk() throws Exception {
        sdk = OfficialNodeSdk.install();
    }

    @Test
    void anAppsDocumentsAreItsAlone_throughTheOfficialSdk() throws Exception {
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        JsonNode summary;
        try (LocalStack stack = LocalStack.start(SdkStackFixture.plain(temp), SdkStackFixture.logInto(logged))) {
            AppAdministration admin = SdkStackFixture.apps(stack);
            String keyB = SdkStackFixture.createApp(admin, "documents-b", 1000L);
            SdkStackFixture.writeScriptState("documents-keys.json", JSON.createObjectNode().put("keyB", keyB));
            summary = JSON.readTree(sdk.run("stack-documents.mjs", stack.apiUrl(), stack.devApp().key()));
        }
        String access = logged.toString(StandardCharsets.UTF_8);
        assertTrue(summary.path("ok").asBoolean(), summary + "\n" + access);
        JsonNode checks = summary.path("checks");
        List<String> mine = strings(checks.path("created").path("mine"));
        List<String> theirs = strings(checks.path("created").path("theirs"));
        assertEquals(3, mine.size());

        for (String call : List.of("retrieve", "update", "delete")) {
            JsonNode foreign = checks.path("foreign").path(call);
            assertEquals("NotFoundError", foreign.path("errorClass").asText(), call);
            assertEquals("urn:runway-relay:problem:not-found", foreign.path("type").asText(), call);
        }
        assertEquals("FAQ", checks.path("afterForeign").path("name").asText(), "B's update did not reach A's document");
        assertEquals(mine.getFirst(), checks.path("retrieved").path("id").asText());
        assertTrue(checks.path("retrieved").path("content").asText().startsWith("# FAQ"));

        assertEquals(mine, strings(checks.path("listA")), "A's auto-paginated list (limit 1): all its own, oldest first");
        assertEquals(mine.reversed(), strings(checks.path("listADesc")));
        assertEquals(theirs, strings(checks.path("listB")), "B sees none of A's documents");

        assertEquals("BadRequestError", checks.path("foreignCursor").path("errorClass").asText());
        assertEquals("invalid_cursor", checks.path("foreignCursor").path("issues").get(0).path("code").asText());
        assertEquals("FAQ v2", checks.path("updated").path("name").asText());
        assertEquals("NotFoundError", checks.path("deleted").path("errorClass").asText());
        assertEquals(mine.subList(0, 2), strings(checks.path("listAfterDelete")));
        assertEquals("BadRequestError", checks.path("badBody").path("errorClass").asText());
        assertEquals("[\"content\"]", checks.path("badBody").path("issues").get(0).path("path").toString());
    }
}
