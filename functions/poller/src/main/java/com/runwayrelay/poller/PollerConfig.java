package com.runwayrelay.poller;

import com.runwayrelay.aws.config.Env;
import com.runwayrelay.aws.config.RunwaySettings;
import java.time.Duration;

/**
 * The poller's configuration, read once at init.
 *
 * @param table      {@code RELAY_TABLE}
 * @param runway     how to reach Runway
 * @param runSeconds {@code RELAY_POLLER_RUN_SECONDS}: how long one invocation keeps working (default 50)
 */
public record PollerConfig(String table, RunwaySettings runway, Duration runSeconds) {

    public static PollerConfig from(Env env) {
        String table = env.required("RELAY_TABLE");
        RunwaySettings runway = RunwaySettings.from(env);
        Duration run = env.seconds("RELAY_POLLER_RUN_SECONDS", Duration.ofSeconds(50), 1, 840);
        env.check();
        return new PollerConfig(table, runway, run);
    }
}
