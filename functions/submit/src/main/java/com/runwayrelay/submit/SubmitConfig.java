package com.runwayrelay.submit;

import com.runwayrelay.aws.config.Env;
import com.runwayrelay.aws.config.TableSettings;
import com.runwayrelay.aws.config.RunwaySettings;
import java.time.Duration;
import java.util.List;

/**
 * The submit function's configuration, read once at init.
 *
 * @param table              {@code RELAY_TABLE}: the DynamoDB table
 * @param runway             how to reach Runway
 * @param mediaHostAllowlist {@code RELAY_MEDIA_HOST_ALLOWLIST}: hosts allowed in https media URIs
 * @param unknownModelPolicy {@code RELAY_UNKNOWN_MODEL_POLICY}: {@code reject} (default) or {@code passthrough}
 * @param dueShards          {@code RELAY_DUE_SHARDS}: due-index shards; must match the poller's (default 8)
 * @param idempotencyTtl     {@code RELAY_IDEMPOTENCY_TTL_SECONDS}: how long an Idempotency-Key is remembered (default 24 h)
 * @param idempotencyWait    {@code RELAY_IDEMPOTENCY_WAIT_SECONDS}: how long a duplicate waits for the first
 *                           request's answer before getting 409 (default 10 s)
 * @param idempotencyLease   how long an unanswered Idempotency-Key claim holds the key before a retry may
 *                           take it over: the function's longest run, {@code RELAY_SUBMIT_TIMEOUT_SECONDS}
 *                           (the template sets it to the function's {@code Timeout}; default 29 s), plus
 *                           {@link #CLOCK_MARGIN} for clock differences between hosts
 * @param unpricedCredits    {@code RELAY_UNPRICED_MODEL_CREDITS}: credits reserved for a model without a
 *                           known price (default 100)
 * @param appCacheTtl        {@code RELAY_APP_CACHE_SECONDS}: how long an authenticated app is cached (default 30 s)
 * @param allowLoopbackHttp  {@code RELAY_ALLOW_LOOPBACK_HTTP} (local stack only): accept {@code http://} media
 *                           and callback URLs on this machine
 * @param bucket             {@code RELAY_BUCKET}: where archived outputs live (a held create answers with links)
 * @param linkTtl            {@code RELAY_LINK_TTL_SECONDS}: lifetime of those links (default 3600)
 */
public record SubmitConfig(String table, RunwaySettings runway, List<String> mediaHostAllowlist,
                           String unknownModelPolicy, int dueShards, Duration idempotencyTtl, Duration idempotencyWait,
                           Duration idempotencyLease, long unpricedCredits, Duration appCacheTtl,
                           boolean allowLoopbackHttp, String bucket, Duration linkTtl) {
    /** Added to the function timeout for the lease: host clocks may differ a little. */
    public static final Duration CLOCK_MARGIN = Duration.ofSeconds(1);

    public static SubmitConfig from(Env env) {
        String table = env.required("RELAY_TABLE");
        String bucket = env.required("RELAY_BUCKET");
        Duration linkTtl = env.seconds("RELAY_LINK_TTL_SECONDS", Duration.ofHours(1), 60, 604_800);
        RunwaySettings runway = RunwaySettings.from(env);
        List<String> hosts = env.list("RELAY_MEDIA_HOST_ALLOWLIST");
        String policy = env.optional("RELAY_UNKNOWN_MODEL_POLICY", "reject");
        if (!policy.equals("reject") && !policy.equals("passthrough")) {
            env.problem("RELAY_UNKNOWN_MODEL_POLICY must be reject or passthrough (got '" + policy + "')");
        }
        int shards = TableSettings.dueShards(env);
        Duration ttl = env.seconds("RELAY_IDEMPOTENCY_TTL_SECONDS", Duration.ofHours(24), 60, 604_800);
        Duration wait = env.seconds("RELAY_IDEMPOTENCY_WAIT_SECONDS", Duration.ofSeconds(10), 0, 25);
        Duration timeout = env.seconds("RELAY_SUBMIT_TIMEOUT_SECONDS", Duration.ofSeconds(29), 1, 900);
        long unpriced = env.longValue("RELAY_UNPRICED_MODEL_CREDITS", 100, 0, 1_000_000);
        Duration cache = env.seconds("RELAY_APP_CACHE_SECONDS", Duration.ofSeconds(30), 0, 3600);
        boolean loopback = "true".equalsIgnoreCase(env.localOnly("RELAY_ALLOW_LOOPBACK_HTTP"));
        if (timeout.plus(CLOCK_MARGIN).compareTo(ttl) > 0) {
            env.problem("RELAY_SUBMIT_TIMEOUT_SECONDS (" + timeout.toSeconds() + ") must be shorter than"
                    + " RELAY_IDEMPOTENCY_TTL_SECONDS (" + ttl.toSeconds() + ")");
        }
        env.check();
        return new SubmitConfig(table, runway, hosts, policy, shards, ttl, wait, timeout.plus(CLOCK_MARGIN), unpriced,
                cache, loopback, bucket, linkTtl);
    }
}
