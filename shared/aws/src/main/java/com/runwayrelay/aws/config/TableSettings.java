package com.runwayrelay.aws.config;

import com.runwayrelay.domain.DueShards;

/** Settings of the one table that every function writing tasks must share. */
public final class TableSettings {
    private TableSettings() {
    }

    /** {@code RELAY_DUE_SHARDS}: shards of the due index, default {@value DueShards#DEFAULT}. */
    public static int dueShards(Env env) {
        return env.integer("RELAY_DUE_SHARDS", DueShards.DEFAULT, 1, DueShards.MAX);
    }
}
