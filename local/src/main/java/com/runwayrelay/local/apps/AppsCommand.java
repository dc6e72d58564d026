package com.runwayrelay.local.apps;

import com.runwayrelay.aws.AwsClients;
import com.runwayrelay.aws.config.AwsSettings;
import com.runwayrelay.aws.config.ConfigurationException;
import com.runwayrelay.aws.dynamodb.DynamoDbAppRepository;
import com.runwayrelay.catalog.Catalog;
import com.runwayrelay.domain.admin.AppAdministration;
import com.runwayrelay.domain.app.ApiKeys;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.runway.WorkflowRuns;
import com.runwayrelay.domain.app.AppRepository;
import com.runwayrelay.domain.runway.AmbiguousCreatePolicy;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code ./relay apps create|list|update|rotate|disable}: manages the apps that may call the gateway.
 *
 * <p>{@code create} and {@code rotate} print the new app key, and nothing else, on standard output,
 * so a script can capture it ({@code KEY=$(./relay apps create --name storyboard)}); everything
 * else goes to standard error. Keys are shown once: only their SHA-256 is stored.
 *
 * <p>The table is {@code RELAY_TABLE}, reached with the standard AWS variables: the local stack's
 * endpoint overrides and static keys, or the default credentials chain for the deployed table.
 *
 * <p>Exit codes: 0 done, 1 the command failed (unknown app, AWS error), 2 the command line or
 * environment is wrong.
 */
public final class AppsCommand {
    static final long DEFAULT_DAILY_BUDGET = 1000;
    static final int DEFAULT_MAX_ACTIVE = 10;
    static final Duration DEFAULT_GRACE = Duration.ofHours(24);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final String USAGE = """
            usage: ./relay apps <command>
              create --name NAME [--daily-budget CREDITS] [--max-active N] [--endpoints a,b] [--models x,y]
                     [--ambiguous-create fail|retry-once] [--workflows ID=CREDITS,ID2=CREDITS]
                     a new app; prints its key on stdout (budget default %d credits/UTC day, %d active tasks,
                     all endpoints and models, ambiguous creates fail)
              list   every app (no secrets)
              update APP_ID [--daily-budget CREDITS] [--max-active N] [--ambiguous-create fail|retry-once]
                     [--workflows ID=CREDITS,ID2|none]
                     changes an app's limits or what happens after a create that may or may not have
                     reached Runway: fail (never create twice) or retry-once (create again once,
                     reserving the possible orphan's estimate against the daily budget); applies to
                     tasks submitted afterwards
                     --workflows: the published Runway workflows the app may list, read and run (replacing the
                     ones it had; none for no workflow), each with the credits one run reserves (a workflow
                     named without =CREDITS is visible but cannot be run until it has one)
              rotate APP_ID [--grace-hours H]
                     a new key (the old ones stop working at once) and a new webhook secret; the old secret
                     keeps signing for H hours (default %d); prints the new key on stdout
              disable APP_ID
                     refuse the app's keys from now on (within the API's short app cache)
            environment: RELAY_TABLE, AWS_REGION, and for the local stack AWS_ENDPOINT_URL_DYNAMODB with
                         AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY
            """.formatted(DEFAULT_DAILY_BUDGET, DEFAULT_MAX_ACTIVE, DEFAULT_GRACE.toHours());

    private AppsCommand() {
    }

    /**
     * Runs one {@code apps} command.
     *
     * @param args the words after {@code apps}, e.g. {@code ["create", "--name", "storyboard"]}
     * @param out  receives the new key (create, rotate) or the listing (list)
     * @param err  receives everything else
     * @param env  the environment: {@code RELAY_TABLE} and the AWS variables
     * @return the exit code
     */
    public static int run(List<String> args, PrintStream out, PrintStream err, Map<String, String> env) {
        if (isHelp(args)) {
            return help(args, err);
        }
        String table = env.get("RELAY_TABLE");
        if (table == null || table.isBlank()) {
            err.println("relay apps: RELAY_TABLE is not set (the DynamoDB table of the gateway; see the stack's outputs)");
            return 2;
        }
        AppRepository apps;
        try {
            apps = new DynamoDbAppRepository(new AwsClients(AwsSettings.from(env)).dynamoDb(), table.trim());
        } catch (ConfigurationException e) {
            err.println("relay apps: " + String.join("; ", e.problems()));
            return 2;
        }
        return run(args, out, err, apps, Clock.systemUTC());
    }

    /** As {@link #run(List, PrintStream, PrintStream, Map)}, on a given repository and clock. */
    static int run(List<String> args, PrintStream out, PrintStream err, AppRepository apps, Clock clock) {
        if (isHelp(args)) {
            return help(args, err);
        }
        try {
            Options options = Options.parse(args.subList(1, args.size()));
            return switch (args.getFirst()) {
                case "create" -> create(options, out, err, apps, clock);
                case "list" -> list(options, out, err, apps);
                case "update" -> update(options, err, apps);
                case "rotate" -> rotate(options, out, err, apps, clock);
                case "disable" -> disable(options, err, apps);
                default -> throw new UsageException("unknown command '" + args.getFirst() + "'");
            };
        } catch (UsageException e) {
            err.println("relay apps: " + e.getMessage());
            err.print(USAGE);
            return 2;
        } catch (RuntimeException e) {
            // AWS errors name the table and the cause, never a key: keys exist here only as hashes or freshly minted.
            err.println("relay apps: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return 1;
        }
    }

    private static boolean isHelp(List<String> args) {
        return args.isEmpty() || List.of("help", "--help", "-h").contains(args.getFirst());
    }

    /** Usage on stderr; asking for it succeeds, giving no command at all does not. */
    private static int help(List<String> args, PrintStream err) {
        err.print(USAGE);
        return args.isEmpty() ? 2 : 0;
    }

    private static int create(Options options, PrintStream out, PrintStream err, AppRepository apps, Clock clock) {
        options.allowOnly("name", "daily-budget", "max-active", "endpoints", "models", "ambiguous-create", "workflows");
        options.noPositional();
        String name = options.required("name");
        if (name.isBlank() || name.length() > 100) {
            throw new UsageException("--name must be 1 to 100 characters");
        }
        long budget = options.number("daily-budget", DEFAULT_DAILY_BUDGET, 0, Long.MAX_VALUE);
        int maxActive = (int) options.number("max-active", DEFAULT_MAX_ACTIVE, 1, 100_000);
        Set<String> endpoints = options.list("endpoints");
        Set<String> models = options.list("models");
        AmbiguousCreatePolicy policy = options.policy("ambiguous-create", AmbiguousCreatePolicy.FAIL);
        Catalog catalog = Catalog.loadDefault();
        Set<String> unknownEndpoints = new TreeSet<>(endpoints);
        unknownEndpoints.removeAll(catalog.endpoints());
        if (!unknownEndpoints.isEmpty()) {
            throw new UsageException("unknown endpoint(s) " + unknownEndpoints + "; known: " + String.join(", ", catalog.endpoints()));
        }
        Set<String> knownModels = new TreeSet<>();
        catalog.endpoints().stream().filter(endpoint -> catalog.selector(endpoint).orElseThrow().equals("model"))
                .forEach(endpoint -> knownModels.addAll(catalog.models(endpoint)));
        for (String model : models) {
            if (!knownModels.contains(model)) {
                err.println("relay apps: warning: the catalog does not know model '" + model
                        + "' (fine if the gateway lets unknown models through)");
            }
        }
        Instant now = clock.instant();
        workflows(options);
        String key = ApiKeys.mint();
        App app = App.builder(newAppId(), name.strip(), now).dailyCreditBudget(budget).maxActiveTasks(maxActive)
                .allowedEndpoints(endpoints).allowedModels(models)
                .allowedWorkflows(workflows(options).keySet()).workflowCeilings(ceilings(workflows(options)))
                .webhookSecrets(List.of(new App.WebhookSecret(newWebhookSecret(), now, null))).ambiguousCreates(policy)
                .build();
        apps.create(app, ApiKeys.hash(key));
        out.println(key);
        err.println("Created app " + app.id() + " (" + app.name() + "): " + describe(app));
        err.println("Webhook signing secret: " + app.webhookSecrets().getFirst().secret());
        err.println("The key above is shown once; only its hash is stored.");
        return 0;
    }

    private static int list(Options options, PrintStream out, PrintStream err, AppRepository apps) {
        options.allowOnly();
        options.noPositional();
        List<App> all = apps.list();
        if (all.isEmpty()) {
            err.println("No apps yet: ./relay apps create --name NAME");
            return 0;
        }
        out.printf("%-30s  %-20s  %12s  %10s  %4s  %-8s  %-16s  %s%n", "ID", "NAME", "DAILY_BUDGET", "MAX_ACTIVE",
                "KEYS", "STATUS", "AMBIGUOUS_CREATE", "ALLOWED");
        for (App app : all) {
            out.printf("%-30s  %-20s  %12d  %10d  %4d  %-8s  %-16s  %s%n", app.id(), app.name(), app.dailyCreditBudget(),
                    app.maxActiveTasks(), apps.keyHashes(app.id()).size(), app.disabled() ? "disabled" : "enabled",
                    app.ambiguousCreates().wireName(), allowed(app));
        }
        return 0;
    }

    private static int update(Options options, PrintStream err, AppRepository apps) {
        options.allowOnly("daily-budget", "max-active", "ambiguous-create", "workflows");
        String appId = options.onePositional("update APP_ID [--daily-budget CREDITS] [--max-active N]"
                + " [--ambiguous-create fail|retry-once] [--workflows ID=CREDITS,...|none]");
        if (options.named().isEmpty()) {
            throw new UsageException("update needs at least one of --daily-budget, --max-active, --ambiguous-create,"
                    + " --workflows");
        }
        Map<String, Long> workflows = options.named().containsKey("workflows") ? workflows(options) : null;
        for (int attempt = 0; attempt < 4; attempt++) {
            App app = find(apps, appId);
            App next = app.withSettings(
                    options.number("daily-budget", app.dailyCreditBudget(), 0, Long.MAX_VALUE),
                    (int) options.number("max-active", app.maxActiveTasks(), 1, 100_000),
                    options.policy("ambiguous-create", app.ambiguousCreates()));
            if (workflows != null) {
                next = next.toBuilder().allowedWorkflows(workflows.keySet()).workflowCeilings(ceilings(workflows)).build();
            }
            if (apps.replace(app, next)) {
                err.println("Updated app " + appId + ": " + describe(next) + " (tasks submitted from now on; the API"
                        + " caches apps for up to RELAY_APP_CACHE_SECONDS, 30 s by default)");
                return 0;
            }
        }
        throw new IllegalStateException("app " + appId + " kept changing while being updated; run the command again");
    }

    /**
     * {@code --workflows ID=CREDITS,ID2,...}: workflow id to its credit ceiling, or to 0 when named without one;
     * {@code none} for no workflow, an absent option for none either.
     */
    private static Map<String, Long> workflows(Options options) {
        String value = options.named().get("workflows");
        Map<String, Long> out = new LinkedHashMap<>();
        if (value == null || value.strip().equals("none")) {
            return out;
        }
        for (String item : options.list("workflows")) {
            String[] parts = item.split("=", 2);
            String id = parts[0].strip();
            if (!WorkflowRuns.validId(id)) {
                throw new UsageException("--workflows: '" + id + "' is not a workflow id");
            }
            long credits = 0;
            if (parts.length == 2) {
                try {
                    credits = Long.parseLong(parts[1].strip());
                } catch (NumberFormatException e) {
                    credits = -1;
                }
                if (credits < 1 || credits > 1_000_000) {
                    throw new UsageException("--workflows: the credits of " + id + " must be a whole number from 1 to"
                            + " 1000000, got '" + parts[1].strip() + "'");
                }
            }
            out.put(id, credits);
        }
        return out;
    }

    /** The ceilings of {@link #workflows}: the workflows named with credits. */
    private static Map<String, Long> ceilings(Map<String, Long> workflows) {
        Map<String, Long> out = new LinkedHashMap<>();
        workflows.forEach((id, credits) -> {
            if (credits > 0) {
                out.put(id, credits);
            }
        });
        return out;
    }

    private static int rotate(Options options, PrintStream out, PrintStream err, AppRepository apps, Clock clock) {
        options.allowOnly("grace-hours");
        String appId = options.onePositional("rotate APP_ID");
        Duration grace = Duration.ofHours(options.number("grace-hours", DEFAULT_GRACE.toHours(), 0, 24 * 30));
        App current = find(apps, appId);
        List<String> oldKeys = apps.keyHashes(appId);
        String key = ApiKeys.mint();
        // The new key works before the old ones stop, so the app is never without a key.
        apps.addKey(appId, ApiKeys.hash(key));
        Instant now = clock.instant();
        App.WebhookSecret secret = new App.WebhookSecret(newWebhookSecret(), now, null);
        App next = AppAdministration.withNewSecret(current, secret, now, grace);
        for (int attempt = 0; !apps.replace(current, next); attempt++) {
            if (attempt == 3) {
                throw new IllegalStateException("app " + appId + " kept changing while being rotated; run the command again");
            }
            current = find(apps, appId);
            next = AppAdministration.withNewSecret(current, secret, now, grace);
        }
        // Only the keys this command revokes count: another writer may revoke one after the read above.
        long revoked = oldKeys.stream().filter(apps::revokeKey).count();
        out.println(key);
        err.println("Rotated app " + appId + ": new key above (" + revoked + " old key(s) revoked); "
                + "new webhook signing secret: " + secret.secret());
        err.println(grace.isZero() ? "The old webhook secret no longer signs."
                : "The old webhook secret keeps signing until " + now.plus(grace) + ".");
        return 0;
    }

    private static int disable(Options options, PrintStream err, AppRepository apps) {
        options.allowOnly();
        String appId = options.onePositional("disable APP_ID");
        for (int attempt = 0; attempt < 4; attempt++) {
            App app = find(apps, appId);
            if (app.disabled()) {
                err.println("App " + appId + " is already disabled.");
                return 0;
            }
            App next = app.withDisabled(true);
            if (apps.replace(app, next)) {
                err.println("Disabled app " + appId + ": its keys are refused from now on (the API caches apps for"
                        + " up to RELAY_APP_CACHE_SECONDS, 30 s by default).");
                return 0;
            }
        }
        throw new IllegalStateException("app " + appId + " kept changing while being disabled; run the command again");
    }

    private static App find(AppRepository apps, String appId) {
        return apps.find(appId).orElseThrow(() -> new NoSuchAppException(appId));
    }

    private static String describe(App app) {
        return "daily budget " + app.dailyCreditBudget() + " credits, up to " + app.maxActiveTasks()
                + " active tasks, ambiguous creates " + app.ambiguousCreates().wireName() + ", " + allowed(app)
                + "; workflows: " + (app.allowedWorkflows().isEmpty() ? "none" : new TreeSet<>(app.allowedWorkflows())
                .stream().map(w -> w + (app.workflowCeilings().containsKey(w) ? "=" + app.workflowCeilings().get(w)
                        : " (no ceiling)")).collect(java.util.stream.Collectors.joining(",")));
    }

    private static String allowed(App app) {
        return "endpoints: " + (app.allowedEndpoints().isEmpty() ? "all" : String.join(",", new TreeSet<>(app.allowedEndpoints())))
                + "; models: " + (app.allowedModels().isEmpty() ? "all" : String.join(",", new TreeSet<>(app.allowedModels())));
    }

    static String newAppId() {
        StringBuilder id = new StringBuilder("app_");
        for (int i = 0; i < 26; i++) {
            id.append(ID_ALPHABET[RANDOM.nextInt(ID_ALPHABET.length)]);
        }
        return id.toString();
    }

    static String newWebhookSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "whsec_" + Base64.getEncoder().encodeToString(bytes);
    }

    /** The command line is wrong: the message says how. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /** No app has the id given. */
    static final class NoSuchAppException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoSuchAppException(String appId) {
            super("no app with id " + appId + " (see ./relay apps list)");
        }
    }

    /** {@code --name value} options and positional words, in order. */
    private record Options(Map<String, String> named, List<String> positional) {
        static Options parse(List<String> words) {
            Map<String, String> named = new LinkedHashMap<>();
            List<String> positional = new ArrayList<>();
            for (int i = 0; i < words.size(); i++) {
                String word = words.get(i);
                if (!word.startsWith("--")) {
                    positional.add(word);
                    continue;
                }
                String name = word.substring(2);
                String value;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                } else if (i + 1 < words.size() && !words.get(i + 1).startsWith("--")) {
                    value = words.get(++i);
                } else {
                    throw new UsageException("--" + name + " needs a value");
                }
                if (named.put(name, value) != null) {
                    throw new UsageException("--" + name + " is given twice");
                }
            }
            return new Options(named, positional);
        }

        void allowOnly(String... names) {
            Set<String> allowed = Set.of(names);
            for (String name : named.keySet()) {
                if (!allowed.contains(name)) {
                    throw new UsageException("unknown option --" + name);
                }
            }
        }

        void noPositional() {
            if (!positional.isEmpty()) {
                throw new UsageException("unexpected argument '" + positional.getFirst() + "'");
            }
        }

        String onePositional(String usage) {
            if (positional.size() != 1) {
                throw new UsageException("usage: ./relay apps " + usage);
            }
            return positional.getFirst();
        }

        String required(String name) {
            return Optional.ofNullable(named.get(name)).orElseThrow(() -> new UsageException("--" + name + " is required"));
        }

        long number(String name, long defaultValue, long min, long max) {
            String value = named.get(name);
            if (value == null) {
                return defaultValue;
            }
            try {
                long parsed = Long.parseLong(value.strip());
                if (parsed < min || parsed > max) {
                    throw new UsageException("--" + name + " must be between " + min + " and " + max + " (got " + parsed + ")");
                }
                return parsed;
            } catch (NumberFormatException e) {
                throw new UsageException("--" + name + " must be a whole number (got '" + value + "')");
            }
        }

        AmbiguousCreatePolicy policy(String name, AmbiguousCreatePolicy defaultValue) {
            String value = named.get(name);
            if (value == null) {
                return defaultValue;
            }
            try {
                return AmbiguousCreatePolicy.parse(value);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--" + name + " must be fail or retry-once (got '" + value + "')");
            }
        }

        Set<String> list(String name) {
            String value = named.get(name);
            if (value == null) {
                return Set.of();
            }
            Set<String> items = new LinkedHashSet<>();
            Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(items::add);
            if (items.isEmpty()) {
                throw new UsageException("--" + name + " needs at least one name");
            }
            return items;
        }
    }
}
