package com.runwayrelay.aws.priming;

import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.app.AppRepository;
import com.runwayrelay.domain.gateway.AppAuthenticator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A function's apps as a priming hook reads them: the only operation allowed is a key lookup, and a
 * lookup that fails (DynamoDB unreachable while the snapshot is taken) is kept here and answered
 * "unknown", so the API answers 401 and {@code AppEdge} logs nothing; every other operation is
 * refused with {@link UnsupportedOperationException}, since the 401 path needs none.
 *
 * <p>Also the throwaway values a hook works with: {@link #UNKNOWN_KEY}, a well-formed app key that no
 * app has, and {@link #sampleApp}, an app that exists nowhere, for checks that need one but look
 * nothing up.
 */
public final class PrimingApps implements AppRepository {
    /** A well-formed app key that no app has (keys are 24 random bytes; this one is all zeros). */
    public static final String UNKNOWN_KEY = "rr_" + "0".repeat(48);
    /** The id of {@link #sampleApp}; not the shape minted app ids have, so it cannot be one. */
    public static final String SAMPLE_APP_ID = "app_priming";

    private final AppRepository apps;
    private volatile RuntimeException failure;

    /** @param apps the function's own repository, read once per priming for {@link #UNKNOWN_KEY} */
    public PrimingApps(AppRepository apps) {
        this.apps = Objects.requireNonNull(apps, "apps");
    }

    /** An app that exists nowhere, created at {@code now}, with the defaults of a new app. */
    public static App sampleApp(Instant now) {
        return App.builder(SAMPLE_APP_ID, "priming", now).build();
    }

    /**
     * An authenticator over these apps with no cache: the unknown key would not be cached anyway, and
     * nothing is kept for after the restore.
     */
    public AppAuthenticator authenticator(Clock clock) {
        return new AppAuthenticator(this, clock, Duration.ZERO, 1);
    }

    /** The last lookup that failed, if any. */
    public Optional<RuntimeException> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public Optional<App> findByKeyHash(String keyHash) {
        try {
            return apps.findByKeyHash(keyHash);
        } catch (RuntimeException e) {
            failure = e;
            return Optional.empty();
        }
    }

    @Override
    public void create(App app, String keyHash) {
        throw refused();
    }

    @Override
    public Optional<App> find(String appId) {
        throw refused();
    }

    @Override
    public List<App> list() {
        throw refused();
    }

    @Override
    public void addKey(String appId, String keyHash) {
        throw refused();
    }

    @Override
    public boolean revokeKey(String keyHash) {
        throw refused();
    }

    @Override
    public List<String> keyHashes(String appId) {
        throw refused();
    }

    @Override
    public boolean replace(App current, App next) {
        throw refused();
    }

    @Override
    public Optional<List<String>> delete(App current) {
        throw refused();
    }

    private static UnsupportedOperationException refused() {
        return new UnsupportedOperationException("priming only looks up a key");
    }
}
