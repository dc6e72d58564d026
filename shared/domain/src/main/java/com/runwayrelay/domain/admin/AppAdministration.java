package com.runwayrelay.domain.admin;

import com.runwayrelay.domain.Violation;
import com.runwayrelay.domain.app.ApiKeys;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.runway.WorkflowRuns;
import com.runwayrelay.domain.app.AppRepository;
import com.runwayrelay.domain.runway.AmbiguousCreatePolicy;
import com.runwayrelay.domain.webhook.CallbackUrlCheck;
import com.runwayrelay.domain.webhook.WebhookSecrets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The operator's use cases on apps: create (the key shown once), list, get, update, rotate the key
 * and webhook secret, disable, enable and delete. Every request is checked as a whole (all
 * violations at once) before anything is written; an invalid one changes nothing. Writes are
 * conditional on the app's version and retried a few times against concurrent writers.
 *
 * <p>Deleting an app removes it and revokes its keys, and nothing else: its tasks, usage records
 * and archived outputs stay (the admin API still lists them by app id); tasks still running
 * finish, but their webhooks are no longer sent (there is no secret to sign them with).
 *
 * <p>A key exists in clear only in the {@link AppOutcome.Created} or {@link AppOutcome.Rotated}
 * that returns it, whose {@code toString} hides it; only its hash is stored.
 */
public final class AppAdministration {
    /** Longest app name. */
    public static final int MAX_NAME_CHARS = 100;
    /** Largest daily credit budget. */
    public static final long MAX_DAILY_BUDGET = 1_000_000_000L;
    /** Most active tasks an app may be allowed. */
    public static final int MAX_ACTIVE_TASKS = 100_000;
    /** Longest default callback URL (as for {@code relay.callbackUrl}). */
    public static final int MAX_CALLBACK_URL_CHARS = 2048;
    /** Longest time old webhook secrets may keep signing after a rotation. */
    public static final Duration MAX_GRACE = Duration.ofDays(30);
    /** A new app's daily budget when none is given. */
    public static final long DEFAULT_DAILY_BUDGET = 1000;
    /** A new app's active-task limit when none is given. */
    public static final int DEFAULT_MAX_ACTIVE = 10;
    /** How long old webhook secrets keep signing after a rotation when no grace is given. */
    public static final Duration DEFAULT_GRACE = Duration.ofHours(24);

    private static final int ATTEMPTS = 4;
    private static final Pattern APP_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    /** The form of a Model Router slug (Runway's {@code configId}). */
    public static final Pattern ROUTER_SLUG = Pattern.compile("[a-z][a-z0-9_-]{0,63}");
    private static final char[] ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AppRepository apps;
    private final KnownNames known;
    private final CallbackUrlCheck callbacks;
    private final Clock clock;

    /**
     * @param known     what {@code allowedEndpoints} and {@code allowedModels} may name
     * @param callbacks the callback policy {@code defaultCallbackUrl} must pass (as {@code relay.callbackUrl})
     */
    public AppAdministration(AppRepository apps, KnownNames known, CallbackUrlCheck callbacks, Clock clock) {
        this.apps = Objects.requireNonNull(apps, "apps");
        this.known = Objects.requireNonNull(known, "known");
        this.callbacks = Objects.requireNonNull(callbacks, "callbacks");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A new app with {@code changes} over the defaults; {@code name} is required. */
    public AppOutcome create(AppChanges changes) {
        List<Violation> violations = createViolations(changes);
        if (!violations.isEmpty()) {
            return new AppOutcome.Invalid(violations);
        }
        Instant now = clock.instant();
        String key = ApiKeys.mint();
        App.WebhookSecret secret = new App.WebhookSecret(WebhookSecrets.mint(RANDOM), now, null);
        App app = App.builder(newAppId(), changes.name().strip(), now)
                .dailyCreditBudget(changes.dailyCreditBudget() == null ? DEFAULT_DAILY_BUDGET : changes.dailyCreditBudget())
                .maxActiveTasks(changes.maxActiveTasks() == null ? DEFAULT_MAX_ACTIVE : changes.maxActiveTasks())
                .allowedEndpoints(orEmpty(changes.allowedEndpoints())).allowedModels(orEmpty(changes.allowedModels()))
                .webhookSecrets(List.of(secret))
                .ambiguousCreates(changes.ambiguousCreates() == null ? AmbiguousCreatePolicy.FAIL
                        : AmbiguousCreatePolicy.parse(changes.ambiguousCreates()))
                .defaultCallbackUrl(changes.defaultCallbackUrl())
                .allowUnsafeLatest(Boolean.TRUE.equals(changes.allowUnsafeLatest()))
                .allowedWorkflows(orEmpty(changes.allowedWorkflows()))
                .workflowCeilings(changes.workflowCeilings() == null ? Map.of() : changes.workflowCeilings())
                .allowedRouterConfigs(orEmpty(changes.allowedRouterConfigs()))
                .build();
        apps.create(app, ApiKeys.hash(key));
        return new AppOutcome.Created(new AppView(app, 1), key, secret.secret());
    }

    /** Every app, oldest first. */
    public List<AppView> list() {
        return apps.list().stream().map(this::view).toList();
    }

    /** One app. */
    public AppOutcome get(String appId) {
        return find(appId).<AppOutcome>map(app -> new AppOutcome.Found(view(app)))
                .orElseGet(() -> new AppOutcome.NotFound(appId));
    }

    /** Changes the members given; at least one must be. Applies to tasks submitted afterwards. */
    public AppOutcome update(String appId, AppChanges changes) {
        Optional<App> found = find(appId);
        if (found.isEmpty()) {
            return new AppOutcome.NotFound(appId);
        }
        List<Violation> violations = updateViolations(changes);
        if (!violations.isEmpty()) {
            return new AppOutcome.Invalid(violations);
        }
        return change(appId, app -> applied(app, changes));
    }

    /**
     * Every violation {@link #create} reports for {@code changes}, {@code unreadable} ones included,
     * without creating anything: for a caller that refuses the request for another reason too and
     * reports everything at once.
     */
    public List<Violation> createViolations(AppChanges changes) {
        return check(changes, true);
    }

    /** Every violation {@link #update} reports for {@code changes} of an app that exists, changing nothing. */
    public List<Violation> updateViolations(AppChanges changes) {
        List<Violation> violations = check(changes, false);
        if (violations.isEmpty() && changes.empty()) {
            violations = List.of(new Violation(List.of(), "empty_update", "Give at least one member to change: name, "
                    + "dailyCreditBudget, maxActiveTasks, allowedEndpoints, allowedModels, defaultCallbackUrl, "
                    + "ambiguousCreates, allowUnsafeLatest, allowedWorkflows, workflowCeilings, allowedRouterConfigs"));
        }
        return violations;
    }

    /** Every violation {@link #rotate} reports for its arguments, changing nothing. */
    public static List<Violation> rotateViolations(Long graceHours, List<Violation> unreadable) {
        List<Violation> violations = new ArrayList<>(unreadable);
        if (graceHours != null && (graceHours < 0 || graceHours > MAX_GRACE.toHours())) {
            violations.add(new Violation(List.of("graceHours"), graceHours < 0 ? "too_small" : "too_big",
                    "graceHours must be between 0 and " + MAX_GRACE.toHours() + " (got " + graceHours + ")"));
        }
        return violations;
    }

    /**
     * A new key and webhook secret: the new key works before the old ones are revoked, so the app
     * is never without one; the old secrets keep signing for {@code graceHours} (default
     * {@link #DEFAULT_GRACE}), so receivers can switch over. The count of revoked keys is of those
     * this call revoked: a key another writer revokes meanwhile is not counted.
     *
     * @param graceHours 0 to {@link #MAX_GRACE} in hours, or null for the default
     * @param unreadable violations found while reading the request
     */
    public AppOutcome rotate(String appId, Long graceHours, List<Violation> unreadable) {
        Optional<App> found = find(appId);
        if (found.isEmpty()) {
            return new AppOutcome.NotFound(appId);
        }
        List<Violation> violations = rotateViolations(graceHours, unreadable);
        if (!violations.isEmpty()) {
            return new AppOutcome.Invalid(violations);
        }
        Duration grace = graceHours == null ? DEFAULT_GRACE : Duration.ofHours(graceHours);
        List<String> oldKeys = apps.keyHashes(appId);
        String key = ApiKeys.mint();
        String keyHash = ApiKeys.hash(key);
        apps.addKey(appId, keyHash);
        Instant now = clock.instant();
        App.WebhookSecret secret = new App.WebhookSecret(WebhookSecrets.mint(RANDOM), now, null);
        AppOutcome changed = change(appId, app -> withNewSecret(app, secret, now, grace));
        if (!(changed instanceof AppOutcome.Found)) {
            // The new key was never shown: it must not stay valid.
            apps.revokeKey(keyHash);
            return changed;
        }
        // Only the keys this rotation revokes count: another writer may revoke one after the read above.
        int revoked = (int) oldKeys.stream().filter(apps::revokeKey).count();
        App app = find(appId).orElseThrow(() -> new IllegalStateException("app " + appId + " vanished while rotated"));
        return new AppOutcome.Rotated(view(app), key, secret.secret(), revoked, now.plus(grace));
    }

    /** Refuses the app's keys from now on (within the API functions' short app cache). */
    public AppOutcome disable(String appId) {
        return change(appId, app -> app.disabled() ? app : app.withDisabled(true));
    }

    /** Accepts the app's keys again. */
    public AppOutcome enable(String appId) {
        return change(appId, app -> app.disabled() ? app.withDisabled(false) : app);
    }

    /** Removes the app and revokes its keys; see the class comment for what is kept. */
    public AppOutcome delete(String appId) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<App> found = find(appId);
            if (found.isEmpty()) {
                return new AppOutcome.NotFound(appId);
            }
            // The count is what the delete itself revoked: a separate read could miss a key added or
            // revoked just before it.
            Optional<List<String>> revoked = apps.delete(found.get());
            if (revoked.isPresent()) {
                return new AppOutcome.Deleted(appId, revoked.get().size());
            }
        }
        return new AppOutcome.Conflict(appId);
    }

    /** A new app id: {@code app_} and 26 random characters of Crockford's base32 alphabet. */
    public static String newAppId() {
        StringBuilder id = new StringBuilder("app_");
        for (int i = 0; i < 26; i++) {
            id.append(ID_ALPHABET[RANDOM.nextInt(ID_ALPHABET.length)]);
        }
        return id.toString();
    }

    /**
     * The app with a new newest secret; every older one signs until {@code now + grace} at the
     * latest, and one already expired is dropped.
     */
    public static App withNewSecret(App app, App.WebhookSecret secret, Instant now, Duration grace) {
        List<App.WebhookSecret> secrets = new ArrayList<>();
        secrets.add(secret);
        Instant graceEnd = now.plus(grace);
        for (App.WebhookSecret old : app.webhookSecrets()) {
            Instant expires = old.expiresAt() == null || old.expiresAt().isAfter(graceEnd) ? graceEnd : old.expiresAt();
            if (expires.isAfter(now)) {
                secrets.add(new App.WebhookSecret(old.secret(), old.createdAt(), expires));
            }
        }
        return app.withWebhookSecrets(secrets);
    }

    private AppOutcome change(String appId, UnaryOperator<App> edit) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<App> found = find(appId);
            if (found.isEmpty()) {
                return new AppOutcome.NotFound(appId);
            }
            App next = edit.apply(found.get());
            if (next == found.get() || apps.replace(found.get(), next)) {
                return new AppOutcome.Found(view(next));
            }
        }
        return new AppOutcome.Conflict(appId);
    }

    private static App applied(App app, AppChanges c) {
        return app.next()
                .name(c.name() == null ? app.name() : c.name().strip())
                .dailyCreditBudget(c.dailyCreditBudget() == null ? app.dailyCreditBudget() : c.dailyCreditBudget())
                .maxActiveTasks(c.maxActiveTasks() == null ? app.maxActiveTasks() : c.maxActiveTasks())
                .allowedEndpoints(c.allowedEndpoints() == null ? app.allowedEndpoints() : c.allowedEndpoints())
                .allowedModels(c.allowedModels() == null ? app.allowedModels() : c.allowedModels())
                .ambiguousCreates(c.ambiguousCreates() == null ? app.ambiguousCreates()
                        : AmbiguousCreatePolicy.parse(c.ambiguousCreates()))
                .defaultCallbackUrl(c.clearsDefaultCallback() ? null : c.defaultCallbackUrl() == null
                        ? app.defaultCallbackUrl() : c.defaultCallbackUrl())
                .allowUnsafeLatest(c.allowUnsafeLatest() == null ? app.allowUnsafeLatest() : c.allowUnsafeLatest())
                .allowedWorkflows(c.allowedWorkflows() == null ? app.allowedWorkflows() : c.allowedWorkflows())
                .workflowCeilings(c.workflowCeilings() == null ? app.workflowCeilings() : c.workflowCeilings())
                .allowedRouterConfigs(c.allowedRouterConfigs() == null ? app.allowedRouterConfigs()
                        : c.allowedRouterConfigs())
                .build();
    }

    /** The highest credit ceiling of one workflow run an operator may set. */
    public static final long MAX_WORKFLOW_CEILING = 1_000_000;

    private List<Violation> check(AppChanges c, boolean creating) {
        List<Violation> violations = new ArrayList<>(c.unreadable());
        if (c.name() != null) {
            String name = c.name().strip();
            if (name.isEmpty() || name.length() > MAX_NAME_CHARS) {
                violations.add(new Violation(List.of("name"), name.isEmpty() ? "too_small" : "too_big",
                        "name must be 1 to " + MAX_NAME_CHARS + " characters (got " + name.length() + ")"));
            } else if (name.chars().anyMatch(ch -> Character.isISOControl(ch) || Character.getType(ch) == Character.FORMAT)) {
                violations.add(new Violation(List.of("name"), "illegal_character",
                        "name must not contain control or invisible characters"));
            }
        } else if (creating && !mentions(c.unreadable(), "name")) {
            violations.add(new Violation(List.of("name"), "required", "name is required"));
        }
        if (c.dailyCreditBudget() != null && (c.dailyCreditBudget() < 0 || c.dailyCreditBudget() > MAX_DAILY_BUDGET)) {
            violations.add(new Violation(List.of("dailyCreditBudget"), c.dailyCreditBudget() < 0 ? "too_small" : "too_big",
                    "dailyCreditBudget must be between 0 and " + MAX_DAILY_BUDGET + " (got " + c.dailyCreditBudget() + ")"));
        }
        if (c.maxActiveTasks() != null && (c.maxActiveTasks() < 1 || c.maxActiveTasks() > MAX_ACTIVE_TASKS)) {
            violations.add(new Violation(List.of("maxActiveTasks"), c.maxActiveTasks() < 1 ? "too_small" : "too_big",
                    "maxActiveTasks must be between 1 and " + MAX_ACTIVE_TASKS + " (got " + c.maxActiveTasks() + ")"));
        }
        unknown(violations, "allowedEndpoints", "unknown_endpoint", "endpoint", c.allowedEndpoints(), known.endpoints());
        unknown(violations, "allowedModels", "unknown_model", "model", c.allowedModels(), known.models());
        if (c.allowedWorkflows() != null) {
            c.allowedWorkflows().stream().filter(w -> !WorkflowRuns.validId(w)).sorted().forEach(w -> violations.add(
                    new Violation(List.of("allowedWorkflows"), "invalid_string", "allowedWorkflows: '" + w
                            + "' is not a workflow id")));
        }
        if (c.workflowCeilings() != null) {
            new java.util.TreeMap<>(c.workflowCeilings()).forEach((w, credits) -> {
                if (!WorkflowRuns.validId(w)) {
                    violations.add(new Violation(List.of("workflowCeilings"), "invalid_string", "workflowCeilings: '" + w
                            + "' is not a workflow id"));
                } else if (credits < 1 || credits > MAX_WORKFLOW_CEILING) {
                    violations.add(new Violation(List.of("workflowCeilings", w), "too_small_or_big", "workflowCeilings."
                            + w + " must be 1 to " + MAX_WORKFLOW_CEILING + " credits (got " + credits + ")"));
                }
            });
        }
        if (c.allowedRouterConfigs() != null) {
            // Router configurations live at Runway and may be made later, so only the slug's form is checked.
            Set<String> malformed = new TreeSet<>(c.allowedRouterConfigs());
            malformed.removeIf(slug -> ROUTER_SLUG.matcher(slug).matches());
            if (!malformed.isEmpty()) {
                violations.add(new Violation(List.of("allowedRouterConfigs"), "invalid_string",
                        "allowedRouterConfigs names router slugs of a form Runway does not accept (a lowercase letter,"
                                + " then up to 63 lowercase letters, digits, '_' or '-'): " + String.join(", ", malformed)));
            }
        }
        if (c.ambiguousCreates() != null) {
            try {
                AmbiguousCreatePolicy.parse(c.ambiguousCreates());
            } catch (IllegalArgumentException e) {
                violations.add(new Violation(List.of("ambiguousCreates"), "invalid_enum_value",
                        "ambiguousCreates must be fail or retry-once (got '" + c.ambiguousCreates() + "')"));
            }
        }
        if (c.defaultCallbackUrl() != null) {
            String url = c.defaultCallbackUrl();
            if (url.length() > MAX_CALLBACK_URL_CHARS) {
                violations.add(new Violation(List.of("defaultCallbackUrl"), "too_big", "defaultCallbackUrl is "
                        + url.length() + " characters long; the limit is " + MAX_CALLBACK_URL_CHARS));
            } else {
                CallbackUrlCheck.Refusal refusal = callbacks.check(url);
                if (refusal != null) {
                    violations.add(new Violation(List.of("defaultCallbackUrl"), refusal.code(),
                            "defaultCallbackUrl: " + refusal.message()));
                }
            }
        }
        return violations;
    }

    private static void unknown(List<Violation> violations, String member, String code, String what, Set<String> given,
                                Set<String> knownNames) {
        if (given == null) {
            return;
        }
        Set<String> unknown = new TreeSet<>(given);
        unknown.removeAll(knownNames);
        if (!unknown.isEmpty()) {
            violations.add(new Violation(List.of(member), code, member + " names " + what + (unknown.size() > 1 ? "s" : "")
                    + " the catalog does not know: " + String.join(", ", unknown) + "; known: "
                    + String.join(", ", new TreeSet<>(knownNames))));
        }
    }

    private static boolean mentions(List<Violation> violations, String member) {
        return violations.stream().anyMatch(v -> !v.path().isEmpty() && member.equals(v.path().getFirst()));
    }

    private Optional<App> find(String appId) {
        return appId != null && APP_ID.matcher(appId).matches() ? apps.find(appId) : Optional.empty();
    }

    private AppView view(App app) {
        return new AppView(app, apps.keyHashes(app.id()).size());
    }

    private static Set<String> orEmpty(Set<String> names) {
        return names == null ? Set.of() : names;
    }
}
