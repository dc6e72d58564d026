package com.runwayrelay.notifier;

import com.runwayrelay.aws.config.Env;
import java.time.Duration;

/**
 * The notifier's configuration, read once at init.
 *
 * @param table   {@code RELAY_TABLE}
 * @param bucket  {@code RELAY_BUCKET}
 * @param linkTtl {@code RELAY_LINK_TTL_SECONDS}: lifetime of the link put in the webhook payload (default 3600)
 */
public record NotifierConfig(String table, String bucket, Duration linkTtl) {

    public static NotifierConfig from(Env env) {
        String table = env.required("RELAY_TABLE");
        String bucket = env.required("RELAY_BUCKET");
        Duration ttl = env.seconds("RELAY_LINK_TTL_SECONDS", Duration.ofHours(1), 60, 604_800);
        env.check();
        return new NotifierConfig(table, bucket, ttl);
    }
}
