package com.runwayrelay.domain.app;

import com.runwayrelay.domain.runway.AmbiguousCreatePolicy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One app allowed to use the gateway.
 *
 * @param id                 stable id, {@code app_<26 chars>}; what tasks record as their owner
 * @param name               human-readable name, unique is not enforced
 * @param dailyCreditBudget  credits the app may reserve per UTC day
 * @param maxActiveTasks     non-terminal tasks the app may have at once
 * @param allowedEndpoints   endpoints it may call (e.g. {@code text_to_image}); empty means all
 * @param allowedModels      models it may use; empty means all
 * @param webhookSecrets     signing secrets ({@code whsec_...}), newest first; two during a rotation
 * @param webhookDisabled    true once its webhook endpoint answered 410 Gone
 * @param disabled           a disabled app's keys are refused
 * @param ambiguousCreates   what to do after a create that may or may not have reached Runway (the
 *                           operator's choice; {@link AmbiguousCreatePolicy#FAIL} when null)
 * @param defaultCallbackUrl where a task's webhook goes when its request names no
 *                           {@code relay.callbackUrl}, or null for none; vetted by the callback
 *                           policy when the operator sets it
 * @param allowUnsafeLatest  whether the app may run a recipe at {@code version: "unsafe-latest"}
 *                           (Runway's newest recipe behaviour, which may change without notice);
 *                           the operator's choice, false for a new app
 * @param allowedWorkflows   the published Runway workflows it may list, read and run (ids); empty means none,
 *                           unlike the endpoint and model lists: a workflow is the organization's, not a catalog entry
 * @param workflowCeilings   per workflow id, the most credits one run may cost: what a run reserves against
 *                           the budget (Runway gives no estimate for a run); a workflow without one cannot be run
 * @param allowedRouterConfigs Model Router configurations ({@code configId} slugs) the app may
 *                           generate through; empty means none (a router spends by the
 *                           operator's settings, so it is opted into, not out of)
 * @param createdAt          when it was created
 * @param version            optimistic-lock token, incremented on every write
 */
public record App(
        String id,
        String name,
        long dailyCreditBudget,
        int maxActiveTasks,
        Set<String> allowedEndpoints,
        Set<String> allowedModels,
        List<WebhookSecret> webhookSecrets,
        boolean webhookDisabled,
        boolean disabled,
        AmbiguousCreatePolicy ambiguousCreates,
        String defaultCallbackUrl,
        boolean allowUnsafeLatest,
        Set<String> allowedWorkflows,
        Map<String, Long> workflowCeilings,
        Set<String> allowedRouterConfigs,
        Instant createdAt,
        long version) {

    public App {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
        if (dailyCreditBudget < 0) {
            throw new IllegalArgumentException("dailyCreditBudget must be >= 0");
        }
        if (maxActiveTasks < 1) {
            throw new IllegalArgumentException("maxActiveTasks must be >= 1");
        }
        allowedEndpoints = allowedEndpoints == null ? Set.of() : Set.copyOf(allowedEndpoints);
        allowedModels = allowedModels == null ? Set.of() : Set.copyOf(allowedModels);
        allowedRouterConfigs = allowedRouterConfigs == null ? Set.of() : Set.copyOf(allowedRouterConfigs);
        webhookSecrets = webhookSecrets == null ? List.of() : List.copyOf(webhookSecrets);
        ambiguousCreates = AmbiguousCreatePolicy.orDefault(ambiguousCreates);
        allowedWorkflows = allowedWorkflows == null ? Set.of() : Set.copyOf(allowedWorkflows);
        workflowCeilings = workflowCeilings == null ? Map.of() : Map.copyOf(workflowCeilings);
        workflowCeilings.forEach((workflow, credits) -> {
            if (credits < 1) {
                throw new IllegalArgumentException("the credit ceiling of workflow " + workflow + " must be >= 1");
            }
        });
    }

    /** Whether the app may list, read and run the published workflow {@code workflowId}. */
    public boolean allowsWorkflow(String workflowId) {
        return allowedWorkflows.contains(workflowId);
    }

    /**
     * A new app, version 1, with no limits set yet: budget 0, one active task, every endpoint and
     * model, no secrets, the default ambiguous-create policy, no default callback URL. Set what
     * differs on the builder.
     */
    public static Builder builder(String id, String name, Instant createdAt) {
        return new Builder(id, name, createdAt);
    }

    /** A builder holding this app's values (same version). */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A builder of this app's next version (version + 1), to change what the builder sets. */
    public Builder next() {
        return new Builder(this).version(version + 1);
    }

    /** This app's next version (version + 1) with the given limits and policy. */
    public App withSettings(long budget, int maxActive, AmbiguousCreatePolicy policy) {
        return next().dailyCreditBudget(budget).maxActiveTasks(maxActive).ambiguousCreates(policy).build();
    }

    /** This app's next version (version + 1) with the given secrets (newest first). */
    public App withWebhookSecrets(List<WebhookSecret> secrets) {
        return next().webhookSecrets(secrets).build();
    }

    /** This app's next version (version + 1) with its webhook endpoint disabled (it answered 410 Gone). */
    public App withWebhookDisabled() {
        return next().webhookDisabled(true).build();
    }

    /** This app's next version (version + 1), disabled or enabled. */
    public App withDisabled(boolean value) {
        return next().disabled(value).build();
    }

    /** Whether the app may call this endpoint with this model. */
    public boolean allows(String endpoint, String model) {
        return (allowedEndpoints.isEmpty() || allowedEndpoints.contains(endpoint))
                && (allowedModels.isEmpty() || model == null || allowedModels.contains(model));
    }

    /** Whether the app may generate through the Model Router configuration with this slug. */
    public boolean allowsRouterConfig(String configId) {
        return allowedRouterConfigs.contains(configId);
    }

    /** Secrets that sign a webhook sent at {@code now}: every secret not yet expired. */
    public List<WebhookSecret> signingSecrets(Instant now) {
        return webhookSecrets.stream().filter(s -> s.expiresAt() == null || s.expiresAt().isAfter(now)).toList();
    }

    /** Mutable assembly of an {@link App}, one setter per field; {@link #build()} validates. */
    public static final class Builder {
        private final String id;
        private String name;
        private long dailyCreditBudget;
        private int maxActiveTasks = 1;
        private Set<String> allowedEndpoints = Set.of();
        private Set<String> allowedModels = Set.of();
        private List<WebhookSecret> webhookSecrets = List.of();
        private boolean webhookDisabled;
        private boolean disabled;
        private AmbiguousCreatePolicy ambiguousCreates = AmbiguousCreatePolicy.FAIL;
        private String defaultCallbackUrl;
        private boolean allowUnsafeLatest;
        private Set<String> allowedWorkflows = Set.of();
        private Map<String, Long> workflowCeilings = Map.of();
        private Set<String> allowedRouterConfigs = Set.of();
        private final Instant createdAt;
        private long version = 1;

        private Builder(String id, String name, Instant createdAt) {
            this.id = id;
            this.name = name;
            this.createdAt = createdAt;
        }

        private Builder(App app) {
            this(app.id, app.name, app.createdAt);
            dailyCreditBudget = app.dailyCreditBudget;
            maxActiveTasks = app.maxActiveTasks;
            allowedEndpoints = app.allowedEndpoints;
            allowedModels = app.allowedModels;
            webhookSecrets = app.webhookSecrets;
            webhookDisabled = app.webhookDisabled;
            disabled = app.disabled;
            ambiguousCreates = app.ambiguousCreates;
            defaultCallbackUrl = app.defaultCallbackUrl;
            allowUnsafeLatest = app.allowUnsafeLatest;
            allowedWorkflows = app.allowedWorkflows;
            workflowCeilings = app.workflowCeilings;
            allowedRouterConfigs = app.allowedRouterConfigs;
            version = app.version;
        }

        public Builder name(String v) { name = v; return this; }
        public Builder dailyCreditBudget(long v) { dailyCreditBudget = v; return this; }
        public Builder maxActiveTasks(int v) { maxActiveTasks = v; return this; }
        public Builder allowedEndpoints(Set<String> v) { allowedEndpoints = v; return this; }
        public Builder allowedModels(Set<String> v) { allowedModels = v; return this; }
        public Builder webhookSecrets(List<WebhookSecret> v) { webhookSecrets = v; return this; }
        public Builder webhookDisabled(boolean v) { webhookDisabled = v; return this; }
        public Builder disabled(boolean v) { disabled = v; return this; }
        public Builder ambiguousCreates(AmbiguousCreatePolicy v) { ambiguousCreates = v; return this; }
        public Builder defaultCallbackUrl(String v) { defaultCallbackUrl = v; return this; }
        public Builder allowUnsafeLatest(boolean v) { allowUnsafeLatest = v; return this; }
        public Builder allowedWorkflows(Set<String> v) { allowedWorkflows = v; return this; }
        public Builder workflowCeilings(Map<String, Long> v) { workflowCeilings = v; return this; }
        public Builder allowedRouterConfigs(Set<String> v) { allowedRouterConfigs = v; return this; }
        public Builder version(long v) { version = v; return this; }

        public App build() {
            return new App(id, name, dailyCreditBudget, maxActiveTasks, allowedEndpoints, allowedModels, webhookSecrets,
                    webhookDisabled, disabled, ambiguousCreates, defaultCallbackUrl, allowUnsafeLatest, allowedWorkflows,
                    workflowCeilings, allowedRouterConfigs, createdAt, version);
        }
    }

    /**
     * A webhook signing secret.
     *
     * @param secret    {@code whsec_} + base64 of 24–64 random bytes (Standard Webhooks format)
     * @param createdAt when it was minted
     * @param expiresAt when it stops signing (set on the old secret during a rotation), or null
     */
    public record WebhookSecret(String secret, Instant createdAt, Instant expiresAt) {
        public WebhookSecret {
            Objects.requireNonNull(secret, "secret");
            if (!secret.startsWith("whsec_")) {
                throw new IllegalArgumentException("webhook secrets start with whsec_");
            }
        }

        @Override
        public String toString() {
            return "WebhookSecret[createdAt=" + createdAt + ", expiresAt=" + expiresAt + ", secret=***]";
        }
    }
}
