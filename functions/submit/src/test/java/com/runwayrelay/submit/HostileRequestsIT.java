package com.runwayrelay.submit;

import static com.runwayrelay.submit.Fixtures.FIXTURE_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.aws.dynamodb.DynamoDbAppRepository;
import com.runwayrelay.domain.app.ApiKeys;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.media.HostResolver;
import com.runwayrelay.simulator.RunwaySimulator;
import com.runwayrelay.simulator.SimulatorConfig;
import com.runwayrelay.testkit.aws.AwsEmulators;
import com.runwayrelay.testkit.aws.WithAwsEmulators;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every case of the hostile-request corpus ({@code src/test/resources/hostile/corpus.jsonl}, format
 * in {@link HostileRequests}) against the real {@link SubmitHandler}, wired from an environment
 * map as Lambda wires it, with the settings {@code template.yaml} deploys by default (its
 * {@code MediaHostAllowlist} and {@code UnknownModelPolicy} defaults), DynamoDB Local, and the
 * Runway simulator. Host names resolve through the corpus's fake DNS ({@code hostile/dns.json}).
 *
 * <p>Each case must get its specific 4xx and problem; afterwards the simulator must have seen no
 * request at all and the table must hold nothing but the app: no task, no idempotency claim, no
 * budget reservation or slot.
 */
@WithAwsEmulators
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileRequestsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path TEMPLATE = Path.of("..", "..", "template.yaml");

    private final AwsEmulators aws;
    private RunwaySimulator sim;
    private SubmitHandler handler;
    private HostileRequests corpus;

    HostileRequestsIT(AwsEmulators aws) {
        this.aws = aws;
    }

    @BeforeAll
    void start() throws Exception {
        aws.resetData();
        corpus = HostileRequests.load();
        sim = RunwaySimulator.start(SimulatorConfig.builder().build());
        Map<String, String> env = new HashMap<>(aws.environment());
        env.put("RUNWAY_API_BASE_URL", sim.baseUri().toString());
        env.put("RUNWAYML_API_SECRET", sim.apiKey());
        env.put("RELAY_MEDIA_HOST_ALLOWLIST", templateDefault("MediaHostAllowlist"));
        env.put("RELAY_UNKNOWN_MODEL_POLICY", templateDefault("UnknownModelPolicy"));
        handler = new SubmitHandler(SubmitFunction.fromEnvironment(env, resolver(corpus.dns())));
        new DynamoDbAppRepository(aws.dynamoDb(), aws.tableName()).create(
                App.builder("app_fixture", "app_fixture", Instant.now()).dailyCreditBudget(100_000).maxActiveTasks(50)
                        .build(), ApiKeys.hash(FIXTURE_KEY));
    }

    @AfterAll
    void stop() {
        sim.close();
    }

    /** A parameter's {@code Default:} in template.yaml (quoted or not). */
    private static String templateDefault(String parameter) throws IOException {
        Matcher matcher = Pattern.compile("(?m)^  " + Pattern.quote(parameter) + ":\\n(?:    .*\\n)*?    Default: (.*)$")
                .matcher(Files.readString(TEMPLATE));
        assertTrue(matcher.find(), "template.yaml has no default for " + parameter);
        String value = matcher.group(1).strip();
        return value.startsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }

    private static HostResolver resolver(Map<String, List<String>> dns) {
        return host -> {
            List<String> answers = dns.get(host);
            if (answers == null) {
                throw new UnknownHostException(host);
            }
            List<InetAddress> addresses = new ArrayList<>();
            for (String answer : answers) {
                addresses.add(InetAddress.getByName(answer));
            }
            return addresses;
        };
    }

    @Test
    void usesTheDeployedDefaults_anEmptyMediaAllowlistAndRejectingUnknownModels() throws IOException {
        assertEquals("", templateDefault("MediaHostAllowlist"));
        assertEquals("reject", templateDefault("UnknownModelPolicy"));
    }

    @Test
    void corpusHasAtLeast300Cases_inEveryCategory() {
        assertTrue(corpus.cases().size() >= 300, "only " + corpus.cases().size() + " cases");
        Set<String> categories = new TreeSet<>();
        corpus.cases().forEach(c -> categories.add(c.category()));
        assertEquals(HostileRequests.CATEGORIES, categories);
        assertEquals(corpus.cases().size(), corpus.cases().stream().map(HostileRequests.Case::id).distinct().count(),
                "case ids are unique");
    }

    @Test
    void rejectsEveryCase_withItsSpecificProblem_andNeverCallsRunwayOrWritesAnything() throws Exception {
        Set<String> itemsBefore = tableItems();
        int runwayRequestsBefore = sim.requestLog().size();
        List<String> failures = new ArrayList<>();
        for (HostileRequests.Case c : corpus.cases()) {
            APIGatewayV2HTTPResponse response = handler.handleRequest(event(c), null);
            String mismatch = c.mismatch(response.getStatusCode(), response.getHeaders().get("content-type"),
                    parse(response.getBody()));
            if (mismatch != null) {
                failures.add(c.id() + " (" + c.description() + "): " + mismatch);
            }
        }
        assertEquals(List.of(), failures, failures.size() + " of " + corpus.cases().size() + " cases");
        assertEquals(runwayRequestsBefore, sim.requestLog().size(), "requests reached Runway: " + sim.requestLog());
        assertEquals(itemsBefore, tableItems(), "something was written to the table");
        assertTrue(itemsBefore.stream().allMatch(pk -> pk.startsWith("app#") || pk.startsWith("apps ")
                || pk.startsWith("key#")), "only the app is stored: " + itemsBefore);
    }

    /** Every item's partition key: tasks ({@code task#}), idempotency claims ({@code idem#}), usage and slots would show. */
    private Set<String> tableItems() {
        Set<String> keys = new TreeSet<>();
        aws.dynamoDb().scanPaginator(r -> r.tableName(aws.tableName())).items()
                .forEach(item -> keys.add(item.get("pk").s() + " " + (item.containsKey("sk") ? item.get("sk").s() : "")));
        return keys;
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static APIGatewayV2HTTPEvent event(HostileRequests.Case c) {
        APIGatewayV2HTTPEvent event = Fixtures.event("apigw-text-to-image");
        String route = c.method() + " " + c.path();
        event.setRouteKey(route);
        event.setRawPath(c.path());
        event.getRequestContext().setRouteKey(route);
        event.getRequestContext().getHttp().setPath(c.path());
        // A key on every case, so a claim left behind would show in the table.
        event.getHeaders().put("idempotency-key", "hostile-" + c.id());
        event.getHeaders().putAll(c.headers());
        event.setBody(c.body());
        event.setIsBase64Encoded(c.base64());
        return event;
    }
}
