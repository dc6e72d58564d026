package com.runwayrelay.domain.gateway;

import com.runwayrelay.domain.app.ApiKeys;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.app.AppRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Finds the app behind an {@code Authorization: Bearer <app key>} header.
 *
 * <p>Only the key's SHA-256 is looked up. Apps found are cached for a short time so a busy app
 * costs one read per cache period, not one per request; the price is that disabling an app or
 * revoking a key takes up to that period to bite. Unknown keys are not cached (they would let
 * anyone fill the cache). Thread-safe.
 */
public final class AppAuthenticator {
    private final AppRepository apps;
    private final Clock clock;
    private final Duration cacheTtl;
    private final int maxEntries;
    private final ConcurrentMap<String, Cached> cache = new ConcurrentHashMap<>();

    /**
     * @param cacheTtl   how long a found app is reused; zero disables the cache
     * @param maxEntries cache size bound; the cache is emptied when it is reached
     */
    public AppAuthenticator(AppRepository apps, Clock clock, Duration cacheTtl, int maxEntries) {
        this.apps = Objects.requireNonNull(apps, "apps");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.cacheTtl = Objects.requireNonNull(cacheTtl, "cacheTtl");
        if (cacheTtl.isNegative() || maxEntries < 1) {
            throw new IllegalArgumentException("cacheTtl must be >= 0 and maxEntries >= 1");
        }
        this.maxEntries = maxEntries;
    }

    /**
     * The enabled app whose key the header carries.
     *
     * @param authorization the raw {@code Authorization} header value, or null
     * @return empty when the header is missing or not {@code Bearer <key>}, the key is malformed,
     *         unknown or revoked, or its app is disabled
     */
    public Optional<App> authenticate(String authorization) {
        String key = bearerToken(authorization);
        if (key == null || !ApiKeys.looksValid(key)) {
            return Optional.empty();
        }
        String hash = ApiKeys.hash(key);
        Instant now = clock.instant();
        Cached cached = cache.get(hash);
        App app;
        if (cached != null && cached.expiresAt().isAfter(now)) {
            app = cached.app();
        } else {
            Optional<App> found = apps.findByKeyHash(hash);
            if (found.isEmpty()) {
                cache.remove(hash);
                return Optional.empty();
            }
            app = found.get();
            remember(hash, app, now);
        }
        return app.disabled() ? Optional.empty() : Optional.of(app);
    }

    /** The token of a {@code Bearer} header (scheme case-insensitive), or null. */
    static String bearerToken(String authorization) {
        if (authorization == null) {
            return null;
        }
        String value = authorization.strip();
        if (value.length() < 7 || !value.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            return null;
        }
        String token = value.substring(7).strip();
        return token.isEmpty() ? null : token;
    }

    private void remember(String hash, App app, Instant now) {
        if (cacheTtl.isZero()) {
            return;
        }
        if (cache.size() >= maxEntries) {
            cache.clear();
        }
        cache.put(hash, new Cached(app, now.plus(cacheTtl)));
    }

    private record Cached(App app, Instant expiresAt) {
    }
}
