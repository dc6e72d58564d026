package com.runwayrelay.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.app.ApiKeys;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.memory.InMemoryAppRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevAppTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T06:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path temp;

    @Test
    void ensure_createsAnAppStoringOnlyTheKeyHash_andSavesTheKey() throws Exception {
        InMemoryAppRepository apps = new InMemoryAppRepository();
        Path file = temp.resolve("dev-app.json");

        DevApp dev = DevApp.ensure(apps, Optional.of(file), CLOCK);

        assertTrue(ApiKeys.looksValid(dev.key()));
        assertTrue(dev.appId().matches("app_[0-9a-z]{26}"), dev.appId());
        assertTrue(dev.webhookSecret().startsWith("whsec_"));
        App app = apps.findByKeyHash(ApiKeys.hash(dev.key())).orElseThrow();
        assertEquals(dev.appId(), app.id());
        assertEquals(DevApp.NAME, app.name());
        assertFalse(app.disabled());
        assertTrue(app.allows("image_to_video", "gen4_turbo"), "every endpoint and model");
        assertEquals(dev.webhookSecret(), app.webhookSecrets().getFirst().secret());
        assertTrue(Files.readString(file).contains(dev.key()));
        assertFalse(dev.toString().contains(dev.key()));
    }

    @Test
    void ensure_reusesTheSavedApp_onRestart() {
        InMemoryAppRepository apps = new InMemoryAppRepository();
        Path file = temp.resolve("dev-app.json");
        DevApp first = DevApp.ensure(apps, Optional.of(file), CLOCK);

        DevApp again = DevApp.ensure(apps, Optional.of(file), CLOCK);

        assertEquals(first, again);
        assertEquals(1, apps.list().size());
    }

    @Test
    void ensure_addsANewKey_whenTheSavedOneWasRevoked() {
        InMemoryAppRepository apps = new InMemoryAppRepository();
        Path file = temp.resolve("dev-app.json");
        DevApp first = DevApp.ensure(apps, Optional.of(file), CLOCK);
        apps.revokeKey(ApiKeys.hash(first.key()));

        DevApp rotated = DevApp.ensure(apps, Optional.of(file), CLOCK);

        assertEquals(first.appId(), rotated.appId());
        assertNotEquals(first.key(), rotated.key());
        assertEquals(first.appId(), apps.findByKeyHash(ApiKeys.hash(rotated.key())).orElseThrow().id());
        assertEquals(rotated, DevApp.ensure(apps, Optional.of(file), CLOCK), "the new key was saved");
    }

    @Test
    void ensure_recreatesTheAppWithTheSameKey_whenTheDatabaseWasDeleted() {
        Path file = temp.resolve("dev-app.json");
        DevApp first = DevApp.ensure(new InMemoryAppRepository(), Optional.of(file), CLOCK);
        InMemoryAppRepository empty = new InMemoryAppRepository();

        DevApp again = DevApp.ensure(empty, Optional.of(file), CLOCK);

        assertEquals(first, again);
        assertEquals(first.appId(), empty.findByKeyHash(ApiKeys.hash(first.key())).orElseThrow().id());
    }

    @Test
    void ensure_withoutAFile_makesAFreshAppEachTime() {
        InMemoryAppRepository apps = new InMemoryAppRepository();
        assertNotEquals(DevApp.ensure(apps, Optional.empty(), CLOCK).key(), DevApp.ensure(apps, Optional.empty(), CLOCK).key());
    }

    @Test
    void ensure_explainsAFileThatHoldsNoDevApp() throws Exception {
        Path file = Files.writeString(temp.resolve("dev-app.json"), "{\"key\":\"nope\"}");

        var error = assertThrows(IllegalStateException.class, () -> DevApp.ensure(new InMemoryAppRepository(), Optional.of(file), CLOCK));
        assertTrue(error.getMessage().contains("delete it"), error.getMessage());
    }
}
