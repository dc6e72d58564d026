package com.runwayrelay.archiver;

import com.runwayrelay.aws.config.Env;
import com.runwayrelay.aws.config.RunwaySettings;
import java.time.Duration;
import java.util.List;

/**
 * The archiver's configuration, read once at init.
 *
 * @param table               {@code RELAY_TABLE}
 * @param bucket              {@code RELAY_BUCKET}
 * @param linkTtl             {@code RELAY_LINK_TTL_SECONDS} (default 3600)
 * @param outputHostAllowlist {@code RELAY_OUTPUT_HOST_ALLOWLIST}: hosts outputs may be downloaded from
 * @param runway              how to reach Runway (fresh output URLs when one expired)
 */
public record ArchiverConfig(String table, String bucket, Duration linkTtl, List<String> outputHostAllowlist,
                             RunwaySettings runway) {

    public static ArchiverConfig from(Env env) {
        String table = env.required("RELAY_TABLE");
        String bucket = env.required("RELAY_BUCKET");
        Duration ttl = env.seconds("RELAY_LINK_TTL_SECONDS", Duration.ofHours(1), 60, 604_800);
        List<String> hosts = env.list("RELAY_OUTPUT_HOST_ALLOWLIST");
        if (hosts.isEmpty()) {
            env.problem("RELAY_OUTPUT_HOST_ALLOWLIST is empty: no output could ever be downloaded");
        }
        RunwaySettings runway = RunwaySettings.from(env);
        env.check();
        return new ArchiverConfig(table, bucket, ttl, hosts, runway);
    }
}
