package com.runwayrelay.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.aws.dynamodb.DynamoDbAppRepository;
import com.runwayrelay.domain.app.ApiKeys;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

// try-with-resources keeps readers and folders alive for the block; the block need not name them
@SuppressWarnings("try")
class RelayCliIT {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path temp;

    private int run(Map<String, String> env, String... args) {
        out.reset();
        err.reset();
        return RelayCli.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void help_andBadUsage_haveTheirExitCodes() {
        assertEquals(0, run(Map.of()));
        assertTrue(out().contains("./relay local options:"), out());
        assertEquals(0, run(Map.of(), "help"));
        assertEquals(2, run(Map.of(), "launch"));
        assertTrue(err().contains("unknown command 'launch'"), err());
        assertEquals(2, run(Map.of(), "local", "--port", "x"));
        assertTrue(err().startsWith("relay: --port takes a port number"), err());
        assertEquals(2, run(Map.of(), "demo", "--bogus"));
        assertTrue(err().contains("unknown option '--bogus' for ./relay demo"), err());
    }

    @Test
    void local_reportsABusyDataFolderAsAFailure() {
        Path data = temp.resolve("data");
        try (DataDirectory held = DataDirectory.open(data, false)) {
            assertEquals(1, run(Map.of(), "local", "--data-dir", data.toString(), "--port", "0", "--simulator-port", "0",
                    "--dynamodb-port", "0", "--s3-port", "0"));
            assertTrue(err().contains("is in use by another ./relay process"), err());
        }
    }

    @Test
    void apps_reachTheRunningStacksTable() {
        Path data = temp.resolve("data");
        try (LocalStack stack = LocalStack.start(StackOptions.ephemeral().withDataDir(data), new StackLog(System.err, StackLog.Level.QUIET))) {
            assertEquals(0, run(Map.of("RELAY_DATA_DIR", data.toString()), "apps", "create", "--name", "storyboard"), err());
            String key = out().strip();
            var apps = new DynamoDbAppRepository(stack.aws().dynamoDb(), stack.aws().tableName());
            assertEquals("storyboard", apps.findByKeyHash(ApiKeys.hash(key)).orElseThrow().name());
        }
    }

    @Test
    void apps_startTheEmulatorsOnTheDataFolder_whenNoStackRuns() {
        Path data = temp.resolve("data");
        assertEquals(0, run(Map.of(), "apps", "create", "--name", "offline", "--data-dir", data.toString()), err());
        assertTrue(!DataDirectory.inUse(data), "the emulators started for the command are stopped");
        assertEquals(0, run(Map.of(), "apps", "list", "--data-dir", data.toString()), err());
        assertTrue(out().contains("offline"), "the app was kept in the data folder: " + out());
    }

    @Test
    void tasksAndUsage_withoutAStack_sayToStartOne_andStartNothing() {
        Path data = temp.resolve("data");
        assertEquals(1, run(Map.of(), "tasks", "list", "--data-dir", data.toString()));
        assertTrue(err().contains("no local stack is running on") && err().contains("./relay local") && err().contains("--stack NAME"), err());
        assertEquals(1, run(Map.of(), "usage", "--data-dir", data.toString()));
        assertTrue(err().contains("no local stack is running on"), err());
        assertEquals(1, run(Map.of(), "apps", "show", "app_x", "--data-dir", data.toString()));
        assertTrue(err().contains("only apps create|list|update|rotate|disable work"), err());
        assertTrue(!java.nio.file.Files.exists(data.resolve("aws")), "no emulator was started on the folder");
    }

    @Test
    void admin_badTargetOptions_exit2() {
        assertEquals(2, run(Map.of(), "tasks", "list", "--url", "https://a.example.com", "--stack", "relay"));
        assertTrue(err().contains("relay tasks: give either --url or --stack, not both"), err());
        assertEquals(2, run(Map.of(), "apps", "list", "--region", "eu-west-1"));
        assertTrue(err().contains("--region goes with --url or --stack"), err());
        assertEquals(2, run(Map.of(), "health", "--region", "eu-west-1"));
        assertTrue(err().contains("relay health: --region goes with --url or --stack"), err());
        assertEquals(0, run(Map.of(), "help"));
        assertTrue(out().contains("--stack NAME") && out().contains("tasks    tasks across apps"), out());
        assertTrue(out().contains("usage: ./relay apps") && out().contains("usage: ./relay tasks") && out().contains("usage: ./relay usage")
                && out().contains("usage: ./relay metrics") && out().contains("usage: ./relay health")
                && out().contains("health   stuck tasks"),
                "help lists every admin command and option: " + out());
    }
}
