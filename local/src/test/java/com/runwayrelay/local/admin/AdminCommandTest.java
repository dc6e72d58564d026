package com.runwayrelay.local.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

class AdminCommandTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-03T08:00:00Z"), ZoneOffset.UTC);
    private static final String APP = """
            {"id":"app_01","name":"storyboard","dailyCreditBudget":250,"maxActiveTasks":3,
             "allowedEndpoints":["text_to_image"],"allowedModels":[],"defaultCallbackUrl":null,
             "ambiguousCreates":"fail","disabled":false,"webhookDisabled":false,"keys":1,
             "createdAt":"2026-12-03T08:00:00Z","version":1}""";
    private static final String CREATED = APP.replace("\"version\":1}",
            "\"version\":1,\"key\":\"rr_live_secretkey\",\"webhookSecret\":\"whsec_abc\"}");

    private final FakeAwsServer server = FakeAwsServer.admin("eu-west-1");
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @AfterEach
    void stop() {
        server.close();
    }

    private int run(String group, String... args) {
        return run(server.target(), group, args);
    }

    private int run(AdminTarget target, String group, String... args) {
        out.reset();
        err.reset();
        return AdminCommand.run(group, List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), AdminClient.of(target), CLOCK);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static JsonNode json(String text) throws IOException {
        return JsonView.MAPPER.readTree(text);
    }

    @Test
    void signsEveryRequestForExecuteApi_inTheTargetsRegion_withTheBodyAndQueryCovered() {
        server.answer("POST", "/admin/v1/apps", FakeAwsServer.Answer.json(201, CREATED))
                .answer("GET", "/admin/v1/tasks", FakeAwsServer.Answer.json(200, "{\"data\":[]}"));

        assertEquals(0, run("apps", "create", "--name", "storyboard"), stderr());
        assertEquals(0, run("tasks", "list", "--model", "gen4 image/x", "--state", "ARCHIVED"), stderr());

        assertEquals(2, server.received().size());
        for (FakeAwsServer.Received request : server.received()) {
            assertTrue(request.signatureValid(), "recomputed signature differs for " + request);
            assertTrue(request.credentialScope().matches("AKIDFAKEADMIN/\\d{8}/eu-west-1/execute-api"), request.credentialScope());
        }
        assertTrue(server.received().getFirst().headers().get("authorization").contains("content-type"),
                "the content type is signed: " + server.received().getFirst().headers());
        assertEquals("state=ARCHIVED&model=gen4%20image%2Fx", server.last().rawQuery());
    }

    @Test
    void refusedSignatureExplainsWhatToCheck_andExits1() {
        AdminTarget wrongKeys = server.target(AwsBasicCredentials.create("AKIDFAKEADMIN", "not-the-secret"));

        assertEquals(1, run(wrongKeys, "apps", "list"));

        assertFalse(server.last().signatureValid());
        assertTrue(stderr().contains("refused the request's signature (403"), stderr());
        assertTrue(stderr().contains("a test's credentials"), stderr());
        assertEquals("", stdout());
    }

    @Test
    void createSendsTheFlagsAsTheBody_andPrintsOnlyTheKeyOnStdout() throws IOException {
        server.answer("POST", "/admin/v1/apps", FakeAwsServer.Answer.json(201, CREATED));

        assertEquals(0, run("apps", "create", "--name", "storyboard", "--daily-budget", "250", "--max-active", "3",
                "--endpoints", "text_to_image, image_to_video", "--models=gen4_image", "--callback-url", "https://hooks.example.com/x",
                "--ambiguous-create", "retry-once"), stderr());

        assertEquals("rr_live_secretkey" + System.lineSeparator(), stdout());
        assertEquals(json("""
                {"name":"storyboard","dailyCreditBudget":250,"maxActiveTasks":3,
                 "allowedEndpoints":["text_to_image","image_to_video"],"allowedModels":["gen4_image"],
                 "defaultCallbackUrl":"https://hooks.example.com/x","ambiguousCreates":"retry-once"}"""), json(server.last().body()));
        assertTrue(stderr().contains("Created app app_01 (storyboard)"), stderr());
        assertTrue(stderr().contains("whsec_abc"), stderr());
        assertFalse(stderr().contains("rr_live_secretkey"), "the key goes to stdout only");
    }

    @Test
    void createPrintsTheApisJson_whenJson() throws IOException {
        server.answer("POST", "/admin/v1/apps", FakeAwsServer.Answer.json(201, CREATED));

        assertEquals(0, run("apps", "create", "--name", "storyboard", "--json"));

        assertEquals(json(CREATED), json(stdout()));
        assertEquals(json("{\"name\":\"storyboard\"}"), json(server.last().body()));
    }

    @Test
    void listPrintsAnAlignedTableWithoutSecrets() {
        server.answer("GET", "/admin/v1/apps", FakeAwsServer.Answer.json(200, "{\"data\":[" + APP + ","
                + APP.replace("app_01", "app_0002").replace("storyboard", "s").replace("\"disabled\":false", "\"disabled\":true") + "]}"));

        assertEquals(0, run("apps", "list"));

        List<String> lines = stdout().lines().toList();
        assertEquals(3, lines.size(), stdout());
        assertTrue(lines.get(0).startsWith("ID        NAME        DAILY_BUDGET"), stdout());
        int nameColumn = lines.get(0).indexOf("NAME");
        assertEquals(nameColumn, lines.get(1).indexOf("storyboard"));
        assertEquals(nameColumn, lines.get(2).indexOf("s  "));
        assertTrue(lines.get(1).contains("enabled") && lines.get(2).contains("disabled"), stdout());
        assertTrue(lines.get(1).endsWith("endpoints: text_to_image; models: all"), stdout());
    }

    @Test
    void listSaysHowToStart_whenThereAreNoApps() {
        server.answer("GET", "/admin/v1/apps", FakeAwsServer.Answer.json(200, "{\"data\":[]}"));

        assertEquals(0, run("apps", "list"));

        assertEquals("", stdout());
        assertTrue(stderr().contains("No apps yet"), stderr());
    }

    @Test
    void updateSendsOnlyWhatIsGiven_allClearsAListAndNoneTheCallback() throws IOException {
        server.answer("PATCH", "/admin/v1/apps/app_01", FakeAwsServer.Answer.json(200, APP));

        assertEquals(0, run("apps", "update", "app_01", "--endpoints", "all", "--callback-url", "none", "--max-active", "7"), stderr());

        assertEquals("PATCH", server.last().method());
        assertEquals(json("{\"maxActiveTasks\":7,\"allowedEndpoints\":[],\"defaultCallbackUrl\":null}"), json(server.last().body()));
        assertTrue(stderr().contains("Updated app app_01"), stderr());
    }

    @Test
    void updateSendsAllowUnsafeLatest_andRefusesAnotherWordWithoutACall() throws IOException {
        server.answer("PATCH", "/admin/v1/apps/app_01", FakeAwsServer.Answer.json(200, APP));

        assertEquals(0, run("apps", "update", "app_01", "--unsafe-latest", "allow"), stderr());
        assertEquals(json("{\"allowUnsafeLatest\":true}"), json(server.last().body()));
        int calls = server.received().size();

        assertEquals(2, run("apps", "update", "app_01", "--unsafe-latest", "yes"));
        assertTrue(stderr().contains("--unsafe-latest must be allow or deny"), stderr());
        assertEquals(calls, server.received().size(), "nothing was sent");
    }

    @Test
    void updateSendsRouterConfigs_noneClearsThem_andAllIsRefusedWithoutACall() throws IOException {
        server.answer("PATCH", "/admin/v1/apps/app_01", FakeAwsServer.Answer.json(200, APP));

        assertEquals(0, run("apps", "update", "app_01", "--router-configs", "cheap-video, best_image"), stderr());
        assertEquals(json("{\"allowedRouterConfigs\":[\"cheap-video\",\"best_image\"]}"), json(server.last().body()));
        assertEquals(0, run("apps", "update", "app_01", "--router-configs", "none"), stderr());
        assertEquals(json("{\"allowedRouterConfigs\":[]}"), json(server.last().body()));
        int calls = server.received().size();

        assertEquals(2, run("apps", "update", "app_01", "--router-configs", "all"));
        assertTrue(stderr().contains("--router-configs needs router slugs"), stderr());
        assertEquals(calls, server.received().size(), "nothing was sent");
    }

    @Test
    void rotatePrintsTheNewKey_andSendsTheGrace() throws IOException {
        server.answer("POST", "/admin/v1/apps/app_01/rotate", FakeAwsServer.Answer.json(200, CREATED));

        assertEquals(0, run("apps", "rotate", "app_01", "--grace-hours", "2"));

        assertEquals("rr_live_secretkey", stdout().strip());
        assertEquals(json("{\"graceHours\":2}"), json(server.last().body()));
        assertTrue(stderr().contains("keeps signing for 2 hour(s)"), stderr());

        server.answer("POST", "/admin/v1/apps/app_01/rotate", FakeAwsServer.Answer.json(200, CREATED.replace("\"version\":1,",
                "\"version\":2,\"revokedKeys\":1,\"oldWebhookSecretsSignUntil\":\"2026-12-04T08:00:00Z\",")));
        assertEquals(0, run("apps", "rotate", "app_01"));
        assertEquals(json("{}"), json(server.last().body()));
        assertTrue(stderr().contains("(1 old key(s) revoked at once)"), stderr());
        assertTrue(stderr().contains("keeps signing until 2026-12-04T08:00:00Z"), stderr());
    }

    @Test
    void showDisableEnableAndDelete_callTheirRoutes() {
        server.answer("GET", "/admin/v1/apps/app_01", FakeAwsServer.Answer.json(200, APP))
                .answer("POST", "/admin/v1/apps/app_01/disable", FakeAwsServer.Answer.json(200, APP))
                .answer("POST", "/admin/v1/apps/app_01/enable", FakeAwsServer.Answer.json(200, APP))
                .answer("DELETE", "/admin/v1/apps/app_01", FakeAwsServer.Answer.json(200,
                        "{\"deleted\":{\"app\":\"app_01\",\"keys\":1},\"kept\":{\"tasks\":4,\"archivedOutputs\":3}}"));

        assertEquals(0, run("apps", "show", "app_01"));
        assertTrue(stdout().contains("name:               storyboard"), stdout());
        assertTrue(stdout().contains("allowedEndpoints:   text_to_image"), stdout());
        assertTrue(stdout().contains("defaultCallbackUrl: -"), stdout());

        assertEquals(0, run("apps", "disable", "app_01"));
        assertTrue(stderr().contains("Disabled app app_01"), stderr());
        assertEquals(0, run("apps", "enable", "app_01"));
        assertTrue(stderr().contains("Enabled app app_01"), stderr());

        assertEquals(0, run("apps", "delete", "app_01", "--yes"));
        assertEquals("DELETE", server.last().method());
        assertTrue(stdout().contains("kept:") && stdout().contains("archivedOutputs: 3"), stdout());
    }

    @Test
    void deleteWithoutYes_sendsNothing_andExits2() {
        assertEquals(2, run("apps", "delete", "app_01"));

        assertTrue(stderr().contains("add --yes"), stderr());
        assertTrue(server.received().isEmpty());
    }

    @Test
    void tasksListBuildsTheQueryFromEveryFilter() {
        server.answer("GET", "/admin/v1/tasks", FakeAwsServer.Answer.json(200, "{\"data\":[]}"));

        assertEquals(0, run("tasks", "list", "--app", "app_01", "--state", "FAILED", "--endpoint", "text_to_image",
                "--model", "gen4_image", "--created-after", "2026-12-01", "--created-before", "2026-12-02T10:30:00Z",
                "--limit", "10", "--cursor", "abc+/="));

        assertEquals("appId=app_01&state=FAILED&endpoint=text_to_image&model=gen4_image&createdAfter=2026-12-01T00%3A00%3A00Z"
                + "&createdBefore=2026-12-02T10%3A30%3A00Z&limit=10&cursor=abc%2B%2F%3D", server.last().rawQuery());
        assertTrue(stderr().contains("No tasks match"), stderr());
    }

    @Test
    void tasksListPrintsATable_andTheNextCursor_withoutAll() {
        server.answer("GET", "/admin/v1/tasks", FakeAwsServer.Answer.json(200, """
                {"data":[{"id":"t2","appId":"app_01","endpoint":"image_to_video","model":"gen4_turbo","state":"SUBMITTED",
                          "runwayStatus":"RUNNING","createdAt":"2026-12-03T07:59:00Z","estimatedCredits":50,"actualCredits":null,
                          "failureCode":null},
                         {"id":"t1","appId":"app_01","endpoint":"text_to_image","model":"gen4_image","state":"ARCHIVED",
                          "runwayStatus":"SUCCEEDED","createdAt":"2026-12-03T07:58:00Z","estimatedCredits":8,"actualCredits":8}],
                 "nextCursor":"c2"}"""));

        assertEquals(0, run("tasks", "list"));

        List<String> lines = stdout().lines().toList();
        assertEquals(3, lines.size(), stdout());
        assertTrue(lines.get(0).startsWith("CREATED               ID  APP     ENDPOINT"), stdout());
        assertTrue(lines.get(1).contains("~50"), "an estimate is marked: " + lines.get(1));
        assertTrue(Pattern.compile("ARCHIVED\\s+SUCCEEDED\\s+8\\s+-$").matcher(lines.get(2)).find(), lines.get(2));
        assertTrue(stderr().contains("--cursor c2"), stderr());
        assertEquals(1, server.received().size());
    }

    @Test
    void tasksListAll_followsEveryPage_andPrintsOneJsonList() throws IOException {
        server.answer("GET", "/admin/v1/tasks?limit=1", FakeAwsServer.Answer.json(200, "{\"data\":[{\"id\":\"t3\"}],\"nextCursor\":\"c1\"}"))
                .answer("GET", "/admin/v1/tasks?limit=1&cursor=c1", FakeAwsServer.Answer.json(200, "{\"data\":[{\"id\":\"t2\"}],\"nextCursor\":\"c2\"}"))
                .answer("GET", "/admin/v1/tasks?limit=1&cursor=c2", FakeAwsServer.Answer.json(200, "{\"data\":[{\"id\":\"t1\"}]}"));

        assertEquals(0, run("tasks", "list", "--all", "--limit", "1", "--json"), stderr());

        assertEquals(json("{\"data\":[{\"id\":\"t3\"},{\"id\":\"t2\"},{\"id\":\"t1\"}]}"), json(stdout()));
        assertEquals(List.of("limit=1", "limit=1&cursor=c1", "limit=1&cursor=c2"),
                server.received().stream().map(FakeAwsServer.Received::rawQuery).toList());
    }

    @Test
    void tasksListAll_stopsWhenACursorComesBack() {
        server.answer("GET", "/admin/v1/tasks", FakeAwsServer.Answer.json(200, "{\"data\":[{\"id\":\"t3\"}],\"nextCursor\":\"c1\"}"));

        assertEquals(1, run("tasks", "list", "--all"));

        assertTrue(stderr().contains("cursor c1 twice"), stderr());
        assertEquals(2, server.received().size());
    }

    @Test
    void tasksShowDescribesNestedMembers_andListsOfObjectsAsTables() {
        server.answer("GET", "/admin/v1/tasks/t1", FakeAwsServer.Answer.json(200, """
                {"id":"t1","state":"ARCHIVED","request":{"model":"gen4_image","ratio":"1920:1080"},
                 "attempts":[{"n":1,"outcome":"CREATED","runwayTaskId":"rw-1"},{"n":2,"outcome":"AMBIGUOUS"}],
                 "archive":[{"key":"outputs/t1/0.png","size":1234,"url":"http://s3/x?sig=1"}],
                 "history":[{"state":"ACCEPTED","at":"2026-12-03T07:58:00Z"},{"state":"ARCHIVED","at":"2026-12-03T07:59:00Z"}],
                 "failure":null,"metadata":{}}"""));

        assertEquals(0, run("tasks", "show", "t1"));

        String shown = stdout();
        assertTrue(shown.contains("request:\n  model: gen4_image\n  ratio: 1920:1080".replace("\n", System.lineSeparator())), shown);
        assertTrue(Pattern.compile("attempts:\\R  n  outcome\\s+runwayTaskId\\R  1  CREATED\\s+rw-1\\R  2  AMBIGUOUS").matcher(shown).find(), shown);
        assertTrue(shown.contains("outputs/t1/0.png"), shown);
        assertTrue(shown.contains("failure:  -"), shown);
    }

    @Test
    void tasksCancelAndRedeliver_postToTheirRoutes() {
        server.answer("POST", "/admin/v1/tasks/t1/cancel", FakeAwsServer.Answer.json(200, "{\"id\":\"t1\",\"state\":\"CANCELLED\"}"))
                .answer("POST", "/admin/v1/tasks/t1/redeliver", FakeAwsServer.Answer.json(202, "{\"id\":\"t1\",\"state\":\"ARCHIVED\"}"));

        assertEquals(0, run("tasks", "cancel", "t1"));
        assertTrue(stderr().contains("Cancelled task t1: now CANCELLED"), stderr());
        assertEquals(0, run("tasks", "redeliver", "t1"));
        assertTrue(stderr().contains("being sent again"), stderr());
        assertEquals(2, server.received().size());
    }

    @Test
    void usageDefaultsToTheLastSevenUtcDays_andPrintsDaysAndTotals() {
        server.answer("GET", "/admin/v1/usage", FakeAwsServer.Answer.json(200, """
                {"from":"2026-11-27","to":"2026-12-03",
                 "days":[{"day":"2026-12-03","appId":"app_01","credits":40,"tasks":5,"possibleOrphans":0,
                          "models":{"gen4_image":{"credits":40,"tasks":5}}}],
                 "totals":{"credits":40,"tasks":5,"apps":{"app_01":{"credits":40,"tasks":5}},
                           "models":{"gen4_image":{"credits":40,"tasks":5}}}}"""));

        assertEquals(0, run("usage"));

        assertEquals("from=2026-11-27&to=2026-12-03", server.last().rawQuery());
        String shown = stdout();
        assertTrue(Pattern.compile("2026-12-03\\s+app_01\\s+40\\s+5\\s+0\\s+gen4_image 40/5").matcher(shown).find(), shown);
        assertTrue(shown.contains("Total: 40 credits, 5 tasks"), shown);
        assertTrue(Pattern.compile("MODEL\\s+CREDITS\\s+TASKS\\R gen4_image\\s+40\\s+5".replace(" gen", "gen")).matcher(shown).find(), shown);

        assertEquals(0, run("usage", "--from", "2026-12-01", "--to", "2026-12-02", "--app", "app_01", "--json"));
        assertEquals("from=2026-12-01&to=2026-12-02&appId=app_01", server.last().rawQuery());
        assertTrue(stdout().strip().startsWith("{"), stdout());
    }

    @Test
    void metricsPrintsARowPerSeries_distributionsWithTheirSpread_andNamesTheQuietMetrics() {
        server.answer("GET", "/admin/v1/metrics", FakeAwsServer.Answer.json(200, """
                {"start":"2026-12-02T09:00:00Z","end":"2026-12-03T09:00:00Z","period":3600,"metrics":[
                  {"name":"Submits","unit":"Count","dimensions":["Outcome"],"distribution":false,"series":[
                    {"dimensions":{"Outcome":"accepted"},"sum":4,"count":4,"points":[]},
                    {"dimensions":{"Outcome":"invalid"},"sum":1,"count":1,"points":[]}]},
                  {"name":"RunwayLatency","unit":"Milliseconds","dimensions":["Operation"],"distribution":true,"series":[
                    {"dimensions":{"Operation":"create"},"sum":600.5,"count":2,"max":480.5,"p50":120,"p95":480.123,
                     "points":[]}]},
                  {"name":"PollLag","unit":"Seconds","dimensions":[],"distribution":true,"series":[
                    {"dimensions":{},"sum":3,"count":2,"max":2,"p50":1,"p95":null,"points":[]}]},
                  {"name":"StuckTasks","unit":"Count","dimensions":[],"distribution":true,"series":[]},
                  {"name":"WebhookDeliveries","unit":"Count","dimensions":["Outcome"],"distribution":false,"series":[]}]}"""));

        assertEquals(0, run("metrics"), stderr());

        assertEquals("", server.last().rawQuery() == null ? "" : server.last().rawQuery(), "the API's defaults");
        String shown = stdout();
        assertTrue(shown.startsWith("Metrics 2026-12-02T09:00:00Z to 2026-12-03T09:00:00Z (UTC)"), shown);
        assertTrue(Pattern.compile("METRIC\\s+SERIES\\s+SUM\\s+COUNT\\s+MAX\\s+P50\\s+P95\\s+UNIT").matcher(shown).find(), shown);
        assertTrue(Pattern.compile("Submits\\s+Outcome=accepted\\s+4\\s+4\\s+Count").matcher(shown).find(), shown);
        assertTrue(Pattern.compile("Submits\\s+Outcome=invalid\\s+1\\s+1\\s+Count").matcher(shown).find(), shown);
        assertTrue(Pattern.compile("RunwayLatency\\s+Operation=create\\s+600.5\\s+2\\s+480.5\\s+120\\s+480.12\\s+Milliseconds")
                .matcher(shown).find(), shown);
        assertTrue(Pattern.compile("PollLag\\s+-\\s+3\\s+2\\s+2\\s+1\\s+-\\s+Seconds").matcher(shown).find(), shown);
        assertTrue(shown.strip().endsWith("Nothing recorded: StuckTasks, WebhookDeliveries"), shown);

        assertEquals(0, run("metrics", "--hours", "6", "--period", "300", "--json"));
        assertEquals("hours=6&period=300", server.last().rawQuery());
        assertTrue(stdout().strip().startsWith("{"), stdout());
        assertEquals(2, run("metrics", "extra"));
        assertEquals(2, run("metrics", "--app", "app_01"));
    }

    /** A health report with {@code stuck} stuck tasks (none listed) and the given members after {@code stuckTasks}. */
    private void answerHealth(long stuck, String rest) {
        server.answer("GET", "/admin/v1/health", FakeAwsServer.Answer.json(200, """
                {"asOf":"2026-12-03T09:00:00Z","stuckAfterMinutes":60,"stuckTasks":{"count":%d,"oldest":[]},%s}"""
                .formatted(stuck, rest.strip())));
    }

    @Test
    void healthPrintsALinePerCheck_andExits0_whenNothingIsWrong() throws IOException {
        answerHealth(0, """
                 "queues":{"pollerDeadLetters":0,"streamFailures":null,
                           "notAvailable":{"streamFailures":"an ephemeral local stack records stream failures only in its log"}},
                 "failedChecks":[]""");

        assertEquals(0, run("health"), stderr());

        assertEquals("", server.last().rawQuery() == null ? "" : server.last().rawQuery(), "the API's defaults");
        String shown = stdout();
        assertTrue(shown.startsWith("Health as of 2026-12-03T09:00:00Z"), shown);
        assertTrue(Pattern.compile("CHECK\\s+STATUS\\s+DETAIL").matcher(shown).find(), shown);
        assertTrue(Pattern.compile("stuck tasks\\s+ok\\s+0 not ended, created over 60 min ago").matcher(shown).find(), shown);
        assertTrue(Pattern.compile("poller dead letters\\s+ok\\s+0 waiting").matcher(shown).find(), shown);
        assertTrue(Pattern.compile("stream failures\\s+not checked\\s+an ephemeral local stack records stream failures only in its log")
                .matcher(shown).find(), "a queue the stack lacks is named with the reason, not counted as 0 nor as a problem: " + shown);
        assertTrue(shown.strip().endsWith("Healthy."), shown);
        assertEquals("", stderr());

        assertEquals(0, run("health", "--stuck-after", "15", "--oldest", "3", "--json"));
        assertEquals("stuckAfterMinutes=15&oldest=3", server.last().rawQuery());
        assertEquals(60, json(stdout()).path("stuckAfterMinutes").asLong(), "the API's JSON as it is: " + stdout());
    }

    @Test
    void healthListsTheOldestStuckTasks_andExits3_whenACheckFindsAProblem() throws IOException {
        server.answer("GET", "/admin/v1/health", FakeAwsServer.Answer.json(200, """
                {"asOf":"2026-12-03T09:00:00Z","stuckAfterMinutes":30,
                 "stuckTasks":{"count":5,"oldest":[
                   {"id":"t_old","appId":"app_01","endpoint":"text_to_image","model":"gen4_image","state":"SUBMITTED",
                    "runwayStatus":"RUNNING","createdAt":"2026-12-03T07:00:00Z","updatedAt":null,"estimatedCredits":5,
                    "actualCredits":null,"failureCode":null,"stateReason":null}]},
                 "queues":{"pollerDeadLetters":2,"streamFailures":0}}"""));

        assertEquals(AdminCommand.UNHEALTHY, run("health", "--oldest", "1"));

        String shown = stdout();
        assertTrue(Pattern.compile("stuck tasks\\s+PROBLEM\\s+5 not ended, created over 30 min ago").matcher(shown).find(), shown);
        assertTrue(Pattern.compile("poller dead letters\\s+PROBLEM\\s+2 waiting").matcher(shown).find(), shown);
        assertTrue(Pattern.compile("stream failures\\s+ok\\s+0 waiting").matcher(shown).find(), shown);
        assertTrue(shown.contains("Oldest stuck tasks (1 of 5):"), shown);
        assertTrue(Pattern.compile("2026-12-03T07:00:00Z\\s+t_old\\s+app_01\\s+text_to_image\\s+gen4_image\\s+SUBMITTED\\s+RUNNING")
                .matcher(shown).find(), shown);
        assertTrue(shown.strip().endsWith("Unhealthy: 5 stuck task(s), 2 poller dead letter(s)."), shown);
        assertTrue(stderr().contains("relay health: unhealthy: 5 stuck task(s), 2 poller dead letter(s) (exit 3)"), stderr());

        assertEquals(AdminCommand.UNHEALTHY, run("health", "--json"), "--json keeps the exit status");
        assertEquals(5, json(stdout()).path("stuckTasks").path("count").asLong(), stdout());
    }

    @Test
    void healthShowsAFailedCheckAsUnknown_apartFromAQueueTheStackLacks_andExits1() throws IOException {
        answerHealth(0, """
                 "queues":{"pollerDeadLetters":null,"streamFailures":null,
                           "notAvailable":{"pollerDeadLetters":"could not read https://sqs/dlq: Access denied",
                                           "streamFailures":"an ephemeral local stack records stream failures only in its log"}},
                 "failedChecks":["queues.pollerDeadLetters"]""");

        assertEquals(1, run("health"), "a dead-letter queue never read is not healthy: " + stderr());

        String shown = stdout();
        assertTrue(Pattern.compile("stuck tasks\\s+ok\\s+").matcher(shown).find(), shown);
        assertTrue(Pattern.compile("poller dead letters\\s+UNKNOWN\\s+could not read https://sqs/dlq: Access denied").matcher(shown).find(),
                shown);
        assertTrue(Pattern.compile("stream failures\\s+not checked\\s+an ephemeral local stack").matcher(shown).find(), shown);
        assertFalse(shown.contains("Healthy."), shown);
        assertTrue(shown.strip().endsWith("\nCould not check: poller dead letters."), shown);
        assertEquals("relay health: could not check: poller dead letters (exit 1)", stderr().strip());

        assertEquals(1, run("health", "--json"), "--json keeps the exit status");
        assertEquals("[\"queues.pollerDeadLetters\"]", json(stdout()).path("failedChecks").toString(), "the API's JSON as it is");
    }

    @Test
    void healthExits3_whenACheckFindsAProblem_evenIfAnotherCheckFailed_namingBoth() throws IOException {
        answerHealth(5, """
                 "queues":{"pollerDeadLetters":0,"streamFailures":null,
                           "notAvailable":{"streamFailures":"RELAY_STREAM_FAILURE_QUEUE_URL is not set"}},
                 "failedChecks":["queues.streamFailures","archive"]""");

        assertEquals(AdminCommand.UNHEALTHY, run("health"), "a problem found outranks a check not made: " + stderr());

        String shown = stdout();
        assertTrue(Pattern.compile("stream failures\\s+UNKNOWN\\s+RELAY_STREAM_FAILURE_QUEUE_URL is not set").matcher(shown).find(), shown);
        assertTrue(shown.strip().endsWith("Unhealthy: 5 stuck task(s).\nCould not check: stream failures, archive."),
                "a failed check this CLI has no line for is named as the API names it: " + shown);
        assertEquals(List.of("relay health: unhealthy: 5 stuck task(s) (exit 3)", "relay health: could not check: stream failures, archive"),
                stderr().strip().lines().toList());
        assertEquals(AdminCommand.UNHEALTHY, run("health", "--json"));
    }

    @Test
    void healthShowsEveryUnreadQueueAsNotChecked_forAnApiWithoutFailedChecks() throws IOException {
        answerHealth(0, """
                 "queues":{"pollerDeadLetters":0,"streamFailures":null,
                           "notAvailable":{"streamFailures":"could not read https://sqs/q: Access denied"}}""");

        assertEquals(0, run("health"), "an older API cannot tell a failed read from a missing queue: " + stderr());
        assertTrue(Pattern.compile("stream failures\\s+not checked\\s+could not read https://sqs/q: Access denied").matcher(stdout()).find(),
                stdout());
        assertTrue(stdout().strip().endsWith("Healthy."), stdout());
    }

    @Test
    void health_exits1_whenTheReportCannotBeRead_and2_forABadCommandLine() {
        server.answer("GET", "/admin/v1/health", FakeAwsServer.Answer.json(200, "{\"asOf\":\"2026-12-03T09:00:00Z\"}"));
        assertEquals(1, run("health"));
        assertTrue(stderr().contains("relay health: the API's health report lacks stuckTasks.count or queues"), stderr());

        server.answer("GET", "/admin/v1/health", FakeAwsServer.Answer.problem(400, """
                {"type":"urn:runway-relay:problem:invalid-request","title":"Invalid request","status":400,
                 "detail":"Validation of query failed","issues":[{"code":"too_big","path":["query","oldest"],
                 "message":"query parameter 'oldest' must be a whole number from 0 to 100 (got 500)"}]}"""));
        assertEquals(2, run("health", "--oldest", "500"));
        assertTrue(stderr().contains("query parameter 'oldest' must be a whole number from 0 to 100 (got 500)"), stderr());

        server.answer("GET", "/admin/v1/health", FakeAwsServer.Answer.problem(503,
                "{\"type\":\"urn:runway-relay:problem:unavailable\",\"title\":\"Service unavailable\",\"status\":503}"));
        assertEquals(1, run("health"), "an error answer is a failure to check, not a report of a problem");
        assertTrue(stderr().contains("relay health: the API answered 503 Service unavailable"), stderr());

        int requests = server.received().size();
        assertEquals(2, run("health", "extra"));
        assertEquals(2, run("health", "--app", "app_01"));
        assertTrue(stderr().contains("unknown option --app"), stderr());
        assertEquals(0, run("health", "--help"));
        assertTrue(stderr().contains("usage: ./relay health"), stderr());
        assertEquals(requests, server.received().size(), "no request for a bad command line");
    }

    @Test
    void anUnreachableApi_failsHealthWith1_namingTheTarget() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        AdminTarget nowhere = new AdminTarget(URI.create("http://127.0.0.1:" + port), StaticCredentialsProvider.create(FakeAwsServer.CREDENTIALS),
                "eu-west-1", "nowhere", "hint");

        assertEquals(1, run(nowhere, "health"));

        assertTrue(stderr().contains("relay health: cannot reach the admin API of nowhere at http://127.0.0.1:" + port), stderr());
        assertEquals("", stdout());
    }

    @Test
    void badRequestListsEveryIssue_andExits2() {
        server.answer("POST", "/admin/v1/apps", FakeAwsServer.Answer.problem(400, """
                {"type":"urn:runway-relay:problem:invalid-request","title":"Invalid request","status":400,
                 "detail":"2 problems","issues":[
                   {"code":"out_of_range","path":"/dailyCreditBudget","message":"must be 0 to 10000000"},
                   {"code":"unknown","path":["allowedModels",0],"message":"no model gen99"}]}"""));

        assertEquals(2, run("apps", "create", "--name", "x", "--daily-budget", "99999999999", "--models", "gen99"));

        assertTrue(stderr().contains("the API refused the request (400): 2 problems"), stderr());
        assertTrue(stderr().contains("- /dailyCreditBudget: must be 0 to 10000000 (out_of_range)"), stderr());
        assertTrue(stderr().contains("- allowedModels[0]: no model gen99 (unknown)"), stderr());
        assertEquals("", stdout());
    }

    @Test
    void badQueryIssuesNameTheParameterOnce_besideBodyIssuesWithTheirPath() {
        server.answer("GET", "/admin/v1/metrics", FakeAwsServer.Answer.problem(400, """
                {"type":"urn:runway-relay:problem:invalid-request","title":"Invalid request","status":400,
                 "detail":"Validation of query failed: query parameter 'hours' must be an integer from 1 to 168, got \\"999\\"",
                 "issues":[
                   {"code":"too_big","path":["query","hours"],
                    "message":"query parameter 'hours' must be an integer from 1 to 168, got \\"999\\""},
                   {"code":"unrecognized_keys","path":["query","colour"],"message":"is not a parameter of this route"},
                   {"code":"too_big","path":["name"],"message":"name must be 1 to 100 characters (got 101)"}]}"""));

        assertEquals(2, run("metrics", "--hours", "999"));

        String shown = stderr();
        assertTrue(shown.contains("  - query parameter 'hours' must be an integer from 1 to 168, got \"999\" (too_big)"),
                shown);
        assertFalse(shown.contains("query.hours"), shown);
        assertTrue(shown.contains("  - query parameter 'colour': is not a parameter of this route (unrecognized_keys)"), shown);
        assertTrue(shown.contains("  - name: name must be 1 to 100 characters (got 101) (too_big)"), shown);
    }

    @Test
    void notFoundNamesTheAppOrTask_andExits1() {
        server.answer("GET", "/admin/v1/apps/app_nope", FakeAwsServer.Answer.problem(404,
                        "{\"type\":\"urn:runway-relay:problem:not-found\",\"title\":\"Not found\",\"status\":404}"))
                .answer("GET", "/admin/v1/tasks/t_nope", FakeAwsServer.Answer.problem(404,
                        "{\"type\":\"urn:runway-relay:problem:not-found\",\"title\":\"Not found\",\"status\":404}"));

        assertEquals(1, run("apps", "show", "app_nope"));
        assertTrue(stderr().contains("no such app app_nope"), stderr());
        assertEquals(1, run("tasks", "show", "t_nope"));
        assertTrue(stderr().contains("no such task t_nope"), stderr());
    }

    @Test
    void conflictShowsTheProblemsDetail_andExits1() {
        server.answer("POST", "/admin/v1/tasks/t1/redeliver", FakeAwsServer.Answer.problem(409,
                "{\"type\":\"urn:runway-relay:problem:conflict\",\"title\":\"Conflict\",\"status\":409,\"detail\":\"the task has no callback\"}"));

        assertEquals(1, run("tasks", "redeliver", "t1"));

        assertTrue(stderr().contains("409 Conflict: the task has no callback"), stderr());
    }

    @Test
    void aRouteTheApiDoesNotHave_isReportedAsNoAdminApi() {
        AdminClient.NoAdminApiException e = assertThrows(AdminClient.NoAdminApiException.class, () -> run("apps", "list"));

        assertTrue(e.getMessage().contains("has no route GET /admin/v1/apps"), e.getMessage());
    }

    @Test
    void anUnreachableApiExits1() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        AdminTarget nowhere = new AdminTarget(URI.create("http://127.0.0.1:" + port), StaticCredentialsProvider.create(FakeAwsServer.CREDENTIALS),
                "eu-west-1", "nowhere", "hint");

        assertEquals(1, run(nowhere, "tasks", "list"));

        assertTrue(stderr().contains("cannot reach the admin API of nowhere"), stderr());
    }

    @Test
    void badCommandLinesExit2_withoutARequest() {
        assertEquals(2, run("apps", "create"));
        assertTrue(stderr().contains("--name is required"), stderr());
        assertEquals(2, run("apps", "create", "--name", "x", "--daily-budget", "lots"));
        assertTrue(stderr().contains("whole number"), stderr());
        assertEquals(2, run("apps", "update", "app_01"));
        assertTrue(stderr().contains("at least one of"), stderr());
        assertEquals(2, run("apps", "frobnicate"));
        assertEquals(2, run("apps", "show"));
        assertEquals(2, run("apps", "list", "--colour", "red"));
        assertEquals(2, run("tasks", "list", "--created-after", "yesterday"));
        assertTrue(stderr().contains("--created-after must be an instant"), stderr());
        assertEquals(2, run("tasks", "list", "--json=yes"));
        assertEquals(2, run("usage", "--from", "12/01/2026"));
        assertEquals(2, run("apps"));
        assertEquals(0, run("tasks", "help"));
        assertTrue(stderr().contains("usage: ./relay tasks"), stderr());
        assertEquals(0, run("usage", "--help"));
        assertTrue(server.received().isEmpty(), "no request for a bad command line: " + server.received());
        assertEquals("", stdout());
    }

    @Test
    void answersThatAreNotJsonObjects_failClearly() {
        server.answer("GET", "/admin/v1/apps", new FakeAwsServer.Answer(200, "text/html", "<html>proxy</html>"));

        assertEquals(1, run("apps", "list"));

        assertTrue(stderr().contains("not a JSON object: <html>proxy</html>"), stderr());
    }

    @Test
    void orphansListsOnePageAsATable_andSaysHowToContinue() {
        server.answer("GET", "/admin/v1/orphans/documents", FakeAwsServer.Answer.json(200, """
                {"kind":"documents","examined":2,"data":[
                 {"kind":"documents","id":"d-1","name":"stray","createdAt":"2026-12-01T10:00:00Z","reason":"no-owner"},
                 {"kind":"documents","id":"d-2","name":"left","createdAt":null,"reason":"app-deleted","formerAppId":"app_09"}],
                 "nextCursor":"oc1.abc"}"""));

        assertEquals(0, run("orphans", "documents", "--limit", "2", "--cursor", "oc1.prev"), stderr());

        assertEquals("limit=2&cursor=oc1.prev", server.last().rawQuery());
        assertTrue(stdout().contains("REASON") && stdout().contains("no-owner") && stdout().contains("app_09"), stdout());
        assertTrue(stdout().contains("2 orphan(s) among the 2 documents examined."), stdout());
        assertTrue(stderr().contains("add --cursor oc1.abc"), stderr());
    }

    @Test
    void orphansSaysWhenAPageHasNone_andPrintsTheJsonWhenAsked() throws IOException {
        String page = "{\"kind\":\"voices\",\"examined\":50,\"data\":[]}";
        server.answer("GET", "/admin/v1/orphans/voices", FakeAwsServer.Answer.json(200, page));

        assertEquals(0, run("orphans", "voices"), stderr());
        assertTrue(stdout().contains("No orphans among the 50 voices examined."), stdout());
        assertTrue(!stderr().contains("settling"), stderr());
        assertEquals(0, run("orphans", "voices", "--json"), stderr());
        assertEquals(json(page), json(stdout()));
    }

    @Test
    void orphansSaysHowManyAreSettling_soTheOperatorScansAgainLater() {
        server.answer("GET", "/admin/v1/orphans/documents", FakeAwsServer.Answer.json(200,
                "{\"kind\":\"documents\",\"examined\":3,\"settling\":2,\"data\":[]}"));

        assertEquals(0, run("orphans", "documents"), stderr());

        assertTrue(stdout().contains("No orphans among the 3 documents examined."), stdout());
        assertTrue(stderr().contains("2 of them have no owner yet but were created in the last minutes"), stderr());
    }

    @Test
    void orphansShowTheLikelyAppOfAResourceWithNoOwner() {
        server.answer("GET", "/admin/v1/orphans/voices", FakeAwsServer.Answer.json(200, """
                {"kind":"voices","examined":2,"data":[
                 {"kind":"voices","id":"v-1","name":"calm","createdAt":"2026-12-01T10:00:00Z","reason":"no-owner",
                  "likelyAppId":"app_07","intentStartedAt":"2026-12-01T09:59:58Z"},
                 {"kind":"voices","id":"v-2","name":"loud","createdAt":"2026-12-01T11:00:00Z","reason":"no-owner"}]}"""));

        assertEquals(0, run("orphans", "voices"), stderr());

        assertTrue(stdout().contains("LIKELY_APP") && stdout().contains("app_07 (create started 2026-12-01T09:59:58Z)"),
                stdout());
        assertTrue(stderr().contains("a hint, not proof"), stderr());
    }

    @Test
    void orphansOfConversations_areScannedLikeTheOthers_theirHintNamingTheSessionsApp() {
        server.answer("GET", "/admin/v1/orphans/avatar_conversations", FakeAwsServer.Answer.json(200, """
                {"kind":"avatar_conversations","examined":2,"data":[
                 {"kind":"avatar_conversations","id":"c-1","name":"custom:av-1","createdAt":"2026-12-01T10:00:00Z",
                  "reason":"no-owner","likelyAppId":"app_07","intentStartedAt":"2026-12-01T09:59:58Z"},
                 {"kind":"avatar_conversations","id":"c-2","name":"runway-preset:mina","createdAt":null,
                  "reason":"app-deleted","formerAppId":"app_09"}]}"""));

        assertEquals(0, run("orphans", "avatar_conversations"), stderr());

        assertTrue(stdout().contains("app_07 (session started 2026-12-01T09:59:58Z)") && stdout().contains("app_09"),
                stdout());
        assertTrue(stdout().contains("2 orphan(s) among the 2 avatar_conversations examined."), stdout());
        assertTrue(stderr().contains("the app whose realtime session this conversation is"), stderr());
        assertEquals(0, run("orphans", "--help"));
        assertTrue((stdout() + stderr()).contains("documents, avatars, voices or avatar_conversations"),
                stdout() + stderr());
    }

    @Test
    void orphansAssignSendsTheApp_andDeleteNeedsYes() throws IOException {
        server.answer("POST", "/admin/v1/orphans/avatars/a-1/assign", FakeAwsServer.Answer.json(200,
                        "{\"kind\":\"avatars\",\"id\":\"a-1\",\"appId\":\"app_01\",\"formerAppId\":\"app_09\"}"))
                .answer("DELETE", "/admin/v1/orphans/avatars/a-2", FakeAwsServer.Answer.json(200,
                        "{\"kind\":\"avatars\",\"id\":\"a-2\",\"deleted\":true,\"formerAppId\":null}"));

        assertEquals(0, run("orphans", "assign", "avatars", "a-1", "--app", "app_01"), stderr());
        assertEquals(json("{\"appId\":\"app_01\"}"), json(server.last().body()));
        assertTrue(stderr().contains("Assigned avatars a-1 to app app_01 (it was deleted app app_09's)."), stderr());

        assertEquals(2, run("orphans", "delete", "avatars", "a-2"));
        assertTrue(stderr().contains("add --yes"), stderr());
        assertEquals(1, server.received().size(), "nothing sent without --yes");
        assertEquals(0, run("orphans", "delete", "avatars", "a-2", "--yes"), stderr());
        assertEquals("DELETE", server.last().method());
        assertTrue(stderr().contains("Deleted avatars a-2 at Runway."), stderr());
    }

    @Test
    void orphansRefusalsExitAsTheOtherCommandsDo() {
        server.answer("DELETE", "/admin/v1/orphans/documents/d-1", FakeAwsServer.Answer.problem(409,
                        "{\"type\":\"urn:runway-relay:problem:owned\",\"title\":\"Owned by an app\",\"status\":409,"
                                + "\"detail\":\"App app_01 owns documents d-1\"}"))
                .answer("GET", "/admin/v1/orphans/sessions", FakeAwsServer.Answer.problem(400,
                        "{\"type\":\"urn:runway-relay:problem:invalid-request\",\"status\":400,\"detail\":\"bad kind\","
                                + "\"issues\":[{\"code\":\"invalid_enum_value\",\"path\":[\"path\",\"kind\"],"
                                + "\"message\":\"path parameter 'kind' must be one of documents, avatars, voices, avatar_conversations\"}]}"))
                .answer("POST", "/admin/v1/orphans/documents/d-9/assign", FakeAwsServer.Answer.problem(404,
                        "{\"type\":\"urn:runway-relay:problem:not-found\",\"status\":404,"
                                + "\"detail\":\"Runway has no documents resource with id d-9\"}"));

        assertEquals(1, run("orphans", "delete", "documents", "d-1", "--yes"));
        assertTrue(stderr().contains("409 Owned by an app: App app_01 owns documents d-1"), stderr());
        assertEquals(2, run("orphans", "sessions"));
        assertTrue(stderr().contains("path.kind: path parameter 'kind' must be one of"), stderr());
        assertEquals(1, run("orphans", "assign", "documents", "d-9", "--app", "app_01"));
        assertTrue(stderr().contains("Runway has no documents resource with id d-9"), stderr());
        assertEquals(2, run("orphans", "assign", "documents", "d-9"));
        assertTrue(stderr().contains("--app is required"), stderr());
        assertEquals(2, run("orphans", "assign", "documents"));
        assertTrue(stderr().contains("usage: ./relay orphans assign KIND RUNWAY_ID --app APP_ID"), stderr());
        assertEquals(2, run("orphans", "documents", "--app", "x"));
        assertTrue(stderr().contains("unknown option --app"), stderr());
        assertEquals(2, run("orphans"));
        assertTrue(stderr().contains("usage: ./relay orphans <command>"), stderr());
        assertEquals(0, run("orphans", "--help"));
        assertEquals(3, server.received().size());
    }
}
