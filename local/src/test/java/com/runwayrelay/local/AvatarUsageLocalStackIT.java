package com.runwayrelay.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.aws.dynamodb.DynamoDbOwnershipStore;
import com.runwayrelay.aws.gateway.DynamoDbUsageLedger;
import com.runwayrelay.domain.gateway.UsageLedger;
import com.runwayrelay.domain.owned.Ownership;
import com.runwayrelay.domain.owned.ResourceKind;
import com.runwayrelay.simulator.RunwaySimulator;
import com.runwayrelay.testkit.node.OfficialNodeSdk;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance (issue #18, {@code GET /v1/avatar_usage} and the settlement of unread sessions): the
 * official Node SDK against the local stack (template routes, the status function, the scheduled
 * poller, DynamoDB Local and the simulator, whose sessions are the whole organization's), with two
 * apps. A opens two sessions of at most 10 s, B one. The simulator completes A's first after 12.5 s and
 * B's after 40 s; nobody reads A's, and the poller's settlement pass settles it (13 credits) once its
 * 10 s have passed (or a minute later, should the pass have looked before the test ended it). Then {@code avatars.getUsage} answers A with its two sessions and 12.5 s alone, and
 * B with its one and 40 s; a missing date, a 120-day range and an end before the start are
 * {@code BadRequestError}.
 */
class AvatarUsageLocalStackIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path temp;
    private OfficialNodeSdk sdk;

    @BeforeEach
    void installSdk() throws Exception {
        sdk = OfficialNodeSdk.install();
    }

    @Test
    void eachAppsUsageIsItsOwn_andAnEndedSessionNobodyReadIsSettledByThePoller() throws Exception {
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        JsonNode created;
        JsonNode usage;
        long usedA;
        long sessionReads;
        Ownership settled;
        try (LocalStack stack = LocalStack.start(SdkStackFixture.plain(temp), SdkStackFixture.logInto(logged))) {
            String keyB = SdkStackFixture.createApp(SdkStackFixture.apps(stack), "usage-b", 1000L);
            SdkStackFixture.writeScriptState("usage-state.json", JSON.createObjectNode().put("keyB", keyB));
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            created = JSON.readTree(sdk.run("stack-avatar-usage.mjs", stack.apiUrl(), stack.devApp().key(),
                    Map.of("PHASE", "create")));
            assertTrue(created.path("ok").asBoolean(), created + "\n" + logged);
            String unread = created.path("checks").path("created").path("mine").get(0).asText();
            String theirs = created.path("checks").path("created").path("theirs").get(0).asText();
            RunwaySimulator simulator = stack.simulator().orElseThrow();
            simulator.completeRealtimeSession(unread, 12.5);
            simulator.completeRealtimeSession(theirs, 40);

            DynamoDbOwnershipStore records = new DynamoDbOwnershipStore(stack.aws().dynamoDb(), stack.aws().tableName());
            // The poller runs every couple of seconds; the session's first check is due 10 s after its create.
            Instant deadline = Instant.now().plusSeconds(180);
            while (records.find(ResourceKind.REALTIME_SESSIONS, unread).orElseThrow().charge() != null) {
                assertTrue(Instant.now().isBefore(deadline), "the poller never settled the unread session\n" + logged);
                // A pause between reads, not a bound: a busy loop of DynamoDB reads took the CPU the poller needs.
                Thread.sleep(100);
            }
            settled = records.find(ResourceKind.REALTIME_SESSIONS, unread).orElseThrow();
            sessionReads = simulator.requestCount("GET", "/v1/realtime_sessions/" + unread);
            UsageLedger ledger = new DynamoDbUsageLedger(stack.aws().dynamoDb(), stack.aws().tableName());
            usedA = ledger.usage(stack.devApp().appId(), today.minusDays(1), today.plusDays(1)).stream()
                    .mapToLong(UsageLedger.DailyUsage::usedCredits).sum();

            usage = JSON.readTree(sdk.run("stack-avatar-usage.mjs", stack.apiUrl(), stack.devApp().key(),
                    Map.of("PHASE", "usage")));
            assertTrue(usage.path("ok").asBoolean(), usage + "\n" + logged);
        }
        assertNull(settled.charge());
        assertEquals(12.5, settled.measuredSeconds());
        assertTrue(sessionReads >= 1, "the poller read the session at Runway; the app never did");
        assertEquals(13 + 10, usedA, "13 started seconds settled by the poller; the other session's 10 s still reserved");

        JsonNode checks = usage.path("checks");
        JsonNode a = checks.path("usageA");
        assertEquals(2, a.path("totalSessions").asInt(), a.toString());
        assertEquals(12.5, a.path("totalSeconds").asDouble(), a.toString());
        assertEquals(12.5, a.path("avgDurationSeconds").asDouble(), a.toString());
        assertEquals(3, a.path("byDay").size(), "yesterday, today, tomorrow: " + a);
        assertEquals(2, a.path("byDay").findValues("sessions").stream().mapToInt(JsonNode::asInt).sum());
        JsonNode b = checks.path("usageB");
        assertEquals(1, b.path("totalSessions").asInt(), "B sees none of A's sessions: " + b);
        assertEquals(40, b.path("totalSeconds").asDouble(), b.toString());
        for (String refused : new String[] {"missingEnd", "tooLong", "backwards"}) {
            assertEquals("BadRequestError", checks.path(refused).path("errorClass").asText(), refused);
            assertEquals("urn:runway-relay:problem:invalid-request", checks.path(refused).path("type").asText(), refused);
        }
        assertEquals("[\"query\",\"endDate\"]", checks.path("missingEnd").path("issues").get(0).path("path").toString());
        assertEquals("too_big", checks.path("tooLong").path("issues").get(0).path("code").asText());
    }
}
