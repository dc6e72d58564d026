package com.runwayrelay.admin;

import com.runwayrelay.aws.config.Env;

/**
 * The admin function's configuration, read once at init.
 *
 * @param table             {@code RELAY_TABLE}
 * @param allowLoopbackHttp {@code RELAY_ALLOW_LOOPBACK_HTTP} (local stack only): accept {@code http://}
 *                          default callback URLs on this machine, as submit does for {@code relay.callbackUrl}
 */
public record AdminConfig(String table, boolean allowLoopbackHttp) {

    public static AdminConfig from(Env env) {
        String table = env.required("RELAY_TABLE");
        boolean loopback = "true".equalsIgnoreCase(env.localOnly("RELAY_ALLOW_LOOPBACK_HTTP"));
        env.check();
        return new AdminConfig(table, loopback);
    }
}
