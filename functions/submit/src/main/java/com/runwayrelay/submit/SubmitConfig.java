package com.runwayrelay.submit;

import com.runwayrelay.aws.config.Env;
import com.runwayrelay.aws.config.RunwaySettings;
import java.util.List;

/**
 * The submit function's configuration, read once at init.
 *
 * @param table              {@code RELAY_TABLE}: the DynamoDB table
 * @param runway             how to reach Runway
 * @param mediaHostAllowlist {@code RELAY_MEDIA_HOST_ALLOWLIST}: hosts allowed in https media URIs
 * @param unknownModelPolicy {@code RELAY_UNKNOWN_MODEL_POLICY}: {@code reject} (default) or {@code passthrough}
 */
public record SubmitConfig(String table, RunwaySettings runway, List<String> mediaHostAllowlist,
                           String unknownModelPolicy) {

    public static SubmitConfig from(Env env) {
        String table = env.required("RELAY_TABLE");
        RunwaySettings runway = RunwaySettings.from(env);
        List<String> hosts = env.list("RELAY_MEDIA_HOST_ALLOWLIST");
        String policy = env.optional("RELAY_UNKNOWN_MODEL_POLICY", "reject");
        if (!policy.equals("reject") && !policy.equals("passthrough")) {
            env.problem("RELAY_UNKNOWN_MODEL_POLICY must be reject or passthrough (got '" + policy + "')");
        }
        env.check();
        return new SubmitConfig(table, runway, hosts, policy);
    }
}
