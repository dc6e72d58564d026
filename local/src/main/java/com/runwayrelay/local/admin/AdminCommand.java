package com.runwayrelay.local.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code ./relay apps|tasks|usage|metrics|health|orphans ...} over the admin HTTP API ({@code docs/admin-api.md}).
 *
 * <p>Output: human tables by default; {@code --json} prints the API's JSON instead, for scripts
 * ({@code tasks list --all --json} prints every page's tasks as one {@code {"data": [...]}}).
 * {@code apps create} and {@code apps rotate} print the new key, and nothing else, on standard
 * output, so {@code KEY=$(./relay apps create --name storyboard)} captures it; everything else goes to
 * standard error.
 *
 * <p>Exit status: 0 done; 1 the command failed (refused signature, unknown app or task, a conflict,
 * the API unreachable, Runway unavailable to {@code orphans}); 2 the command line is wrong, or the API
 * refused its values (400: every issue is listed); {@value #UNHEALTHY} {@code health} read the report and it names a problem (stuck tasks, or
 * records in a queue of work given up on).
 */
public final class AdminCommand {
    /** The exit status of {@code health} when the report names a problem (the report was read: not 1, "failed"). */
    public static final int UNHEALTHY = 3;
    private static final Set<String> SWITCHES = Set.of("json", "all", "yes");
    private static final int USAGE_DAYS = 7;
    private static final String APPS_USAGE = """
            usage: ./relay apps <command> [--json] [--url URL | --stack NAME [--region R]] [--data-dir DIR]
              create --name NAME [--daily-budget CREDITS] [--max-active N] [--endpoints a,b] [--models x,y]
                     [--callback-url URL] [--ambiguous-create fail|retry-once] [--unsafe-latest allow|deny]
                     [--router-configs slug,slug|none]
                     a new app; prints its key, and only its key, on stdout (shown once); the defaults are the API's
                     (1000 credits per UTC day, 10 active tasks, every endpoint and model, ambiguous creates fail,
                     recipes at version unsafe-latest denied, no Model Router configuration)
              list   every app (no secrets)
              show APP_ID
                     one app
              update APP_ID [--name NAME] [--daily-budget CREDITS] [--max-active N] [--endpoints a,b|all]
                     [--models x,y|all] [--callback-url URL|none] [--ambiguous-create fail|retry-once]
                     [--unsafe-latest allow|deny] [--router-configs slug,slug|none]
                     changes only what is given; applies to tasks submitted afterwards
              rotate APP_ID [--grace-hours H]
                     a new key (the old ones stop working at once) and a new webhook secret; the old secret keeps
                     signing for H hours (0-720, default 24); prints the new key on stdout
              disable APP_ID | enable APP_ID
                     refuse the app's keys from now on, or accept them again (within the API's short app cache)
              delete APP_ID --yes
                     deletes the app and revokes its keys; its tasks, archived outputs and usage are kept;
                     prints what was removed and what was kept (to stop an app for a while, disable it)
            """;
    private static final String TASKS_USAGE = """
            usage: ./relay tasks <command> [--json] [--url URL | --stack NAME [--region R]] [--data-dir DIR]
              list   [--app APP_ID] [--state STATE] [--endpoint E] [--model M] [--created-after T] [--created-before T]
                     [--limit N] [--cursor C | --all]
                     tasks across apps, newest first, one page (--limit 1-100, default 50); --cursor C gets the
                     page after the one that printed C, --all follows every page; T is an instant
                     (2026-12-03T08:00:00Z) or a UTC day (2026-12-03, its start)
              show TASK_ID
                     everything the gateway knows: attempts, Runway status, archive (fresh links), webhook
                     deliveries, state history
              cancel TASK_ID
                     cancels a task that has not ended (as DELETE /v1/tasks/{id} does for its app)
              redeliver TASK_ID
                     sends the task's webhook again, with the same webhook-id
            """;
    private static final String USAGE_USAGE = """
            usage: ./relay usage [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--app APP_ID] [--json]
                                 [--url URL | --stack NAME [--region R]] [--data-dir DIR]
              credits and task counts per UTC day, app and model (default: the last %d days up to today, UTC;
              at most 92 days)
            """.formatted(USAGE_DAYS);

    private static final String METRICS_USAGE = """
            usage: ./relay metrics [--hours N] [--period SECONDS] [--json]
                                   [--url URL | --stack NAME [--region R]] [--data-dir DIR]
              the gateway's metrics over the last N hours (1-168, default 24), one row per metric and dimension
              values: sum and count, and for latencies, durations, sizes and the stuck-task gauge also max, p50
              and p95; metrics with nothing recorded are named at the end. --period (60, 300, 900 or 3600 s,
              default 3600) sets the points --json holds for charts
            """;

    private static final String HEALTH_USAGE = """
            usage: ./relay health [--stuck-after MINUTES] [--oldest N] [--json]
                                  [--url URL | --stack NAME [--region R]] [--data-dir DIR]
              the admin API's health report (GET /admin/v1/health), one line per check: stuck tasks (not ended
              and created over MINUTES ago; 1-10080, default 60; the oldest N are listed, 0-100, default 10)
              and the depth of each queue of work given up on (poller dead letters, stream failures); a queue
              the stack does not have is not checked (locally the poller has no dead-letter queue), a queue
              the API failed to read is UNKNOWN, with the reason, and named on the last line
              exit status: 0 healthy, %d a check found a problem (stuck tasks, or records in a queue; also
              when another check is UNKNOWN), 1 the report could not be read (unreachable, refused, no
              stack) or a check is UNKNOWN, 2 bad command line
            """.formatted(UNHEALTHY);

    private static final String ORPHANS_USAGE = """
            usage: ./relay orphans <command> [--json] [--url URL | --stack NAME [--region R]] [--data-dir DIR]
              KIND [--limit N] [--cursor C]
                     the Runway resources of KIND (documents, avatars, voices or avatar_conversations) that no
                     current app owns: no ownership record (no-owner: a create whose record was never written), or a
                     record of a deleted app (app-deleted); one page of Runway's organization-wide list per call
                     (--limit 1-100 Runway resources examined, default 50, so a page may list none); --cursor C
                     continues after the page that printed C
              assign KIND RUNWAY_ID --app APP_ID
                     gives the orphan to the app (it must exist at Runway and no current app may own it); the app
                     then sees it as its own (a conversation alone: its transcript, not its realtime session)
              delete KIND RUNWAY_ID --yes
                     deletes the orphan at Runway (refused if an app owns it: the app deletes its own); cannot be
                     undone
            """;

    private AdminCommand() {
    }

    /** The usage text of {@code apps}, {@code tasks}, {@code usage}, {@code metrics}, {@code health} or {@code orphans}. */
    public static String usage(String group) {
        return switch (group) {
            case "apps" -> APPS_USAGE;
            case "tasks" -> TASKS_USAGE;
            case "usage" -> USAGE_USAGE;
            case "metrics" -> METRICS_USAGE;
            case "health" -> HEALTH_USAGE;
            case "orphans" -> ORPHANS_USAGE;
            default -> throw new IllegalArgumentException("no command group " + group);
        };
    }

    /** Whether the words ask for the group's help, or are none at all (usage wrongly given). */
    public static boolean isHelp(String group, List<String> args) {
        if (singleCommand(group)) {
            return args.stream().anyMatch(a -> List.of("help", "--help", "-h").contains(a));
        }
        return args.isEmpty() || List.of("help", "--help", "-h").contains(args.getFirst());
    }

    /**
     * Prints the group's usage on standard error.
     *
     * @return 0 when help was asked for, 2 when no command was given
     */
    public static int help(String group, List<String> args, PrintStream err) {
        err.print(usage(group));
        return args.isEmpty() && !singleCommand(group) ? 2 : 0;
    }

    /** {@code usage}, {@code metrics} and {@code health} are commands of their own, with no subcommand. */
    private static boolean singleCommand(String group) {
        return group.equals("usage") || group.equals("metrics") || group.equals("health");
    }

    /**
     * Runs one command against the admin API.
     *
     * @param group {@code apps}, {@code tasks}, {@code usage}, {@code metrics}, {@code health} or {@code orphans}
     * @param args  the words after the group, the target options already taken out
     * @return the exit status
     * @throws AdminClient.NoAdminApiException when the API has no such admin route (nothing was done): the caller
     *                                      may fall back or say so
     */
    public static int run(String group, List<String> args, PrintStream out, PrintStream err, AdminClient api) {
        return run(group, args, out, err, api, Clock.systemUTC());
    }

    static int run(String group, List<String> args, PrintStream out, PrintStream err, AdminClient api, Clock clock) {
        String prefix = "relay " + group + ": ";
        if (isHelp(group, args)) {
            return help(group, args, err);
        }
        try {
            String command = singleCommand(group) ? group : args.getFirst();
            Words words = Words.parse(singleCommand(group) ? args : args.subList(1, args.size()), SWITCHES);
            Session session = new Session(api, words, out, err, words.flag("json"), clock);
            return switch (group + " " + command) {
                case "apps create" -> session.createApp();
                case "apps list" -> session.listApps();
                case "apps show" -> session.showApp();
                case "apps update" -> session.updateApp();
                case "apps rotate" -> session.rotateApp();
                case "apps disable" -> session.switchApp(true);
                case "apps enable" -> session.switchApp(false);
                case "apps delete" -> session.deleteApp();
                case "tasks list" -> session.listTasks();
                case "tasks show" -> session.showTask();
                case "tasks cancel" -> session.taskAction("cancel");
                case "tasks redeliver" -> session.taskAction("redeliver");
                case "usage usage" -> session.usage();
                case "metrics metrics" -> session.metrics();
                case "health health" -> session.health();
                case "orphans assign" -> session.assignOrphan();
                case "orphans delete" -> session.deleteOrphan();
                default -> {
                    if (group.equals("orphans") && !command.startsWith("-")) {
                        yield session.listOrphans(command);
                    }
                    throw new AdminUsageException("unknown command '" + command + "'");
                }
            };
        } catch (AdminUsageException e) {
            err.println(prefix + e.getMessage());
            err.print(usage(group));
            return 2;
        } catch (AdminClient.Unreachable e) {
            err.println(prefix + e.getMessage());
            return 1;
        } catch (Refused e) {
            e.lines().forEach(line -> err.println(prefix + line));
            return e.status();
        }
    }

    /** The API said no; {@link #lines} say why, {@link #status} is the exit status. */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient List<String> lines;
        private final int status;

        Refused(List<String> lines, int status) {
            super(String.join("; ", lines));
            this.lines = List.copyOf(lines);
            this.status = status;
        }

        List<String> lines() {
            return lines;
        }

        int status() {
            return status;
        }
    }

    /** One command's words, output and API. */
    private record Session(AdminClient api, Words words, PrintStream out, PrintStream err, boolean json, Clock clock) {

        int createApp() {
            words.allowOnly("name", "daily-budget", "max-active", "endpoints", "models", "callback-url", "ambiguous-create", "unsafe-latest",
                    "router-configs", "json");
            words.noPositional();
            ObjectNode body = JsonView.MAPPER.createObjectNode();
            body.put("name", words.required("name"));
            appSettings(body);
            JsonNode app = expect(api.call("POST", "/apps", Map.of(), write(body)), "app", null);
            if (json) {
                printJson(app);
                return 0;
            }
            out.println(app.path("key").asText());
            err.println("Created app " + app.path("id").asText() + " (" + app.path("name").asText() + "): " + describe(app));
            err.println("Webhook signing secret: " + app.path("webhookSecret").asText());
            err.println("The key above is shown once; only its hash is stored. Apps send it to " + api.target().apiUrl()
                    + " (the Runway SDK's baseURL) instead of a Runway key.");
            return 0;
        }

        int listApps() {
            words.allowOnly("json");
            words.noPositional();
            JsonNode page = expect(api.call("GET", "/apps", Map.of(), null), "app", null);
            if (json) {
                printJson(page);
                return 0;
            }
            JsonNode apps = page.path("data");
            if (apps.isEmpty()) {
                err.println("No apps yet: ./relay apps create --name NAME");
                return 0;
            }
            Table table = new Table("ID", "NAME", "DAILY_BUDGET", "MAX_ACTIVE", "KEYS", "STATUS", "AMBIGUOUS_CREATE", "ALLOWED");
            for (JsonNode app : apps) {
                table.row(app.path("id").asText(), app.path("name").asText(), JsonView.text(app.get("dailyCreditBudget")),
                        JsonView.text(app.get("maxActiveTasks")), JsonView.text(app.get("keys")),
                        app.path("disabled").asBoolean() ? "disabled" : "enabled", JsonView.text(app.get("ambiguousCreates")),
                        allowed(app));
            }
            table.print(out, "");
            return 0;
        }

        int showApp() {
            words.allowOnly("json");
            String appId = words.onePositional("./relay apps show APP_ID");
            JsonNode app = expect(api.call("GET", "/apps/" + AdminClient.segment(appId), Map.of(), null), "app", appId);
            print(app);
            return 0;
        }

        int updateApp() {
            words.allowOnly("name", "daily-budget", "max-active", "endpoints", "models", "callback-url", "ambiguous-create", "unsafe-latest",
                    "router-configs", "json");
            String appId = words.onePositional("./relay apps update APP_ID [--name NAME] [--daily-budget CREDITS] [--max-active N]"
                    + " [--endpoints a,b|all] [--models x,y|all] [--callback-url URL|none] [--ambiguous-create fail|retry-once]");
            ObjectNode body = JsonView.MAPPER.createObjectNode();
            words.value("name").ifPresent(name -> body.put("name", name));
            appSettings(body);
            if (body.isEmpty()) {
                throw new AdminUsageException("update needs at least one of --name, --daily-budget, --max-active, --endpoints,"
                        + " --models, --callback-url, --ambiguous-create, --unsafe-latest, --router-configs");
            }
            JsonNode app = expect(api.call("PATCH", "/apps/" + AdminClient.segment(appId), Map.of(), write(body)), "app", appId);
            if (json) {
                printJson(app);
                return 0;
            }
            err.println("Updated app " + appId + ": " + describe(app) + " (tasks submitted from now on; the API caches apps"
                    + " for up to RELAY_APP_CACHE_SECONDS, 30 s by default)");
            return 0;
        }

        int rotateApp() {
            words.allowOnly("grace-hours", "json");
            String appId = words.onePositional("./relay apps rotate APP_ID [--grace-hours H]");
            ObjectNode body = JsonView.MAPPER.createObjectNode();
            Optional<Long> grace = words.number("grace-hours");
            grace.ifPresent(hours -> body.put("graceHours", hours));
            JsonNode app = expect(api.call("POST", "/apps/" + AdminClient.segment(appId) + "/rotate", Map.of(), write(body)), "app", appId);
            if (json) {
                printJson(app);
                return 0;
            }
            out.println(app.path("key").asText());
            err.println("Rotated app " + appId + ": new key above (" + (app.has("revokedKeys") ? app.get("revokedKeys").asText() + " old key(s)"
                    : "the old key") + " revoked at once); new webhook signing secret: " + app.path("webhookSecret").asText());
            String until = app.path("oldWebhookSecretsSignUntil").asText("");
            if (!until.isEmpty()) {
                err.println("The old webhook secret keeps signing until " + until + ".");
            } else {
                err.println(grace.map(hours -> hours == 0 ? "The old webhook secret no longer signs."
                                : "The old webhook secret keeps signing for " + hours + " hour(s).")
                        .orElse("The old webhook secret keeps signing for the API's default grace (24 hours)."));
            }
            return 0;
        }

        int switchApp(boolean disable) {
            words.allowOnly("json");
            String verb = disable ? "disable" : "enable";
            String appId = words.onePositional("./relay apps " + verb + " APP_ID");
            JsonNode app = expect(api.call("POST", "/apps/" + AdminClient.segment(appId) + "/" + verb, Map.of(), null), "app", appId);
            if (json) {
                printJson(app);
                return 0;
            }
            err.println((disable ? "Disabled app " + appId + ": its keys are refused from now on"
                    : "Enabled app " + appId + ": its keys are accepted again")
                    + " (the API caches apps for up to RELAY_APP_CACHE_SECONDS, 30 s by default).");
            return 0;
        }

        int deleteApp() {
            words.allowOnly("yes", "json");
            String appId = words.onePositional("./relay apps delete APP_ID --yes");
            if (!words.flag("yes")) {
                throw new AdminUsageException("delete cannot be undone: add --yes to delete app " + appId
                        + " (./relay apps disable " + appId + " only refuses its keys)");
            }
            JsonNode answer = expect(api.call("DELETE", "/apps/" + AdminClient.segment(appId), Map.of(), null), "app", appId);
            if (json) {
                printJson(answer);
                return 0;
            }
            JsonView.describe(answer, out);
            err.println("Deleted app " + appId + ".");
            return 0;
        }

        int listTasks() {
            words.allowOnly("app", "state", "endpoint", "model", "created-after", "created-before", "limit", "cursor", "all", "json");
            words.noPositional();
            Map<String, String> query = new LinkedHashMap<>();
            query.put("appId", words.value("app").orElse(null));
            query.put("state", words.value("state").orElse(null));
            query.put("endpoint", words.value("endpoint").orElse(null));
            query.put("model", words.value("model").orElse(null));
            query.put("createdAfter", words.value("created-after").map(v -> instant("created-after", v)).orElse(null));
            query.put("createdBefore", words.value("created-before").map(v -> instant("created-before", v)).orElse(null));
            query.put("limit", words.number("limit").map(String::valueOf).orElse(null));
            query.put("cursor", words.value("cursor").orElse(null));
            boolean all = words.flag("all");
            ArrayNode tasks = JsonView.MAPPER.createArrayNode();
            Set<String> cursors = new HashSet<>();
            JsonNode page;
            while (true) {
                page = expect(api.call("GET", "/tasks", query, null), "task", null);
                tasks.addAll((ArrayNode) page.withArray("data"));
                String next = page.path("nextCursor").asText(null);
                if (!all || next == null || next.isEmpty()) {
                    break;
                }
                if (!cursors.add(next)) {
                    throw new Refused(List.of("the API returned cursor " + next + " twice; stopped following pages"), 1);
                }
                query.put("cursor", next);
            }
            if (json) {
                if (all) {
                    ObjectNode combined = JsonView.MAPPER.createObjectNode();
                    combined.set("data", tasks);
                    printJson(combined);
                } else {
                    printJson(page);
                }
                return 0;
            }
            if (tasks.isEmpty()) {
                err.println("No tasks match.");
            } else {
                Table table = new Table("CREATED", "ID", "APP", "ENDPOINT", "MODEL", "STATE", "RUNWAY_STATUS", "CREDITS", "FAILURE");
                for (JsonNode task : tasks) {
                    table.row(JsonView.text(task.get("createdAt")), JsonView.text(task.get("id")), JsonView.text(task.get("appId")),
                            JsonView.text(task.get("endpoint")), JsonView.text(task.get("model")), JsonView.text(task.get("state")),
                            JsonView.text(task.get("runwayStatus")), credits(task), JsonView.text(task.get("failureCode")));
                }
                table.print(out, "");
            }
            String next = page.path("nextCursor").asText(null);
            if (!all && next != null && !next.isEmpty()) {
                err.println("More tasks: add --cursor " + next + " (or --all for every page).");
            }
            return 0;
        }

        int showTask() {
            words.allowOnly("json");
            String taskId = words.onePositional("./relay tasks show TASK_ID");
            print(expect(api.call("GET", "/tasks/" + AdminClient.segment(taskId), Map.of(), null), "task", taskId));
            return 0;
        }

        int taskAction(String action) {
            words.allowOnly("json");
            String taskId = words.onePositional("./relay tasks " + action + " TASK_ID");
            JsonNode task = expect(api.call("POST", "/tasks/" + AdminClient.segment(taskId) + "/" + action, Map.of(), null), "task", taskId);
            if (json) {
                printJson(task);
                return 0;
            }
            if (action.equals("cancel")) {
                err.println("Cancelled task " + taskId + ": now " + JsonView.text(task.get("state"))
                        + (task.hasNonNull("runwayStatus") ? " (Runway: " + task.get("runwayStatus").asText() + ")" : "") + ".");
            } else {
                err.println("The webhook of task " + taskId + " is being sent again (same webhook-id).");
            }
            return 0;
        }

        int listOrphans(String kind) {
            words.allowOnly("limit", "cursor", "json");
            words.noPositional();
            Map<String, String> query = new LinkedHashMap<>();
            query.put("limit", words.number("limit").map(String::valueOf).orElse(null));
            query.put("cursor", words.value("cursor").orElse(null));
            JsonNode page = expect(api.call("GET", "/orphans/" + AdminClient.segment(kind), query, null), "orphan", null);
            if (json) {
                printJson(page);
                return 0;
            }
            JsonNode orphans = page.path("data");
            if (orphans.isEmpty()) {
                out.println("No orphans among the " + JsonView.text(page.get("examined")) + " " + kind
                        + " examined.");
            } else {
                Table table = new Table("CREATED", "ID", "NAME", "REASON", "FORMER_APP", "LIKELY_APP");
                boolean hinted = false;
                boolean conversations = kind.equals("avatar_conversations");
                for (JsonNode orphan : orphans) {
                    table.row(JsonView.text(orphan.get("createdAt")), JsonView.text(orphan.get("id")),
                            JsonView.text(orphan.get("name")), JsonView.text(orphan.get("reason")),
                            JsonView.text(orphan.get("formerAppId")),
                            orphan.hasNonNull("likelyAppId") ? orphan.get("likelyAppId").asText()
                                    + (conversations ? " (session started " : " (create started ")
                                    + orphan.path("intentStartedAt").asText() + ")" : JsonView.text(null));
                    hinted |= orphan.hasNonNull("likelyAppId");
                }
                table.print(out, "");
                out.println(orphans.size() + " orphan(s) among the " + JsonView.text(page.get("examined")) + " " + kind
                        + " examined.");
                if (hinted && conversations) {
                    err.println("LIKELY_APP: the app whose realtime session this conversation is (the session's record"
                            + " was written, the conversation's never was; a hint, not proof): assign it with"
                            + " ./relay orphans assign if that app should own it.");
                } else if (hinted) {
                    err.println("LIKELY_APP: an app's create of this kind and name started shortly before Runway created it"
                            + " and never recorded it (a hint, not proof): assign it with ./relay orphans assign"
                            + " if that app should own it.");
                }
            }
            String next = page.path("nextCursor").asText(null);
            if (next != null && !next.isEmpty()) {
                err.println("More of Runway's list to examine: add --cursor " + next);
            }
            long settling = page.path("settling").asLong(0);
            if (settling > 0) {
                err.println(settling + " of them have no owner yet but were created in the last minutes (settling: an"
                        + " app's create may still be recording them); scan again later.");
            }
            return 0;
        }

        int assignOrphan() {
            words.allowOnly("app", "json");
            List<String> target = words.positionals(2, "./relay orphans assign KIND RUNWAY_ID --app APP_ID");
            ObjectNode body = JsonView.MAPPER.createObjectNode();
            body.put("appId", words.required("app"));
            JsonNode assigned = expect(api.call("POST", "/orphans/" + AdminClient.segment(target.get(0)) + "/"
                    + AdminClient.segment(target.get(1)) + "/assign", Map.of(), write(body)), "orphan", null);
            if (json) {
                printJson(assigned);
                return 0;
            }
            err.println("Assigned " + target.get(0) + " " + target.get(1) + " to app " + JsonView.text(assigned.get("appId"))
                    + (assigned.hasNonNull("formerAppId") ? " (it was deleted app " + assigned.get("formerAppId").asText()
                    + "'s)" : "") + ".");
            return 0;
        }

        int deleteOrphan() {
            words.allowOnly("yes", "json");
            List<String> target = words.positionals(2, "./relay orphans delete KIND RUNWAY_ID --yes");
            if (!words.flag("yes")) {
                throw new AdminUsageException("delete cannot be undone: add --yes to delete " + target.get(0) + " "
                        + target.get(1) + " at Runway");
            }
            JsonNode deleted = expect(api.call("DELETE", "/orphans/" + AdminClient.segment(target.get(0)) + "/"
                    + AdminClient.segment(target.get(1)), Map.of(), null), "orphan", null);
            if (json) {
                printJson(deleted);
                return 0;
            }
            err.println("Deleted " + target.get(0) + " " + target.get(1) + " at Runway"
                    + (deleted.hasNonNull("formerAppId") ? ", with deleted app " + deleted.get("formerAppId").asText()
                    + "'s record of it" : "") + ".");
            return 0;
        }

        int usage() {
            words.allowOnly("from", "to", "app", "json");
            words.noPositional();
            LocalDate to = words.value("to").map(v -> day("to", v)).orElseGet(() -> LocalDate.now(clock.withZone(ZoneOffset.UTC)));
            LocalDate from = words.value("from").map(v -> day("from", v)).orElseGet(() -> to.minusDays(USAGE_DAYS - 1));
            Map<String, String> query = new LinkedHashMap<>();
            query.put("from", from.toString());
            query.put("to", to.toString());
            query.put("appId", words.value("app").orElse(null));
            JsonNode usage = expect(api.call("GET", "/usage", query, null), "app", words.value("app").orElse(null));
            if (json) {
                printJson(usage);
                return 0;
            }
            out.println("Usage " + JsonView.text(usage.get("from")) + " to " + JsonView.text(usage.get("to")) + " (UTC days)");
            JsonNode days = usage.path("days");
            if (days.isEmpty()) {
                out.println("No tasks in this range.");
            } else {
                Table table = new Table("DAY", "APP", "CREDITS", "TASKS", "POSSIBLE_ORPHANS", "MODELS");
                for (JsonNode day : days) {
                    table.row(JsonView.text(day.get("day")), JsonView.text(day.get("appId")), JsonView.text(day.get("credits")),
                            JsonView.text(day.get("tasks")), JsonView.text(day.get("possibleOrphans")), models(day.path("models")));
                }
                table.print(out, "");
            }
            JsonNode totals = usage.path("totals");
            out.println();
            out.println("Total: " + JsonView.text(totals.get("credits")) + " credits, " + JsonView.text(totals.get("tasks")) + " tasks");
            breakdown("APP", totals.path("apps"));
            breakdown("MODEL", totals.path("models"));
            return 0;
        }

        int metrics() {
            words.allowOnly("hours", "period", "json");
            words.noPositional();
            Map<String, String> query = new LinkedHashMap<>();
            query.put("hours", words.value("hours").orElse(null));
            query.put("period", words.value("period").orElse(null));
            JsonNode metrics = expect(api.call("GET", "/metrics", query, null), "metric", null);
            if (json) {
                printJson(metrics);
                return 0;
            }
            out.println("Metrics " + JsonView.text(metrics.get("start")) + " to " + JsonView.text(metrics.get("end"))
                    + " (UTC)");
            Table table = new Table("METRIC", "SERIES", "SUM", "COUNT", "MAX", "P50", "P95", "UNIT");
            List<String> quiet = new ArrayList<>();
            for (JsonNode metric : metrics.path("metrics")) {
                String name = JsonView.text(metric.get("name"));
                if (metric.path("series").isEmpty()) {
                    quiet.add(name);
                    continue;
                }
                boolean distribution = metric.path("distribution").asBoolean();
                for (JsonNode series : metric.path("series")) {
                    List<String> dimensions = new ArrayList<>();
                    series.path("dimensions").properties().forEach(d -> dimensions.add(d.getKey() + "=" + d.getValue().asText()));
                    table.row(name, dimensions.isEmpty() ? "-" : String.join(",", dimensions), number(series.get("sum")),
                            JsonView.text(series.get("count")), distribution ? number(series.get("max")) : "",
                            distribution ? number(series.get("p50")) : "", distribution ? number(series.get("p95")) : "",
                            JsonView.text(metric.get("unit")));
                }
            }
            if (table.isEmpty()) {
                out.println("Nothing recorded in this window.");
            } else {
                table.print(out, "");
            }
            if (!quiet.isEmpty() && !table.isEmpty()) {
                out.println();
                out.println("Nothing recorded: " + String.join(", ", quiet));
            }
            return 0;
        }

        /**
         * The health report, one line per check, then the oldest stuck tasks; with {@code --json}, the API's JSON.
         * Either way the exit status says whether a check found a problem ({@value #UNHEALTHY}) or, failing that,
         * whether a check the report names in {@code failedChecks} could not be made (1, as for a report that
         * could not be read: nothing says that queue is empty). A queue the stack does not have is "not checked"
         * and changes nothing.
         */
        int health() {
            words.allowOnly("stuck-after", "oldest", "json");
            words.noPositional();
            Map<String, String> query = new LinkedHashMap<>();
            query.put("stuckAfterMinutes", words.value("stuck-after").orElse(null));
            query.put("oldest", words.value("oldest").orElse(null));
            JsonNode health = expect(api.call("GET", "/health", query, null), "health", null);
            JsonNode count = health.path("stuckTasks").path("count");
            if (!count.canConvertToLong() || !health.path("queues").isObject()) {
                throw new Refused(List.of("the API's health report lacks stuckTasks.count or queues: "
                        + abbreviate(JsonView.compact(health))), 1);
            }
            List<String> problems = new ArrayList<>();
            Table checks = new Table("CHECK", "STATUS", "DETAIL");
            long stuck = count.asLong();
            String minutes = JsonView.text(health.get("stuckAfterMinutes"));
            checks.row("stuck tasks", stuck > 0 ? "PROBLEM" : "ok", stuck + " not ended, created over " + minutes + " min ago");
            if (stuck > 0) {
                problems.add(stuck + " stuck task(s)");
            }
            JsonNode queues = health.path("queues");
            JsonNode reasons = queues.path("notAvailable");
            // failedChecks names the checks the API could not make (queues.<name>); an API before it has no such member.
            List<String> failed = new ArrayList<>();
            health.path("failedChecks").forEach(check -> failed.add(check.asText()));
            List<String> unknown = new ArrayList<>();
            for (Map.Entry<String, JsonNode> queue : queues.properties()) {
                if (queue.getKey().equals("notAvailable")) {
                    continue;
                }
                String name = queueName(queue.getKey());
                JsonNode depth = queue.getValue();
                String reason = reasons.hasNonNull(queue.getKey()) ? reasons.get(queue.getKey()).asText() : "the API reported no depth";
                if (depth.canConvertToLong() && depth.asLong() > 0) {
                    checks.row(name, "PROBLEM", depth.asLong() + " waiting");
                    problems.add(depth.asLong() + " " + queueItems(queue.getKey()));
                } else if (depth.canConvertToLong()) {
                    checks.row(name, "ok", "0 waiting");
                } else if (failed.remove("queues." + queue.getKey())) {
                    checks.row(name, "UNKNOWN", reason);
                    unknown.add(name);
                } else {
                    checks.row(name, "not checked", reason);
                }
            }
            unknown.addAll(failed); // a failed check this CLI has no line for, named as the API names it
            if (json) {
                printJson(health);
            } else {
                out.println("Health as of " + JsonView.text(health.get("asOf")));
                checks.print(out, "");
                JsonNode oldest = health.path("stuckTasks").path("oldest");
                if (!oldest.isEmpty()) {
                    out.println();
                    out.println("Oldest stuck tasks" + (stuck > oldest.size() ? " (" + oldest.size() + " of " + stuck + ")" : "") + ":");
                    Table tasks = new Table("CREATED", "ID", "APP", "ENDPOINT", "MODEL", "STATE", "RUNWAY_STATUS");
                    for (JsonNode task : oldest) {
                        tasks.row(JsonView.text(task.get("createdAt")), JsonView.text(task.get("id")), JsonView.text(task.get("appId")),
                                JsonView.text(task.get("endpoint")), JsonView.text(task.get("model")), JsonView.text(task.get("state")),
                                JsonView.text(task.get("runwayStatus")));
                    }
                    tasks.print(out, "");
                }
                out.println();
                if (!problems.isEmpty()) {
                    out.println("Unhealthy: " + String.join(", ", problems) + ".");
                }
                if (!unknown.isEmpty()) {
                    out.println("Could not check: " + String.join(", ", unknown) + ".");
                }
                if (problems.isEmpty() && unknown.isEmpty()) {
                    out.println("Healthy.");
                }
            }
            // A problem found outranks a check not made: the report already says something is wrong.
            int status = !problems.isEmpty() ? UNHEALTHY : !unknown.isEmpty() ? 1 : 0;
            if (!problems.isEmpty()) {
                err.println("relay health: unhealthy: " + String.join(", ", problems) + " (exit " + UNHEALTHY + ")");
            }
            if (!unknown.isEmpty()) {
                err.println("relay health: could not check: " + String.join(", ", unknown) + (status == 1 ? " (exit 1)" : ""));
            }
            return status;
        }

        /** What one record of the queue is, for the summary line. */
        private static String queueItems(String member) {
            return switch (member) {
                case "pollerDeadLetters" -> "poller dead letter(s)";
                case "streamFailures" -> "stream failure(s)";
                default -> "record(s) in " + member;
            };
        }

        private static String queueName(String member) {
            return switch (member) {
                case "pollerDeadLetters" -> "poller dead letters";
                case "streamFailures" -> "stream failures";
                default -> member;
            };
        }

        /** A number as the table shows it: whole numbers as they are, others with at most two decimals. */
        private static String number(JsonNode value) {
            if (value == null || value.isNull() || value.isMissingNode()) {
                return "-";
            }
            if (value.isIntegralNumber()) {
                return value.asText();
            }
            double number = value.asDouble();
            return number == Math.rint(number) ? Long.toString((long) number)
                    : new java.math.BigDecimal(number).setScale(2, java.math.RoundingMode.HALF_UP).stripTrailingZeros()
                            .toPlainString();
        }

        private void breakdown(String what, JsonNode counts) {
            if (counts.isEmpty()) {
                return;
            }
            out.println();
            Table table = new Table(what, "CREDITS", "TASKS");
            counts.properties().forEach(entry -> table.row(entry.getKey(), JsonView.text(entry.getValue().get("credits")),
                    JsonView.text(entry.getValue().get("tasks"))));
            table.print(out, "");
        }

        private static String models(JsonNode models) {
            List<String> parts = new ArrayList<>();
            models.properties().forEach(entry -> parts.add(entry.getKey() + " " + JsonView.text(entry.getValue().get("credits"))
                    + "/" + JsonView.text(entry.getValue().get("tasks"))));
            return parts.isEmpty() ? "-" : String.join(", ", parts);
        }

        /** Actual credits when settled, else {@code ~estimate}. */
        private static String credits(JsonNode task) {
            if (task.hasNonNull("actualCredits")) {
                return task.get("actualCredits").asText();
            }
            return task.hasNonNull("estimatedCredits") ? "~" + task.get("estimatedCredits").asText() : "-";
        }

        private void appSettings(ObjectNode body) {
            words.number("daily-budget").ifPresent(n -> body.put("dailyCreditBudget", n));
            words.number("max-active").ifPresent(n -> body.put("maxActiveTasks", n));
            words.list("endpoints").ifPresent(list -> list.forEach(body.putArray("allowedEndpoints")::add));
            words.list("models").ifPresent(list -> list.forEach(body.putArray("allowedModels")::add));
            words.value("callback-url").ifPresent(url -> {
                if (url.strip().equalsIgnoreCase("none")) {
                    body.putNull("defaultCallbackUrl");
                } else {
                    body.put("defaultCallbackUrl", url.strip());
                }
            });
            words.value("ambiguous-create").ifPresent(policy -> body.put("ambiguousCreates", policy.strip()));
            words.value("unsafe-latest").ifPresent(choice -> body.put("allowUnsafeLatest", switch (choice.strip()) {
                case "allow" -> true;
                case "deny" -> false;
                default -> throw new AdminUsageException("--unsafe-latest must be allow or deny (got '" + choice + "')");
            }));
            words.value("router-configs").ifPresent(value -> {
                // Empty means none here (unlike --endpoints), so 'all' would say the opposite of what it does.
                boolean none = value.strip().equalsIgnoreCase("none");
                List<String> slugs = none ? List.of()
                        : Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).distinct().toList();
                if (!none && (slugs.isEmpty() || slugs.contains("all"))) {
                    throw new AdminUsageException("--router-configs needs router slugs (a,b) or 'none'");
                }
                slugs.forEach(body.putArray("allowedRouterConfigs")::add);
            });
        }

        private void print(JsonNode node) {
            if (json) {
                printJson(node);
            } else {
                JsonView.describe(node, out);
            }
        }

        private void printJson(JsonNode node) {
            out.println(JsonView.pretty(node));
        }

        /**
         * The answer's JSON when it succeeded; otherwise says why and throws.
         *
         * @param kind what an unknown id names ("app", "task")
         * @param id   the id the request named, or null
         */
        private JsonNode expect(AdminClient.Answer answer, String kind, String id) {
            JsonNode body = parse(answer.body());
            if (answer.ok()) {
                if (body == null || !body.isObject()) {
                    throw new Refused(List.of("the API answered " + answer.status() + " with a body that is not a JSON object: "
                            + abbreviate(answer.body())), 1);
                }
                return body;
            }
            throw refused(answer, body, kind, id);
        }

        private Refused refused(AdminClient.Answer answer, JsonNode problem, String kind, String id) {
            String detail = problem == null ? abbreviate(answer.body())
                    : firstText(problem, "detail", "title", "message").orElse(abbreviate(answer.body()));
            AdminTarget target = api.target();
            return switch (answer.status()) {
                case 400 -> {
                    List<String> lines = new ArrayList<>();
                    lines.add("the API refused the request (400): " + detail);
                    if (problem != null) {
                        for (JsonNode issue : problem.path("issues")) {
                            lines.add("  - " + issueText(issue.path("path"), issue.path("message").asText())
                                    + (issue.hasNonNull("code") ? " (" + issue.get("code").asText() + ")" : ""));
                        }
                    }
                    yield new Refused(lines, 2);
                }
                case 401, 403 -> new Refused(List.of("the admin API of " + target.description() + " refused the request's signature ("
                        + answer.status() + (detail.isEmpty() ? "" : ": " + detail) + ")", "the request was " + target.credentialsHint()
                        + "."), 1);
                case 404 -> new Refused(List.of(id == null ? "not found (404): " + detail
                        : "no such " + kind + " " + id + " (see ./relay " + kind + "s list)"), 1);
                default -> new Refused(List.of("the API answered " + answer.status()
                        + firstText(problem, "title").map(t -> " " + t).orElse("") + (detail.isEmpty() ? "" : ": " + detail)), 1);
            };
        }

        /**
         * An issue as one line: {@code path: message}, except that a query parameter's issue (path
         * {@code ["query", name]}) is named the way its message names it, once:
         * {@code query parameter 'hours' must be ...}, not {@code query.hours: query parameter 'hours' must be ...}.
         */
        private static String issueText(JsonNode path, String message) {
            if (path.isArray() && path.size() == 2 && "query".equals(path.get(0).asText()) && path.get(1).isTextual()) {
                String named = "query parameter '" + path.get(1).asText() + "'";
                return message.startsWith(named) ? message : named + ": " + message;
            }
            String shown = issuePath(path);
            return (shown.isEmpty() ? "" : shown + ": ") + message;
        }

        /** An issue's path: the gateway sends segments ({@code ["allowedModels", 0]}); a string is taken as it is. */
        private static String issuePath(JsonNode path) {
            if (path.isArray()) {
                List<String> segments = new ArrayList<>();
                path.forEach(segment -> segments.add(segment.isNumber() ? "[" + segment.asText() + "]" : segment.asText()));
                return String.join(".", segments).replace(".[", "[");
            }
            return path.isValueNode() ? path.asText() : "";
        }

        private static Optional<String> firstText(JsonNode node, String... names) {
            if (node == null) {
                return Optional.empty();
            }
            for (String name : names) {
                if (node.hasNonNull(name) && !node.get(name).asText().isBlank()) {
                    return Optional.of(node.get(name).asText());
                }
            }
            return Optional.empty();
        }

        private static JsonNode parse(String body) {
            if (body == null || body.isBlank()) {
                return null;
            }
            try {
                return JsonView.MAPPER.readTree(body);
            } catch (JsonProcessingException e) {
                return null;
            }
        }

        private static String write(JsonNode body) {
            return JsonView.compact(body);
        }

        private static String abbreviate(String body) {
            String flat = body == null ? "" : body.replaceAll("\\s+", " ").strip();
            return flat.length() <= 300 ? flat : flat.substring(0, 300) + "…";
        }

        private static String describe(JsonNode app) {
            return "daily budget " + JsonView.text(app.get("dailyCreditBudget")) + " credits, up to " + JsonView.text(app.get("maxActiveTasks"))
                    + " active tasks, ambiguous creates " + JsonView.text(app.get("ambiguousCreates")) + ", " + allowed(app)
                    + (app.path("allowUnsafeLatest").asBoolean() ? ", recipes at unsafe-latest allowed" : "")
                    + (app.path("allowedRouterConfigs").isEmpty() ? "" : ", routers " + allOr(app.path("allowedRouterConfigs")))
                    + (app.hasNonNull("defaultCallbackUrl") ? ", default callback " + app.get("defaultCallbackUrl").asText() : "");
        }

        private static String allowed(JsonNode app) {
            return "endpoints: " + allOr(app.path("allowedEndpoints")) + "; models: " + allOr(app.path("allowedModels"));
        }

        private static String allOr(JsonNode names) {
            if (!names.isArray() || names.isEmpty()) {
                return "all";
            }
            List<String> sorted = new ArrayList<>();
            names.forEach(name -> sorted.add(name.asText()));
            sorted.sort(null);
            return String.join(",", sorted);
        }

        private static String instant(String option, String value) {
            String v = value.strip();
            try {
                if (v.matches("\\d{4}-\\d{2}-\\d{2}")) {
                    return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant().toString();
                }
                return Instant.parse(v).toString();
            } catch (DateTimeParseException e) {
                throw new AdminUsageException("--" + option + " must be an instant such as 2026-12-03T08:00:00Z or a UTC day such as"
                        + " 2026-12-03 (got '" + value + "')");
            }
        }

        private static LocalDate day(String option, String value) {
            try {
                return LocalDate.parse(value.strip());
            } catch (DateTimeParseException e) {
                throw new AdminUsageException("--" + option + " must be a day such as 2026-12-03 (got '" + value + "')");
            }
        }
    }
}
