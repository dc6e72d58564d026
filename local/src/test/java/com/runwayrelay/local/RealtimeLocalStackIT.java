package com.runwayrelay.local;

import static com.runwayrelay.local.SdkStackFixture.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.aws.gateway.DynamoDbUsageLedger;
import com.runwayrelay.domain.admin.AppAdministration;
import com.runwayrelay.domain.gateway.UsageLedger;
import com.runwayrelay.simulator.RunwaySimulator;
import com.runwayrelay.testkit.node.OfficialNodeSdk;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance (issue #18, realtime sessions and avatar conversations): the official Node SDK against
 * the local stack (template routes, status function, DynamoDB Local, the simulator, whose sessions
 * are the whole organization's), with three apps. App B gets {@code NotFoundError} for app A's
 * session (retrieve, cancel) and conversation (retrieve, delete), each app's auto-paginated
 * conversation list holds exactly its own, and B's use of A's cursor is {@code BadRequestError}. The
 * budget: {@code maxDuration × 1 credit} is reserved per session (the template's default rate), an
 * app whose budget cannot hold the 300 s default gets 402, a session cancelled before it started
 * settles at nothing and one the simulator completes after 12.5 s settles at 13 credits once A reads
 * it, and deleting its conversation changes nothing more. A custom avatar must be the app's own: A
 * gets {@code BadRequestError} ({@code resource_not_found} at {@code avatar.avatarId}) for B's, B
 * opens a session with it, and no refused create reaches the simulator.
 */
class RealtimeLocalStackIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path temp;
    private OfficialNodeSdk sdk;

    @BeforeEach
    void installSdk() throws Exception {
        sdk = OfficialNodeSdk.install();
    }

    @Test
    void anAppsSessionsAndConversationsAreItsAlone_andItsBudgetPaysForWhatRan() throws Exception {
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        JsonNode created;
        JsonNode settled;
        long reserved;
        long afterSettle;
        String completedId;
        try (LocalStack stack = LocalStack.start(SdkStackFixture.plain(temp), SdkStackFixture.logInto(logged))) {
            AppAdministration admin = SdkStackFixture.apps(stack);
            String keyB = SdkStackFixture.createApp(admin, "realtime-b", 1000L);
            String keyPoor = SdkStackFixture.createApp(admin, "realtime-poor", 100L);
            SdkStackFixture.writeScriptState("realtime-state.json",
                    JSON.createObjectNode().put("keyB", keyB).put("keyPoor", keyPoor));
            UsageLedger ledger = new DynamoDbUsageLedger(stack.aws().dynamoDb(), stack.aws().tableName());
            String appA = stack.devApp().appId();

            created = JSON.readTree(sdk.run("stack-realtime.mjs", stack.apiUrl(), stack.devApp().key(),
                    Map.of("PHASE", "create")));
            assertTrue(created.path("ok").asBoolean(), created + "\n" + logged);
            reserved = used(ledger, appA);
            // A's three, B's preset one and B's with its own custom avatar; none of the refused creates.
            assertEquals(5, stack.simulator().orElseThrow().requestCount("POST", "/v1/realtime_sessions"), created.toString());
            completedId = created.path("checks").path("created").path("mine").get(0).asText();
            RunwaySimulator simulator = stack.simulator().orElseThrow();
            simulator.completeRealtimeSession(completedId, 12.5);

            settled = JSON.readTree(sdk.run("stack-realtime.mjs", stack.apiUrl(), stack.devApp().key(),
                    Map.of("PHASE", "settle")));
            assertTrue(settled.path("ok").asBoolean(), settled + "\n" + logged);
            afterSettle = used(ledger, appA);
        }
        JsonNode checks = created.path("checks");
        List<String> mine = strings(checks.path("created").path("mine"));
        List<String> theirs = strings(checks.path("created").path("theirs"));
        assertEquals(3, mine.size());
        assertEquals(mine.getFirst(), checks.path("retrieved").path("id").asText());
        assertTrue(Set.of("NOT_READY", "READY").contains(checks.path("retrieved").path("status").asText()));

        for (String call : List.of("sessionRetrieve", "sessionDelete", "conversationRetrieve", "conversationDelete")) {
            JsonNode foreign = checks.path("foreign").path(call);
            assertEquals("NotFoundError", foreign.path("errorClass").asText(), call);
            assertEquals("urn:runway-relay:problem:not-found", foreign.path("type").asText(), call);
        }
        assertTrue(Set.of("NOT_READY", "READY").contains(checks.path("afterForeign").path("status").asText()),
                "B's cancel did not reach A's session");

        assertEquals(mine.reversed(), strings(checks.path("listA")), "A's conversations, newest first");
        assertEquals(theirs, strings(checks.path("listB")), "B sees none of A's conversations");
        assertEquals("runway-preset", checks.path("firstOfB").path("avatar").path("type").asText());
        assertEquals("BadRequestError", checks.path("foreignCursor").path("errorClass").asText());
        assertEquals("invalid_cursor", checks.path("foreignCursor").path("issues").get(0).path("code").asText());

        assertEquals("BadRequestError", checks.path("badBody").path("errorClass").asText());
        assertEquals("[\"maxDuration\"]", checks.path("badBody").path("issues").get(0).path("path").toString());
        assertEquals("resource_not_found", checks.path("customAvatar").path("issues").get(0).path("code").asText());
        JsonNode foreignAvatar = checks.path("foreignAvatar");
        assertEquals("BadRequestError", foreignAvatar.path("errorClass").asText(), "A used B's avatar");
        assertEquals("resource_not_found", foreignAvatar.path("issues").get(0).path("code").asText());
        assertEquals("[\"avatar\",\"avatarId\"]", foreignAvatar.path("issues").get(0).path("path").toString());
        assertTrue(checks.path("ownAvatarSession").path("id").isTextual(), "B opens a session with its own avatar");
        assertEquals(402, checks.path("overBudget").path("status").asInt());
        assertEquals("urn:runway-relay:problem:budget-exceeded", checks.path("overBudget").path("type").asText());
        assertEquals("CANCELLED", checks.path("cancelled").path("status").asText());

        assertEquals(60 + 60, reserved, "two sessions of 60 s reserved at 1 credit/s; the cancelled one settled at 0");
        JsonNode after = settled.path("checks");
        assertEquals("COMPLETED", after.path("completed").path("status").asText());
        assertEquals(12.5, after.path("completed").path("duration").asDouble());
        assertEquals("ended", after.path("conversation").path("status").asText());
        assertEquals(60, after.path("conversation").path("maxDuration").asInt());
        assertEquals("NotFoundError", after.path("conversationDeleted").path("errorClass").asText());
        assertEquals(completedId, after.path("sessionAfterDelete").path("id").asText());
        assertEquals(mine.subList(1, 3).reversed(), strings(after.path("listAfterDelete")));
        assertEquals(13 + 60, afterSettle, "the completed session settled at 13 started seconds; one still reserved");
    }

    private static long used(UsageLedger ledger, String appId) {
        LocalDate today = LocalDate.now(java.time.ZoneOffset.UTC);
        // Both days, so a run across midnight UTC still sees the reservation's day.
        return ledger.usage(appId, today.minusDays(1), today).stream().mapToLong(UsageLedger.DailyUsage::usedCredits).sum();
    }
}
