package com.runwayrelay.status;

import com.runwayrelay.aws.config.Env;
import com.runwayrelay.aws.config.RunwaySettings;
import java.time.Duration;

/**
 * The status function's configuration, read once at init.
 *
 * @param table   {@code RELAY_TABLE}
 * @param bucket  {@code RELAY_BUCKET}: where archived outputs live
 * @param linkTtl {@code RELAY_LINK_TTL_SECONDS}: lifetime of the pre-signed links it hands out (default 3600)
 * @param runway  how to reach Runway (cancellation)
 */
public record StatusConfig(String table, String bucket, Duration linkTtl, RunwaySettings runway) {

    public static StatusConfig from(Env env) {
        String table = env.required("RELAY_TABLE");
        String bucket = env.required("RELAY_BUCKET");
        Duration ttl = env.seconds("RELAY_LINK_TTL_SECONDS", Duration.ofHours(1), 60, 604_800);
        RunwaySettings runway = RunwaySettings.from(env);
        env.check();
        return new StatusConfig(table, bucket, ttl, runway);
    }
}
