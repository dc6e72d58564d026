package com.runwayrelay.admin;

import com.runwayrelay.aws.config.Env;
import com.runwayrelay.aws.config.MetricsSettings;
import com.runwayrelay.aws.config.RunwaySettings;
import com.runwayrelay.aws.config.TableSettings;
import java.time.Duration;

/**
 * The admin function's configuration, read once at init.
 *
 * @param table               {@code RELAY_TABLE}
 * @param bucket              {@code RELAY_BUCKET}: where archived outputs live (links in a task's details)
 * @param linkTtl             {@code RELAY_LINK_TTL_SECONDS}: lifetime of those links (default 3600)
 * @param runway              how to reach Runway (cancelling a task)
 * @param dueShards           {@code RELAY_DUE_SHARDS}: due-index shards; must match the other functions' (default 8)
 * @param metrics           {@code RELAY_METRICS_NAMESPACE}, {@code RELAY_METRICS_SERVICE}: whose metrics the
 *                          overview reads back
 * @param allowLoopbackHttp   {@code RELAY_ALLOW_LOOPBACK_HTTP} (local stack only): accept {@code http://}
 *                            default callback URLs on this machine, as submit does for {@code relay.callbackUrl}
 * @see com.runwayrelay.aws.queues.QueueDepthsFromEnv the queues health reads ({@code RELAY_POLLER_DLQ_URL},
 *      {@code RELAY_STREAM_FAILURE_QUEUE_URL})
 */
public record AdminConfig(String table, String bucket, Duration linkTtl, RunwaySettings runway, int dueShards,
                          MetricsSettings metrics, boolean allowLoopbackHttp) {

    public static AdminConfig from(Env env) {
        String table = env.required("RELAY_TABLE");
        String bucket = env.required("RELAY_BUCKET");
        Duration ttl = env.seconds("RELAY_LINK_TTL_SECONDS", Duration.ofHours(1), 60, 604_800);
        RunwaySettings runway = RunwaySettings.from(env);
        int shards = TableSettings.dueShards(env);
        MetricsSettings metrics = MetricsSettings.from(env);
        boolean loopback = "true".equalsIgnoreCase(env.localOnly("RELAY_ALLOW_LOOPBACK_HTTP"));
        env.check();
        return new AdminConfig(table, bucket, ttl, runway, shards, metrics, loopback);
    }
}
