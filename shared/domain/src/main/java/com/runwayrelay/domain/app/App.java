package com.runwayrelay.domain.app;

import com.runwayrelay.domain.runway.AmbiguousCreatePolicy;
import java.time.Instant;
import java.util.List;
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
        webhookSecrets = webhookSecrets == null ? List.of() : List.copyOf(webhookSecrets);
        ambiguousCreates = AmbiguousCreatePolicy.orDefault(ambiguousCreates);
    }

    /** An app without a default callback URL. */
    public App(String id, String name, long dailyCreditBudget, int maxActiveTasks, Set<String> allowedEndpoints,
               Set<String> allowedModels, List<WebhookSecret> webhookSecrets, boolean webhookDisabled, boolean disabled,
               AmbiguousCreatePolicy ambiguousCreates, Instant createdAt, long version) {
        this(id, name, dailyCreditBudget, maxActiveTasks, allowedEndpoints, allowedModels, webhookSecrets,
                webhookDisabled, disabled, ambiguousCreates, null, createdAt, version);
    }

    /** An app with the default ambiguous-create policy ({@link AmbiguousCreatePolicy#FAIL}). */
    public App(String id, String name, long dailyCreditBudget, int maxActiveTasks, Set<String> allowedEndpoints,
               Set<String> allowedModels, List<WebhookSecret> webhookSecrets, boolean webhookDisabled, boolean disabled,
               Instant createdAt, long version) {
        this(id, name, dailyCreditBudget, maxActiveTasks, allowedEndpoints, allowedModels, webhookSecrets,
                webhookDisabled, disabled, AmbiguousCreatePolicy.FAIL, null, createdAt, version);
    }

    /** This app's next version (version + 1) with the given limits and policy. */
    public App withSettings(long budget, int maxActive, AmbiguousCreatePolicy policy) {
        return new App(id, name, budget, maxActive, allowedEndpoints, allowedModels, webhookSecrets, webhookDisabled,
                disabled, policy, defaultCallbackUrl, createdAt, version + 1);
    }

    /** This app's next version (version + 1) with the given secrets (newest first). */
    public App withWebhookSecrets(List<WebhookSecret> secrets) {
        return new App(id, name, dailyCreditBudget, maxActiveTasks, allowedEndpoints, allowedModels, secrets,
                webhookDisabled, disabled, ambiguousCreates, defaultCallbackUrl, createdAt, version + 1);
    }

    /** This app's next version (version + 1) with its webhook endpoint disabled (it answered 410 Gone). */
    public App withWebhookDisabled() {
        return new App(id, name, dailyCreditBudget, maxActiveTasks, allowedEndpoints, allowedModels, webhookSecrets,
                true, disabled, ambiguousCreates, defaultCallbackUrl, createdAt, version + 1);
    }

    /** This app's next version (version + 1), disabled or enabled. */
    public App withDisabled(boolean value) {
        return new App(id, name, dailyCreditBudget, maxActiveTasks, allowedEndpoints, allowedModels, webhookSecrets,
                webhookDisabled, value, ambiguousCreates, defaultCallbackUrl, createdAt, version + 1);
    }

    /** Whether the app may call this endpoint with this model. */
    public boolean allows(String endpoint, String model) {
        return (allowedEndpoints.isEmpty() || allowedEndpoints.contains(endpoint))
                && (allowedModels.isEmpty() || model == null || allowedModels.contains(model));
    }

    /** Secrets that sign a webhook sent at {@code now}: every secret not yet expired. */
    public List<WebhookSecret> signingSecrets(Instant now) {
        return webhookSecrets.stream().filter(s -> s.expiresAt() == null || s.expiresAt().isAfter(now)).toList();
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
