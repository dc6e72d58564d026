package com.runwayrelay.local;

import com.runwayrelay.local.admin.AdminClient;
import com.runwayrelay.local.admin.AdminCommand;
import com.runwayrelay.local.admin.AdminTarget;
import com.runwayrelay.local.admin.AdminUsageException;
import com.runwayrelay.local.admin.StackLookupException;
import com.runwayrelay.local.admin.Targets;
import com.runwayrelay.local.apps.AppsCommand;
import com.runwayrelay.local.console.AdminConnection;
import com.runwayrelay.local.console.ConsoleServer;
import com.runwayrelay.local.console.ConsoleUiMissingException;
import com.runwayrelay.testkit.aws.AwsEmulators;
import com.runwayrelay.testkit.aws.EmulatorOptions;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The project CLI behind the {@code relay} script at the repository root:
 * {@code ./relay local} runs the whole system on this machine, {@code ./relay demo} runs two tasks end
 * to end, {@code ./relay apps|tasks|usage|metrics|health|orphans ...} use the admin API (locally or on AWS), {@code ./relay help}
 * explains the options.
 */
public final class RelayCli {
    private static final Duration STACK_FILE_WAIT = Duration.ofSeconds(60);
    private static final int DEFAULT_CONSOLE_PORT = 3100;

    private RelayCli() {
    }

    /** Runs a command and exits with its status; {@code local} returns only when stopped (Ctrl-C). */
    public static void main(String[] args) {
        int status = run(Arrays.asList(args), System.out, System.err, System.getenv());
        System.exit(status);
    }

    /**
     * Runs one command.
     *
     * @return the exit status: 0 success, 1 failure, 2 bad usage, {@value AdminCommand#UNHEALTHY} {@code health} found a
     *         problem
     */
    static int run(List<String> args, PrintStream out, PrintStream err, Map<String, String> env) {
        if (args.isEmpty()) {
            out.print(usage());
            return 0;
        }
        List<String> rest = args.subList(1, args.size());
        try {
            return switch (args.getFirst()) {
                case "local" -> local(rest, out, err, env);
                case "demo" -> demo(rest, out, err, env);
                case "apps", "tasks", "usage", "metrics", "health", "orphans" -> admin(args.getFirst(), rest, out, err, env);
                case "console" -> console(rest, out, err, env);
                case "help", "--help", "-h" -> {
                    out.print(usage());
                    yield 0;
                }
                default -> {
                    err.println("relay: unknown command '" + args.getFirst() + "'");
                    err.print(usage());
                    yield 2;
                }
            };
        } catch (UsageException e) {
            err.println("relay: " + e.getMessage());
            return 2;
        } catch (AdminUsageException e) {
            err.println("relay " + args.getFirst() + ": " + e.getMessage());
            return 2;
        }
    }

    static String usage() {
        return """
                Usage: ./relay <command> [options]

                Commands:
                  local    run the whole system on this machine (no Docker, no AWS account, no Runway credits)
                  demo     run one text_to_image and one image_to_video task end to end and save the outputs
                  apps     manage apps and their keys: ./relay apps create|list|show|update|rotate|disable|enable|delete
                  tasks    tasks across apps: ./relay tasks list|show|cancel|redeliver
                  usage    credits and tasks per UTC day, app and model: ./relay usage [--from D] [--to D] [--app ID]
                  metrics  the gateway's metrics per series over the last hours: ./relay metrics [--hours N]
                  health   stuck tasks and the queues of work given up on; exit 0 healthy, 3 a problem: ./relay health
                  orphans  Runway resources no current app owns (documents, avatars, voices, avatar conversations):
                           ./relay orphans KIND | assign KIND ID --app APP_ID | delete KIND ID --yes
                  console  a web console on 127.0.0.1 for the admin API: ./relay console [--port P] [--url U | --stack NAME]
                  help     this text

                ./relay local options:
                  --port N              HTTP API port (default 3000; 0 picks a free one)
                  --simulator-port N    Runway simulator port (default 3001)
                  --dynamodb-port N     DynamoDB Local port (default 3002)
                  --s3-port N           S3 (s3proxy) port (default 3003)
                  --data-dir DIR        data folder (default ./.relay, or $RELAY_DATA_DIR); kept across restarts
                  --reset               empty the data folder first
                  --in-memory           keep nothing
                  --poll-interval T     how often the poller runs (default 2s; e.g. 500ms, 5s, 1m)
                  --runway-key KEY      use the REAL Runway API with this key (also: RUNWAYML_API_SECRET); spends credits
                  --runway-base-url U   the real Runway API (default https://api.dev.runwayml.com)
                  --simulator-url U     use a Runway simulator already running at U (RunwaySimulatorMain) instead of
                                        starting one; its key: --simulator-key KEY or RUNWAY_SIM_API_KEY
                  --aws-endpoint U      use DynamoDB and S3 at U (e.g. LocalStack, http://localhost:4566) instead of
                                        the embedded emulators; --dynamodb-endpoint U and --s3-endpoint U set them apart;
                                        credentials: RELAY_AWS_ACCESS_KEY_ID/RELAY_AWS_SECRET_ACCESS_KEY (default test/test)
                  --verbose, -v         also log every poller run (idle ones too) and stream delivery
                  Simulator settings: any RUNWAY_SIM_* variable (see testkit/simulator/README.md).
                  Test settings: RELAY_WEBHOOK_CLAIM_LEASE_SECONDS (30 to 120, default 120), the notifier's
                  webhook claim lease (the fault soak sets 30); RELAY_POLLER_IN_FLIGHT_GRACE_SECONDS (60 to
                  120, default 120), how long the poller leaves a task whose create is in flight (the soak sets 60).

                ./relay demo options:
                  --data-dir DIR        use the stack running on this data folder (default ./.relay);
                                        without one, the demo starts its own in-memory stack and stops it after
                  --out DIR             where to save the outputs (default <data-dir>/demo)
                  --timeout T           longest wait per task (default 5m)

                ./relay apps|tasks|usage|metrics|health|orphans: where they go (the commands and their options follow):
                  (none)                the local stack running on the data folder, through its admin API, signed with
                                        the credentials in its stack.json; with no stack running, apps create|list|update|
                                        rotate|disable write the folder's table directly (the other commands need a stack)
                  --data-dir DIR        the local stack's data folder (default ./.relay, or $RELAY_DATA_DIR)
                  --url URL             a deployed stack's API (its ApiUrl output), signed with SigV4 (execute-api) by the
                                        default AWS credential chain (AWS_PROFILE, AWS_ACCESS_KEY_ID/..., ~/.aws, SSO)
                  --stack NAME          a deployed CloudFormation stack: its ApiUrl output is the API
                  --region R            the stack's region (default: AWS_REGION or the profile's; --url on
                                        *.execute-api.R.amazonaws.com needs none)
                  --json                print the API's JSON instead of tables (create and rotate: the key is in it)
                  exit status: 0 done, 1 failed (403, 404, 409, 503, unreachable), 2 bad command line or refused values (400),
                               3 health: the report names a problem

                ./relay console options (the target options are those of apps|tasks|usage|metrics|health|orphans above):
                  --port P              the console's port on 127.0.0.1 (default 3100; 0 picks a free one)
                  --url U | --stack NAME [--region R] | --data-dir DIR
                                        the admin API to show; without --url/--stack, the local stack running on the
                                        data folder (started before or after the console; followed across restarts)
                  Open the URL it prints: it carries this run's token, without which the console refuses admin calls.

                """ + AdminCommand.usage("apps") + "\n" + AdminCommand.usage("tasks") + "\n" + AdminCommand.usage("usage")
                + "\n" + AdminCommand.usage("metrics") + "\n" + AdminCommand.usage("health") + "\n"
                + AdminCommand.usage("orphans");
    }

    private static int local(List<String> args, PrintStream out, PrintStream err, Map<String, String> env) {
        StackOptions options = StackOptions.parse(args, env);
        if (options.runwayKey().isPresent()) {
            StartBanner.realRunwayWarning(out, options.runwayBaseUrl().map(URI::toString).orElse("https://api.dev.runwayml.com"),
                    options.runwayKeySource());
        }
        out.println("Starting the local stack" + options.dataDir().map(d -> " (data: " + d.toAbsolutePath().normalize() + ")").orElse("") + " ...");
        StackLog log = new StackLog(out, options.verbose() ? StackLog.Level.VERBOSE : StackLog.Level.NORMAL);
        if (!options.verbose()) {
            // Functions log to stdout, as in Lambda; only the poller's idle-run summaries are held back.
            System.setOut(new PrintStream(new IdlePollerRunFilter(new FileOutputStream(FileDescriptor.out)), true, StandardCharsets.UTF_8));
        }
        LocalStack stack;
        try {
            stack = LocalStack.start(options, log);
        } catch (StackStartException e) {
            err.println("relay: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println();
            out.println("Stopping the local stack ...");
            stack.close();
            out.println("Stopped.");
            out.flush();
            stopped.countDown();
        }, "relay-shutdown"));
        StartBanner.print(stack, out);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stack.close();
        }
        return 0;
    }

    private static int demo(List<String> args, PrintStream out, PrintStream err, Map<String, String> env) {
        Path dataDir = StackOptions.defaultDataDir(env);
        Path outDir = null;
        Duration timeout = Duration.ofMinutes(5);
        List<String> rest = new ArrayList<>(args);
        while (!rest.isEmpty()) {
            String option = rest.removeFirst();
            String name = option.contains("=") ? option.substring(0, option.indexOf('=')) : option;
            String value = option.contains("=") ? option.substring(option.indexOf('=') + 1) : null;
            if (value == null && (name.equals("--data-dir") || name.equals("--out") || name.equals("--timeout"))) {
                if (rest.isEmpty()) {
                    throw new UsageException(name + " needs a value");
                }
                value = rest.removeFirst();
            }
            switch (name) {
                case "--data-dir" -> dataDir = Path.of(value);
                case "--out" -> outDir = Path.of(value);
                case "--timeout" -> timeout = StackOptions.duration(name, value);
                default -> throw new UsageException("unknown option '" + option + "' for ./relay demo (see ./relay help)");
            }
        }
        if (outDir == null) {
            outDir = dataDir.resolve("demo");
        }
        Optional<StackFile.Running> running;
        try {
            running = runningStack(dataDir);
        } catch (StackStartException | UncheckedIOException e) {
            err.println("relay: " + e.getMessage());
            return 1;
        }
        if (running.isPresent()) {
            out.println("Using the local stack running on " + dataDir.toAbsolutePath().normalize());
            return runDemo(running.get().apiUrl(), running.get().devKey(), outDir, timeout, out, err);
        }
        StackOptions options = StackOptions.parse(List.of("--in-memory", "--port", "0", "--simulator-port", "0",
                "--dynamodb-port", "0", "--s3-port", "0", "--poll-interval", "1s"), env);
        if (options.runwayKey().isPresent()) {
            StartBanner.realRunwayWarning(out, options.runwayBaseUrl().map(URI::toString).orElse("https://api.dev.runwayml.com"),
                    options.runwayKeySource());
        }
        out.println("No local stack is running on " + dataDir.toAbsolutePath().normalize() + "; starting a temporary one in memory ...");
        // The temporary stack's functions log as they would in Lambda; the demo shows its own progress instead.
        PrintStream systemOut = System.out;
        Logger root = Logger.getLogger("");
        Level rootLevel = root.getLevel();
        System.setOut(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
        root.setLevel(Level.WARNING);
        try (LocalStack stack = LocalStack.start(options, new StackLog(err, StackLog.Level.QUIET))) {
            out.printf("Temporary stack up in %.1f s at %s%n", stack.startTime().toMillis() / 1000.0, stack.apiUrl());
            return runDemo(stack.apiUrl(), stack.devApp().key(), outDir, timeout, out, err);
        } catch (StackStartException e) {
            err.println("relay: " + e.getMessage());
            return 1;
        } finally {
            System.setOut(systemOut);
            root.setLevel(rootLevel);
        }
    }

    private static int runDemo(URI api, String key, Path outDir, Duration timeout, PrintStream out, PrintStream err) {
        try {
            new Demo(api, key, outDir, timeout, out).run();
            return 0;
        } catch (Demo.DemoException e) {
            err.println("relay demo: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("relay demo: " + e);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("relay demo: interrupted");
            return 1;
        }
    }

    /**
     * The stack holding {@code dataDir}, if one does. A stack that is still starting gets up to a minute to
     * write its {@code stack.json}.
     */
    static Optional<StackFile.Running> runningStack(Path dataDir) {
        if (!DataDirectory.inUse(dataDir)) {
            return Optional.empty();
        }
        Path file = dataDir.resolve(StackFile.NAME);
        long deadline = System.nanoTime() + STACK_FILE_WAIT.toNanos();
        while (true) {
            Optional<StackFile.Running> running = StackFile.read(file);
            if (running.isPresent()) {
                return running;
            }
            if (System.nanoTime() - deadline > 0 || !DataDirectory.inUse(dataDir)) {
                throw new StackStartException("a stack holds " + dataDir.toAbsolutePath().normalize() + " but wrote no " + StackFile.NAME
                        + " within " + STACK_FILE_WAIT.toSeconds() + " s");
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    /**
     * {@code ./relay apps|tasks|usage|metrics|health|orphans ...}: runs {@link AdminCommand} against the admin API of a deployed stack
     * ({@code --url} or {@code --stack}), or of the local stack that holds the data folder ({@code --data-dir DIR},
     * default {@code ./.relay}), signed with that stack's credentials. With no stack running there, {@code apps}
     * commands that {@link AppsCommand} knows start the emulators on the folder and write its table directly,
     * as before the admin API; {@code tasks}, {@code usage}, {@code metrics} and {@code health} need a stack.
     */
    private static int admin(String group, List<String> args, PrintStream out, PrintStream err, Map<String, String> env) {
        List<String> words = new ArrayList<>(args);
        Path dataDir = StackOptions.defaultDataDir(env);
        for (int at = 0; at < words.size(); at++) {
            if (words.get(at).equals("--data-dir") && at + 1 < words.size()) {
                dataDir = Path.of(words.get(at + 1));
                words.subList(at, at + 2).clear();
                break;
            }
            if (words.get(at).startsWith("--data-dir=")) {
                dataDir = Path.of(words.get(at).substring("--data-dir=".length()));
                words.remove(at);
                break;
            }
        }
        if (AdminCommand.isHelp(group, words)) {
            return AdminCommand.help(group, words, err);
        }
        Targets.Options target = Targets.extract(words);
        List<String> commandArgs = target.rest();
        if (AdminCommand.isHelp(group, commandArgs)) {
            return AdminCommand.help(group, commandArgs, err);
        }
        if (target.remote()) {
            try {
                return AdminCommand.run(group, commandArgs, out, err, AdminClient.of(Targets.remote(target)));
            } catch (StackLookupException | AdminClient.NoAdminApiException e) {
                err.println("relay " + group + ": " + e.getMessage());
                return 1;
            }
        }
        String folder = dataDir.toAbsolutePath().normalize().toString();
        try {
            Optional<StackFile.Running> running = runningStack(dataDir);
            if (running.isPresent()) {
                AdminTarget local = Targets.local(running.get().apiUrl(), running.get().environment(), folder);
                try {
                    return AdminCommand.run(group, commandArgs, out, err, AdminClient.of(local));
                } catch (AdminClient.NoAdminApiException e) {
                    if (!tableCommand(group, commandArgs)) {
                        err.println("relay " + group + ": " + e.getMessage());
                        return 1;
                    }
                    // A stack started from a build before the admin API: its table is still reachable.
                    err.println("relay apps: the local stack has no admin route for this (started from a build before the"
                            + " admin API?); writing its table directly");
                    return AppsCommand.run(List.copyOf(commandArgs), out, err, merged(env, running.get().environment()));
                }
            }
            if (!tableCommand(group, commandArgs)) {
                err.println("relay " + group + ": no local stack is running on " + folder + ". Start one with ./relay local"
                        + " (in another terminal), or name a deployed stack with --url URL or --stack NAME."
                        + (group.equals("apps") ? " (Without a stack, only apps create|list|update|rotate|disable work, without"
                        + " --json, on the folder's table.)" : ""));
                return 1;
            }
            try (DataDirectory data = DataDirectory.open(dataDir, false);
                 AwsEmulators aws = AwsEmulators.start(EmulatorOptions.persistentIn(data.aws()))) {
                return AppsCommand.run(List.copyOf(commandArgs), out, err, merged(env, aws.environment()));
            }
        } catch (StackStartException | UncheckedIOException | com.runwayrelay.testkit.aws.EmulatorStartException e) {
            err.println("relay: " + e.getMessage());
            return 1;
        }
    }

    /**
     * {@code ./relay console}: serves the web console on 127.0.0.1 until stopped (Ctrl-C), forwarding admin calls to
     * a deployed stack ({@code --url}, {@code --stack}) or to the local stack holding the data folder.
     */
    private static int console(List<String> args, PrintStream out, PrintStream err, Map<String, String> env) {
        List<String> words = new ArrayList<>(args);
        Path dataDir = StackOptions.defaultDataDir(env);
        int port = DEFAULT_CONSOLE_PORT;
        for (String option : List.of("--data-dir", "--port")) {
            Optional<String> value = takeOption(words, option);
            if (value.isPresent() && option.equals("--data-dir")) {
                dataDir = Path.of(value.get());
            } else if (value.isPresent()) {
                port = StackOptions.port(option, value.get());
            }
        }
        Targets.Options target = Targets.extract(words);
        if (!target.rest().isEmpty()) {
            throw new UsageException("unknown option '" + target.rest().getFirst() + "' for ./relay console (see ./relay help)");
        }
        AdminConnection connection;
        try {
            connection = target.remote() ? AdminConnection.to(Targets.remote(target)) : new LocalAdminConnection(dataDir);
        } catch (StackLookupException e) {
            err.println("relay console: " + e.getMessage());
            return 1;
        }
        ConsoleServer console;
        try {
            console = ConsoleServer.start(port, connection);
        } catch (IOException e) {
            err.println("relay console: cannot listen on 127.0.0.1:" + port + ": " + e.getMessage()
                    + (port != 0 ? " (another console running? --port 0 picks a free port)" : ""));
            return 1;
        } catch (ConsoleUiMissingException e) {
            err.println("relay console: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            console.close();
            stopped.countDown();
        }, "relay-console-shutdown"));
        out.println("Console for " + console.target());
        out.println("Open " + console.url());
        out.println("(the link carries this run's token; admin calls without it are refused. Ctrl-C stops the console.)");
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            console.close();
        }
        return 0;
    }

    /** Removes {@code --name V} or {@code --name=V} from the words and gives V. */
    private static Optional<String> takeOption(List<String> words, String name) {
        for (int at = 0; at < words.size(); at++) {
            if (words.get(at).equals(name)) {
                if (at + 1 >= words.size()) {
                    throw new UsageException(name + " needs a value");
                }
                String value = words.get(at + 1);
                words.subList(at, at + 2).clear();
                return Optional.of(value);
            }
            if (words.get(at).startsWith(name + "=")) {
                return Optional.of(words.remove(at).substring(name.length() + 1));
            }
        }
        return Optional.empty();
    }

    /** Whether {@link AppsCommand} can run the command on the table directly (it predates the admin API). */
    private static boolean tableCommand(String group, List<String> args) {
        return group.equals("apps") && !args.isEmpty() && List.of("create", "list", "update", "rotate", "disable").contains(args.getFirst())
                && !args.contains("--json");
    }

    private static Map<String, String> merged(Map<String, String> env, Map<String, String> stack) {
        Map<String, String> merged = new LinkedHashMap<>(env);
        merged.putAll(stack);
        return merged;
    }
}
