package com.runwayrelay.notifier;

import com.runwayrelay.aws.config.Env;
import com.runwayrelay.aws.config.TableSettings;
import com.runwayrelay.domain.webhook.WebhookDispatch;
import java.time.Duration;
import java.util.Locale;

/**
 * The notifier's configuration, read once at init.
 *
 * @param table             {@code RELAY_TABLE}
 * @param bucket            {@code RELAY_BUCKET}
 * @param linkTtl           {@code RELAY_LINK_TTL_SECONDS}: lifetime of the links put in the webhook payload (default 3600)
 * @param dueShards         {@code RELAY_DUE_SHARDS}: due-index shards; every writer of tasks must use the same number (default 8)
 * @param allowLoopbackHttp {@code RELAY_ALLOW_LOOPBACK_HTTP} (local stack only, never set by the template):
 *                          {@code true} lets callbacks reach loopback receivers, over plain http too (default false)
 * @param sendTimeout       bound on one delivery, connection and TLS included: 15 s, as Standard Webhooks recommends
 * @param deliveryTimeout   bound on one PUT of an output to an app's storage ({@code relay.deliverTo}), the whole
 *                          body included: 60 s
 * @param webhookClaimLease how long a claimed webhook attempt is protected from other runs: 2 minutes
 *                          ({@link WebhookDispatch.Settings#standard()}); {@code RELAY_WEBHOOK_CLAIM_LEASE_SECONDS}
 *                          (local stack only, never set by the template, 30 to 120) shortens it for the fault soak,
 *                          which otherwise waits the whole lease for an attempt whose claim write was applied but
 *                          whose answer a fault dropped; 30 s still exceeds the 15 s send timeout with a margin
 */
public record NotifierConfig(String table, String bucket, Duration linkTtl, int dueShards, boolean allowLoopbackHttp,
                             Duration sendTimeout, Duration deliveryTimeout, Duration webhookClaimLease) {
    /** How long a receiver has to answer. */
    public static final Duration SEND_TIMEOUT = Duration.ofSeconds(15);
    /** How long one PUT of an output may take, connection, TLS and the whole body included. */
    public static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(60);
    /** The local-only variable that shortens {@link #webhookClaimLease()}. */
    static final String CLAIM_LEASE_VARIABLE = "RELAY_WEBHOOK_CLAIM_LEASE_SECONDS";
    /** The shortest claim lease: twice the send timeout, so a claim never lapses while its send may still run. */
    static final Duration MIN_CLAIM_LEASE = Duration.ofSeconds(30);

    public static NotifierConfig from(Env env) {
        String table = env.required("RELAY_TABLE");
        String bucket = env.required("RELAY_BUCKET");
        Duration ttl = env.seconds("RELAY_LINK_TTL_SECONDS", Duration.ofHours(1), 60, 604_800);
        int shards = TableSettings.dueShards(env);
        boolean loopback = switch (String.valueOf(env.localOnly("RELAY_ALLOW_LOOPBACK_HTTP")).toLowerCase(Locale.ROOT)) {
            case "null", "false" -> false;
            case "true" -> true;
            default -> {
                env.problem("RELAY_ALLOW_LOOPBACK_HTTP must be true or false");
                yield false;
            }
        };
        Duration standardLease = WebhookDispatch.Settings.standard().claimLease();
        Duration claimLease = env.localOnlySeconds(CLAIM_LEASE_VARIABLE, standardLease, MIN_CLAIM_LEASE.toSeconds(),
                standardLease.toSeconds());
        env.check();
        return new NotifierConfig(table, bucket, ttl, shards, loopback, SEND_TIMEOUT, DELIVERY_TIMEOUT, claimLease);
    }

    /** The dispatch's settings: the standard schedule and in-place wait, with {@link #webhookClaimLease()}. */
    public WebhookDispatch.Settings dispatchSettings() {
        WebhookDispatch.Settings standard = WebhookDispatch.Settings.standard();
        return new WebhookDispatch.Settings(standard.schedule(), webhookClaimLease, standard.maxInPlaceWait());
    }
}
