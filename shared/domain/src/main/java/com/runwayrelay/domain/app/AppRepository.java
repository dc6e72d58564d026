package com.runwayrelay.domain.app;

import java.util.List;
import java.util.Optional;

/**
 * Where apps and their keys live. Keys are never stored: only {@link ApiKeys#hash} of them, each
 * pointing at its app. Writes are conditional on {@link App#version()}.
 */
public interface AppRepository {

    /** Stores a new app with its first key's hash. Fails if the id or hash exists. */
    void create(App app, String keyHash);

    /** The app a key hash belongs to, if the key is known and not revoked. */
    Optional<App> findByKeyHash(String keyHash);

    /** The app with this id. */
    Optional<App> find(String appId);

    /** Every app (admin use: few items). */
    List<App> list();

    /** Adds a key hash to an existing app (rotation: the new key). */
    void addKey(String appId, String keyHash);

    /**
     * Revokes a key hash; a revoked key no longer finds its app. Revoking a key whose app is gone removes the
     * key and brings no part of the app back.
     *
     * @return whether this call removed the key: false when it was unknown or already revoked, by another
     *         writer too (what to count, since keys may change between any earlier read and the revoke)
     */
    boolean revokeKey(String keyHash);

    /** Key hashes currently valid for an app. */
    List<String> keyHashes(String appId);

    /**
     * Replaces {@code current} with {@code next} if the stored version still matches. The app's keys are
     * not part of it: a key added or revoked since {@code current} was read stays added or revoked.
     *
     * @return false when another writer changed the app first
     */
    boolean replace(App current, App next);

    /**
     * Removes the app and every key of it, if the stored version still matches {@code current}:
     * its keys stop finding it at once. Nothing else the app owns (tasks, usage, archived outputs)
     * is touched.
     *
     * <p>A key added or revoked while the delete runs must not survive it nor be lost: the delete then
     * fails like a version conflict and the caller reads the app again.
     *
     * @return the hashes of the keys this delete revoked (sorted; what to report, since keys may change
     *         between any earlier read and the delete), or empty when another writer changed the app or
     *         its keys first, or it is already gone
     */
    Optional<List<String>> delete(App current);
}
