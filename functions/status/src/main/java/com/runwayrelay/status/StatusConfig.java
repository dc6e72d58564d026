package com.runwayrelay.status;

import com.runwayrelay.aws.config.Env;
import com.runwayrelay.aws.config.TableSettings;
import com.runwayrelay.aws.config.RunwaySettings;
import java.time.Duration;
import java.util.List;

/**
 * The status function's configuration, read once at init.
 *
 * @param table       {@code RELAY_TABLE}
 * @param bucket      {@code RELAY_BUCKET}: where archived outputs live
 * @param linkTtl     {@code RELAY_LINK_TTL_SECONDS}: lifetime of the pre-signed links it hands out (default 3600)
 * @param runway      how to reach Runway (cancellation)
 * @param dueShards   {@code RELAY_DUE_SHARDS}: due-index shards; must match the other functions' (default 8)
 * @param appCacheTtl {@code RELAY_APP_CACHE_SECONDS}: how long an authenticated app is cached (default 30 s)
 * @param mediaHostAllowlist {@code RELAY_MEDIA_HOST_ALLOWLIST}: hosts allowed in https media URIs of avatar
 *                           and voice bodies (the submit function's list)
 * @param allowLoopbackHttp  {@code RELAY_ALLOW_LOOPBACK_HTTP} (local stack only): accept {@code http://} media
 *                           on this machine
 * @param realtimeCreditsPerSecond {@code RELAY_REALTIME_CREDITS_PER_SECOND}: what a second of realtime
 *                    session counts against an app's budget (default 1; Runway reports no price)
 * @param workflowCacheTtl {@code RELAY_WORKFLOW_CACHE_SECONDS}: how long Runway's workflow list and each
 *                    workflow read are reused (default 30 s, 0 asks Runway every time)
 */
public record StatusConfig(String table, String bucket, Duration linkTtl, RunwaySettings runway, int dueShards,
                           Duration appCacheTtl, List<String> mediaHostAllowlist, boolean allowLoopbackHttp,
                           long realtimeCreditsPerSecond, Duration workflowCacheTtl) {

    public static StatusConfig from(Env env) {
        String table = env.required("RELAY_TABLE");
        String bucket = env.required("RELAY_BUCKET");
        Duration ttl = env.seconds("RELAY_LINK_TTL_SECONDS", Duration.ofHours(1), 60, 604_800);
        RunwaySettings runway = RunwaySettings.from(env);
        int shards = TableSettings.dueShards(env);
        Duration cache = env.seconds("RELAY_APP_CACHE_SECONDS", Duration.ofSeconds(30), 0, 3600);
        List<String> hosts = env.list("RELAY_MEDIA_HOST_ALLOWLIST");
        boolean loopback = "true".equalsIgnoreCase(env.localOnly("RELAY_ALLOW_LOOPBACK_HTTP"));
        long realtimeRate = env.longValue("RELAY_REALTIME_CREDITS_PER_SECOND", 1, 0, 1_000_000);
        Duration workflows = env.seconds("RELAY_WORKFLOW_CACHE_SECONDS", Duration.ofSeconds(30), 0, 3600);
        env.check();
        return new StatusConfig(table, bucket, ttl, runway, shards, cache, hosts, loopback, realtimeRate, workflows);
    }
}
