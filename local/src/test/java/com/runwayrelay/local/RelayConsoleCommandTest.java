package com.runwayrelay.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code ./relay console}'s command line: bad options are refused with status 2 before anything starts. */
class RelayConsoleCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return RelayCli.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
    }

    private String errors() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void refusesOption_whenConsoleDoesNotKnowIt() {
        assertEquals(2, run("console", "--bogus"));
        assertTrue(errors().contains("unknown option '--bogus' for ./relay console"), errors());
    }

    @Test
    void refusesPort_whenOutOfRange() {
        assertEquals(2, run("console", "--port", "70000"));
        assertTrue(errors().contains("--port takes a port number"), errors());
    }

    @Test
    void refusesRegion_whenNoDeployedStackIsNamed() {
        assertEquals(2, run("console", "--region", "eu-west-1"));
        assertTrue(errors().contains("--region goes with --url or --stack"), errors());
    }

    @Test
    void refusesTarget_whenBothUrlAndStackAreGiven() {
        assertEquals(2, run("console", "--url", "https://abc.execute-api.eu-west-1.amazonaws.com", "--stack", "prod"));
        assertTrue(errors().contains("either --url or --stack"), errors());
    }

    @Test
    void listsConsole_whenHelpIsAsked() {
        assertEquals(0, run("help"));
        String help = out.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("console  a web console on 127.0.0.1"), help);
        assertTrue(help.contains("./relay console options"), help);
    }
}
