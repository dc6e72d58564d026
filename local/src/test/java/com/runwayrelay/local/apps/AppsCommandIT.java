package com.runwayrelay.local.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.aws.dynamodb.DynamoDbAppRepository;
import com.runwayrelay.domain.app.ApiKeys;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.testkit.aws.AwsEmulators;
import com.runwayrelay.testkit.aws.WithAwsEmulators;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code ./relay apps} against DynamoDB Local, configured only through the environment map, as the CLI is. */
@WithAwsEmulators
class AppsCommandIT {
    private final AwsEmulators aws;
    private final DynamoDbAppRepository apps;

    AppsCommandIT(AwsEmulators aws) {
        this.aws = aws;
        this.apps = new DynamoDbAppRepository(aws.dynamoDb(), aws.tableName());
    }

    private record Result(int code, String out, String err) {
    }

    private Result run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = AppsCommand.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void createListRotateDisable_againstTheTableTheEnvironmentNames() {
        Map<String, String> env = aws.environment();
        Result created = run(env, "create", "--name", "it-app", "--daily-budget", "500", "--max-active", "4");
        assertEquals(0, created.code(), created.err());
        String key = created.out().strip();
        assertTrue(ApiKeys.looksValid(key));
        App app = apps.findByKeyHash(ApiKeys.hash(key)).orElseThrow();
        assertEquals(500, app.dailyCreditBudget());
        assertEquals(4, app.maxActiveTasks());

        Result listed = run(env, "list");
        assertEquals(0, listed.code());
        assertTrue(listed.out().contains(app.id()));

        Result rotated = run(env, "rotate", app.id());
        assertEquals(0, rotated.code(), rotated.err());
        String newKey = rotated.out().strip();
        assertTrue(apps.findByKeyHash(ApiKeys.hash(key)).isEmpty());
        App after = apps.findByKeyHash(ApiKeys.hash(newKey)).orElseThrow();
        assertEquals(2, after.webhookSecrets().size());
        assertEquals(List.of(ApiKeys.hash(newKey)), apps.keyHashes(app.id()));

        assertEquals(0, run(env, "disable", app.id()).code());
        assertTrue(apps.find(app.id()).orElseThrow().disabled());
    }

    @Test
    void awsConfigurationProblemsExit2() {
        Map<String, String> env = new HashMap<>(aws.environment());
        env.remove("AWS_REGION");
        Result result = run(env, "list");
        assertEquals(2, result.code());
        assertTrue(result.err().contains("AWS_REGION"));
    }
}
