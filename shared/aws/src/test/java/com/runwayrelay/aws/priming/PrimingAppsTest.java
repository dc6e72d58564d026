package com.runwayrelay.aws.priming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.app.ApiKeys;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.app.AppRepository;
import com.runwayrelay.domain.memory.InMemoryAppRepository;
import java.time.Clock;
import java.time.Instant;
import java.lang.reflect.Proxy;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PrimingAppsTest {
    private static final Instant T0 = Instant.parse("2026-12-04T05:00:00Z");
    private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

    @Test
    void unknownKey_isWellFormed_andFoundByNoApp() {
        InMemoryAppRepository stored = new InMemoryAppRepository();
        String key = ApiKeys.mint();
        stored.create(App.builder("app_1", "one", T0).build(), ApiKeys.hash(key));
        PrimingApps apps = new PrimingApps(stored);

        assertEquals(key.length(), PrimingApps.UNKNOWN_KEY.length(), "the shape of a minted key");
        assertTrue(PrimingApps.UNKNOWN_KEY.startsWith("rr_"));
        assertEquals(Optional.empty(), apps.authenticator(CLOCK).authenticate("Bearer " + PrimingApps.UNKNOWN_KEY));
        assertEquals("app_1", apps.authenticator(CLOCK).authenticate("Bearer " + key).orElseThrow().id(),
                "lookups go to the function's repository");
        assertEquals(Optional.empty(), apps.failure());
    }

    @Test
    void failedLookup_readsAsUnknown_andIsKept() {
        IllegalStateException down = new IllegalStateException("DynamoDB unreachable");
        AppRepository unreachable = (AppRepository) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {AppRepository.class}, (proxy, method, args) -> {
                    throw down;
                });
        PrimingApps apps = new PrimingApps(unreachable);

        assertEquals(Optional.empty(), apps.authenticator(CLOCK).authenticate("Bearer " + PrimingApps.UNKNOWN_KEY));
        assertSame(down, apps.failure().orElseThrow());
    }

    @Test
    void refusesEveryOperationButTheKeyLookup_andChangesNothing() {
        InMemoryAppRepository stored = new InMemoryAppRepository();
        App app = App.builder("app_1", "one", T0).build();
        stored.create(app, ApiKeys.hash(ApiKeys.mint()));
        PrimingApps apps = new PrimingApps(stored);
        App sample = PrimingApps.sampleApp(T0);

        for (Executable call : List.<Executable>of(() -> apps.create(sample, "h"), () -> apps.find("app_1"), apps::list,
                () -> apps.addKey("app_1", "h"), () -> apps.revokeKey("h"), () -> apps.keyHashes("app_1"),
                () -> apps.replace(app, app), () -> apps.delete(app))) {
            assertThrows(UnsupportedOperationException.class, call::execute);
        }
        assertEquals(List.of(app), stored.list());
        assertEquals(1, stored.keyHashes("app_1").size());
    }

    @Test
    void sampleApp_carriesTheReservedId_andTheTimeGiven() {
        App sample = PrimingApps.sampleApp(T0);

        assertEquals(PrimingApps.SAMPLE_APP_ID, sample.id());
        assertEquals(T0, sample.createdAt());
    }

    /** A call that may throw anything. */
    @FunctionalInterface
    private interface Executable {
        void execute() throws Throwable;
    }
}
