package com.runwayrelay.domain;

/** Maps a task id onto a due-index shard: stable, and even for random UUIDs. */
public final class DueShards {
    /** Shards used unless {@code RELAY_DUE_SHARDS} says otherwise; every writer of tasks must agree. */
    public static final int DEFAULT = 8;
    /** The most shards a deployment may configure. */
    public static final int MAX = 1_000;

    private DueShards() {
    }

    /** The shard of {@code taskId} among {@code shards} shards, in {@code [0, shards)}. */
    public static int shardOf(String taskId, int shards) {
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be >= 1");
        }
        // String.hashCode is specified by the JLS, so the mapping is stable across JVMs and releases.
        return Math.floorMod(taskId.hashCode(), shards);
    }
}
