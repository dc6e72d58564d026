package com.runwayrelay.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.runwayrelay.domain.app.ApiKeys;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.app.AppRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import com.runwayrelay.simulator.SimulatedWorkflows;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The app the local stack creates for its user on first start, so requests work without any setup.
 * The database stores only the key's hash, as for every app; the key itself is kept in the data
 * folder ({@code dev-app.json}, owner-readable only) so it stays the same across restarts.
 *
 * @param appId         the app's id
 * @param key           its API key ({@code rr_...})
 * @param webhookSecret its webhook signing secret ({@code whsec_...})
 */
record DevApp(String appId, String key, String webhookSecret) {
    static final String NAME = "dev";
    static final long DAILY_CREDIT_BUDGET = 100_000;
    static final int MAX_ACTIVE_TASKS = 100;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();

    DevApp {
        Objects.requireNonNull(appId, "appId");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(webhookSecret, "webhookSecret");
    }

    @Override
    public String toString() {
        return "DevApp[appId=" + appId + ", key=***, webhookSecret=***]";
    }

    /**
     * The dev app, created if needed. With a saved file: its key is used if it still finds the app; if the
     * key was revoked, a new one is added to the same app; if the app is gone (database deleted), it is
     * created again with the same id and key. Without a file, a new app and key are made and saved.
     *
     * @param file where the key is kept; empty for an ephemeral stack
     */
    static DevApp ensure(AppRepository apps, Optional<Path> file, Clock clock) {
        return ensure(apps, file, clock, Set.of(), Map.of());
    }

    /**
     * As above; an app made new may list, read and run {@code workflows} (with the simulator: its
     * workflows, see {@link #SIMULATOR_WORKFLOWS}), with {@code ceilings} as the credits a run reserves.
     */
    static DevApp ensure(AppRepository apps, Optional<Path> file, Clock clock, Set<String> workflows,
                         Map<String, Long> ceilings) {
        Optional<DevApp> saved = file.filter(Files::exists).map(DevApp::read);
        if (saved.isPresent()) {
            DevApp dev = saved.get();
            if (apps.findByKeyHash(ApiKeys.hash(dev.key())).isPresent()) {
                return dev;
            }
            if (apps.find(dev.appId()).isPresent()) {
                DevApp rotated = new DevApp(dev.appId(), ApiKeys.mint(), dev.webhookSecret());
                apps.addKey(rotated.appId(), ApiKeys.hash(rotated.key()));
                file.ifPresent(rotated::write);
                return rotated;
            }
            apps.create(newApp(dev, clock.instant(), workflows, ceilings), ApiKeys.hash(dev.key()));
            return dev;
        }
        DevApp dev = new DevApp(newAppId(), ApiKeys.mint(), newWebhookSecret());
        apps.create(newApp(dev, clock.instant(), workflows, ceilings), ApiKeys.hash(dev.key()));
        file.ifPresent(dev::write);
        return dev;
    }

    /**
     * The simulator's workflows the dev app gets: "Product shots" v2 runnable with a ceiling of 60 credits
     * (its three outputs cost 15 at the simulator), v1 visible without a ceiling (a run is refused with
     * 403), and "Voice-over" not allowed at all (404), so every answer can be tried locally.
     */
    static final Map<String, Long> SIMULATOR_WORKFLOWS = Map.of(SimulatedWorkflows.PRODUCT_SHOTS_V2, 60L);
    static final Set<String> SIMULATOR_VISIBLE_WORKFLOWS = Set.of(SimulatedWorkflows.PRODUCT_SHOTS_V2,
            SimulatedWorkflows.PRODUCT_SHOTS_V1);

    private static App newApp(DevApp dev, Instant now, Set<String> workflows, Map<String, Long> ceilings) {
        return App.builder(dev.appId(), NAME, now).dailyCreditBudget(DAILY_CREDIT_BUDGET)
                .maxActiveTasks(MAX_ACTIVE_TASKS).allowedWorkflows(workflows).workflowCeilings(ceilings)
                .webhookSecrets(List.of(new App.WebhookSecret(dev.webhookSecret(), now, null))).build();
    }

    private static String newAppId() {
        StringBuilder id = new StringBuilder("app_");
        for (int i = 0; i < 26; i++) {
            id.append(ID_ALPHABET[RANDOM.nextInt(ID_ALPHABET.length)]);
        }
        return id.toString();
    }

    private static String newWebhookSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "whsec_" + Base64.getEncoder().encodeToString(bytes);
    }

    private static DevApp read(Path file) {
        try {
            JsonNode json = Json.MAPPER.readTree(file.toFile());
            String key = json.path("key").asText(null);
            if (!ApiKeys.looksValid(key) || !json.hasNonNull("appId") || !json.path("webhookSecret").asText("").startsWith("whsec_")) {
                throw new IllegalStateException(file + " does not hold a dev app (appId, key rr_..., webhookSecret whsec_...);"
                        + " delete it to get a new dev app");
            }
            return new DevApp(json.get("appId").asText(), key, json.get("webhookSecret").asText());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " (delete it to get a new dev app)", e);
        }
    }

    private void write(Path file) {
        var json = Json.MAPPER.createObjectNode();
        json.put("appId", appId);
        json.put("key", key);
        json.put("webhookSecret", webhookSecret);
        try {
            DataDirectory.writePrivate(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
