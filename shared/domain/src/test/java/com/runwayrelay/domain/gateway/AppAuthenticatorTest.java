package com.runwayrelay.domain.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.app.ApiKeys;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.app.AppRepository;
import com.runwayrelay.domain.memory.InMemoryAppRepository;
import com.runwayrelay.domain.memory.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AppAuthenticatorTest {
    private static final Instant T0 = Instant.parse("2026-11-21T06:00:00Z");
    private final ManualClock clock = new ManualClock(T0);
    private final InMemoryAppRepository repo = new InMemoryAppRepository();
    private final String key = ApiKeys.mint();
    private final App app = App.builder("app_1", "demo", T0).dailyCreditBudget(100).maxActiveTasks(2).build();

    AppAuthenticatorTest() {
        repo.create(app, ApiKeys.hash(key));
    }

    @Test
    void findsTheApp_whenTheBearerKeyIsKnown() {
        AppAuthenticator auth = new AppAuthenticator(repo, clock, Duration.ofSeconds(30), 100);
        assertEquals(Optional.of(app), auth.authenticate("Bearer " + key));
        assertEquals(Optional.of(app), auth.authenticate("bearer   " + key + " "));
    }

    @Test
    void refuses_whenTheHeaderIsMissingMalformedOrTheKeyUnknown() {
        AppAuthenticator auth = new AppAuthenticator(repo, clock, Duration.ofSeconds(30), 100);
        assertTrue(auth.authenticate(null).isEmpty());
        assertTrue(auth.authenticate("").isEmpty());
        assertTrue(auth.authenticate(key).isEmpty());
        assertTrue(auth.authenticate("Basic " + key).isEmpty());
        assertTrue(auth.authenticate("Bearer ").isEmpty());
        assertTrue(auth.authenticate("Bearer key_" + "0".repeat(128)).isEmpty());
        assertTrue(auth.authenticate("Bearer " + ApiKeys.mint()).isEmpty());
    }

    @Test
    void refuses_whenTheAppIsDisabled() {
        App disabled = App.builder("app_2", "off", T0).dailyCreditBudget(100).maxActiveTasks(2).disabled(true).build();
        String other = ApiKeys.mint();
        repo.create(disabled, ApiKeys.hash(other));
        assertTrue(new AppAuthenticator(repo, clock, Duration.ofSeconds(30), 100).authenticate("Bearer " + other).isEmpty());
    }

    @Test
    void readsTheRepositoryOncePerCachePeriod_andAgainAfterIt() {
        CountingRepository counting = new CountingRepository(repo);
        AppAuthenticator auth = new AppAuthenticator(counting, clock, Duration.ofSeconds(30), 100);
        auth.authenticate("Bearer " + key);
        auth.authenticate("Bearer " + key);
        assertEquals(1, counting.lookups.get());
        clock.advance(Duration.ofSeconds(31));
        auth.authenticate("Bearer " + key);
        assertEquals(2, counting.lookups.get());
    }

    @Test
    void seesARevokedKey_afterTheCachePeriod() {
        AppAuthenticator auth = new AppAuthenticator(repo, clock, Duration.ofSeconds(30), 100);
        assertTrue(auth.authenticate("Bearer " + key).isPresent());
        repo.revokeKey(ApiKeys.hash(key));
        clock.advance(Duration.ofSeconds(31));
        assertTrue(auth.authenticate("Bearer " + key).isEmpty());
    }

    @Test
    void readsEveryTime_whenTheCacheIsOff() {
        CountingRepository counting = new CountingRepository(repo);
        AppAuthenticator auth = new AppAuthenticator(counting, clock, Duration.ZERO, 1);
        auth.authenticate("Bearer " + key);
        auth.authenticate("Bearer " + key);
        assertEquals(2, counting.lookups.get());
    }

    @Test
    void extractsTheBearerToken() {
        assertEquals("abc", AppAuthenticator.bearerToken("BEARER abc"));
        assertNull(AppAuthenticator.bearerToken("Bearerabc"));
    }

    /** Counts key lookups. */
    private static final class CountingRepository implements AppRepository {
        private final AppRepository delegate;
        private final AtomicInteger lookups = new AtomicInteger();

        CountingRepository(AppRepository delegate) {
            this.delegate = delegate;
        }

        @Override
        public void create(App app, String keyHash) {
            delegate.create(app, keyHash);
        }

        @Override
        public Optional<App> findByKeyHash(String keyHash) {
            lookups.incrementAndGet();
            return delegate.findByKeyHash(keyHash);
        }

        @Override
        public Optional<App> find(String appId) {
            return delegate.find(appId);
        }

        @Override
        public List<App> list() {
            return delegate.list();
        }

        @Override
        public void addKey(String appId, String keyHash) {
            delegate.addKey(appId, keyHash);
        }

        @Override
        public boolean revokeKey(String keyHash) {
            return delegate.revokeKey(keyHash);
        }

        @Override
        public List<String> keyHashes(String appId) {
            return delegate.keyHashes(appId);
        }

        @Override
        public boolean replace(App current, App next) {
            return delegate.replace(current, next);
        }

        @Override
        public Optional<List<String>> delete(App current) {
            return delegate.delete(current);
        }
    }
}
