package com.runwayrelay.poller;

import com.runwayrelay.aws.config.Env;
import com.runwayrelay.aws.config.TableSettings;
import com.runwayrelay.aws.config.RunwaySettings;
import com.runwayrelay.domain.poll.FailureCodes;
import com.runwayrelay.domain.poll.PollPolicy;
import com.runwayrelay.domain.poll.Poller;
import java.time.Duration;
import java.util.List;

/**
 * The poller's configuration, read once at init.
 *
 * @param table      {@code RELAY_TABLE}
 * @param runway     how to reach Runway
 * @param runSeconds {@code RELAY_POLLER_RUN_SECONDS}: how long one invocation keeps claiming work (default 50);
 *                   the remaining Lambda time bounds it too
 * @param dueShards  {@code RELAY_DUE_SHARDS}: due-index shards; every writer of tasks must use the same number
 *                   (default {@value com.runwayrelay.domain.DueShards#DEFAULT})
 * @param policy     the poll policy: {@code RELAY_POLLER_CONCURRENCY} (tasks at once, default 32),
 *                   {@code RELAY_POLLER_REQUESTS_PER_SECOND} (cap towards Runway, default 50),
 *                   {@code RELAY_POLLER_LEASE_SECONDS} (lease of a claim on an ACCEPTED task, default 60, at least 30),
 *                   {@code RELAY_POLLER_MAX_ATTEMPTS} (Runway tasks per gateway task, default 3) and
 *                   {@code RELAY_POLLER_RETRYABLE_FAILURE_CODES} (comma-separated codes, {@code PREFIX.*} or
 *                   {@code NONE}; default {@code INPUT_PREPROCESSING.INTERNAL,THIRD_PARTY.UNAVAILABLE,INTERNAL,NONE}) and
 *                   {@code RELAY_PROGRESS_EVENT_SECONDS} (the shortest time between two {@code task.progress}
 *                   webhooks of one task, default 30, 0 to 3600; 0 announces every change the poller sees);
 *                   {@code RELAY_POLLER_IN_FLIGHT_GRACE_SECONDS} (local stack only, never set by the template, 60 to
 *                   120, default 120) shortens {@link PollPolicy#inFlightGrace()} for the fault soak, which otherwise
 *                   waits 2 minutes for a task whose create was in flight when the stack was killed; 60 s is the
 *                   submit function's own hold on a task it is creating, itself twice its 29 s timeout
 * @param stuckAfter {@code RELAY_STUCK_TASK_SECONDS}: how long past its due time a task counts as stuck in the
 *                   {@code StuckTasks} metric (default 600, 60 to 86400)
 * @param realtimeCreditsPerSecond {@code RELAY_REALTIME_CREDITS_PER_SECOND}: what a second of realtime session
 *                   costs when the settlement pass settles one (default 1, 0 to 1000000; the status function's
 *                   value, so both settle alike)
 */
public record PollerConfig(String table, RunwaySettings runway, Duration runSeconds, int dueShards,
                           PollPolicy policy, Duration stuckAfter, long realtimeCreditsPerSecond) {
    /** The local-only variable that shortens the policy's in-flight grace. */
    static final String IN_FLIGHT_GRACE_VARIABLE = "RELAY_POLLER_IN_FLIGHT_GRACE_SECONDS";
    /**
     * The shortest in-flight grace: the submit function keeps a task it is creating out of the poller's hands this long
     * (its due time, {@code SubmitTask.IN_FLIGHT_GRACE}), more than twice its 29 s timeout.
     */
    static final Duration MIN_IN_FLIGHT_GRACE = Duration.ofSeconds(60);

    /** As the canonical constructor, with {@link Poller#DEFAULT_STUCK_AFTER} and 1 credit per realtime second. */
    public PollerConfig(String table, RunwaySettings runway, Duration runSeconds, int dueShards, PollPolicy policy) {
        this(table, runway, runSeconds, dueShards, policy, Poller.DEFAULT_STUCK_AFTER);
    }

    /** As the canonical constructor, with 1 credit per realtime second. */
    public PollerConfig(String table, RunwaySettings runway, Duration runSeconds, int dueShards, PollPolicy policy,
                        Duration stuckAfter) {
        this(table, runway, runSeconds, dueShards, policy, stuckAfter, 1);
    }

    public static PollerConfig from(Env env) {
        String table = env.required("RELAY_TABLE");
        RunwaySettings runway = RunwaySettings.from(env);
        Duration run = env.seconds("RELAY_POLLER_RUN_SECONDS", Duration.ofSeconds(50), 1, 840);
        int shards = TableSettings.dueShards(env);
        PollPolicy defaults = PollPolicy.builder().build();
        int concurrency = env.integer("RELAY_POLLER_CONCURRENCY", defaults.concurrency(), 1, 1_024);
        int rate = env.integer("RELAY_POLLER_REQUESTS_PER_SECOND", (int) defaults.requestsPerSecond(), 1, 10_000);
        Duration lease = env.seconds("RELAY_POLLER_LEASE_SECONDS", defaults.lease(), 30, 900);
        int attempts = env.integer("RELAY_POLLER_MAX_ATTEMPTS", defaults.maxAttempts(), 1, 10);
        Duration progressEvents = env.seconds("RELAY_PROGRESS_EVENT_SECONDS", defaults.progressEventInterval(), 0, 3_600);
        Duration stuckAfter = env.seconds("RELAY_STUCK_TASK_SECONDS", Poller.DEFAULT_STUCK_AFTER, 60, 86_400);
        long realtimeRate = env.longValue("RELAY_REALTIME_CREDITS_PER_SECOND", 1, 0, 1_000_000);
        Duration inFlightGrace = env.localOnlySeconds(IN_FLIGHT_GRACE_VARIABLE, defaults.inFlightGrace(),
                MIN_IN_FLIGHT_GRACE.toSeconds(), defaults.inFlightGrace().toSeconds());
        List<String> codes = env.list("RELAY_POLLER_RETRYABLE_FAILURE_CODES");
        FailureCodes retryable = defaults.retryableFailures();
        if (!codes.isEmpty()) {
            try {
                retryable = FailureCodes.of(codes);
            } catch (IllegalArgumentException e) {
                env.problem("RELAY_POLLER_RETRYABLE_FAILURE_CODES: " + e.getMessage());
            }
        }
        env.check();
        PollPolicy policy = defaults.toBuilder()
                .concurrency(concurrency)
                .requestsPerSecond(rate)
                .lease(lease)
                .maxAttempts(attempts)
                .retryableFailures(retryable)
                .progressEventInterval(progressEvents)
                .inFlightGrace(inFlightGrace)
                .build();
        return new PollerConfig(table, runway, run, shards, policy, stuckAfter, realtimeRate);
    }
}
