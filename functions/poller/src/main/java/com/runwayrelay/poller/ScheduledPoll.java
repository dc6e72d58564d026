package com.runwayrelay.poller;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.runwayrelay.domain.admin.InterruptedCreates;
import com.runwayrelay.domain.metrics.Metrics;
import com.runwayrelay.domain.metrics.RelayMetric;
import com.runwayrelay.domain.owned.CreateIntent;
import com.runwayrelay.domain.owned.SessionSettlementPass;
import com.runwayrelay.domain.poll.Poller;
import com.runwayrelay.domain.poll.RunSummary;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * One scheduled invocation: works out the run's time window from the configured run length and
 * the Lambda's remaining time, runs the {@link Poller}, logs and returns the summary.
 *
 * <p>Claiming stops {@link #CLAIM_MARGIN} before the Lambda times out (or after the configured run
 * length, if sooner); work in hand may finish until {@link #STOP_MARGIN} before the timeout, when
 * what is left is interrupted and its leases released.
 *
 * <p>Before the tasks, the realtime sessions' {@link SessionSettlementPass} settles up to
 * {@link #SESSIONS_PER_RUN} sessions that ended without the app reading them, starting none after
 * {@link #SESSIONS_WINDOW}; its work is logged on a line of its own ({@code poller.sessions}) when it
 * did any, and a session whose check failed as a {@code poller.problem}. A failure of the pass never
 * stops the run's tasks.
 *
 * <p>Then the {@link InterruptedCreates} sweep reports up to {@link #INTENTS_PER_RUN} create intents that
 * no create finished, claiming none after {@link #INTENTS_WINDOW}: each is logged once as
 * {@code <kind>.interrupted_create} (error level) and counted in {@link RelayMetric#POSSIBLE_ORPHANS} for
 * its kind, so {@code PossibleOrphansAlarm} fires as for the status function's {@code <kind>.possible_orphan}.
 * A failure of the sweep is a {@code poller.problem} and never stops the run's tasks either.
 */
final class ScheduledPoll implements BiFunction<ScheduledEvent, Context, Map<String, Object>> {
    /** Room after the last claim for the tasks in hand: a Runway read with one retry, and the write. */
    static final Duration CLAIM_MARGIN = Duration.ofSeconds(10);
    /** Room to release leases and return before the Lambda is stopped. */
    static final Duration STOP_MARGIN = Duration.ofSeconds(3);
    /** The most realtime sessions one invocation settles. */
    static final int SESSIONS_PER_RUN = 25;
    /** No session check starts later than this after the invocation's start. */
    static final Duration SESSIONS_WINDOW = Duration.ofSeconds(10);
    /** The most interrupted creates one invocation reports. */
    static final int INTENTS_PER_RUN = 25;
    /** No intent is claimed later than this after the invocation's start. */
    static final Duration INTENTS_WINDOW = Duration.ofSeconds(12);

    private final Poller poller;
    private final Duration runLength;
    private final Clock clock;
    private final JsonLinePollLog log;
    private final SessionSettlementPass sessions;
    private final InterruptedCreates intents;
    private final Metrics metrics;

    ScheduledPoll(Poller poller, Duration runLength, Clock clock, JsonLinePollLog log) {
        this(poller, runLength, clock, log, null);
    }

    /** @param sessions the settlement pass run before the tasks, or null for none */
    ScheduledPoll(Poller poller, Duration runLength, Clock clock, JsonLinePollLog log, SessionSettlementPass sessions) {
        this(poller, runLength, clock, log, sessions, null, Metrics.none());
    }

    /**
     * @param sessions the settlement pass run before the tasks, or null for none
     * @param intents  the interrupted-create sweep run before the tasks, or null for none
     * @param metrics  where the sweep's reports are counted
     */
    ScheduledPoll(Poller poller, Duration runLength, Clock clock, JsonLinePollLog log, SessionSettlementPass sessions,
                  InterruptedCreates intents, Metrics metrics) {
        this.poller = poller;
        this.runLength = runLength;
        this.clock = clock;
        this.log = log;
        this.sessions = sessions;
        this.intents = intents;
        this.metrics = metrics;
    }

    @Override
    public Map<String, Object> apply(ScheduledEvent event, Context context) {
        Instant start = clock.instant();
        Duration remaining = context != null
                ? Duration.ofMillis(context.getRemainingTimeInMillis())
                : runLength.plus(CLAIM_MARGIN);
        Duration claimFor = min(runLength, remaining.minus(CLAIM_MARGIN));
        Instant claimUntil = start.plus(claimFor.isNegative() ? Duration.ZERO : claimFor);
        Instant hardStop = max(claimUntil, start.plus(remaining.minus(STOP_MARGIN)));
        String runId = "poller-" + (context != null && context.getAwsRequestId() != null
                ? context.getAwsRequestId() : UUID.randomUUID().toString());
        settleSessions(runId, start);
        reportInterruptedCreates(runId, start);
        RunSummary summary = poller.run(runId, claimUntil, hardStop);
        log.summary(summary);
        return asMap(summary);
    }

    private void settleSessions(String runId, Instant start) {
        if (sessions == null) {
            return;
        }
        SessionSettlementPass.Result result;
        try {
            result = sessions.run(SESSIONS_PER_RUN, start.plus(SESSIONS_WINDOW));
        } catch (RuntimeException e) {
            // The due query itself failed: the tasks still get their run; the next invocation tries again.
            log.problem(runId, null, e);
            return;
        }
        for (SessionSettlementPass.Failure failure : result.failures()) {
            log.problem(runId, failure.runwayId(), failure.error());
        }
        if (result.checked() > 0 || result.skipped() > 0 || !result.failures().isEmpty()) {
            log.sessions(runId, result);
        }
    }

    private void reportInterruptedCreates(String runId, Instant start) {
        if (intents == null) {
            return;
        }
        InterruptedCreates.Result result;
        try {
            result = intents.run(INTENTS_PER_RUN, start.plus(INTENTS_WINDOW));
        } catch (RuntimeException e) {
            // The due query itself failed: the tasks still get their run; the next invocation tries again.
            log.problem(runId, null, e);
            return;
        }
        for (CreateIntent reported : result.reported()) {
            log.interruptedCreate(runId, reported);
            metrics.record(RelayMetric.POSSIBLE_ORPHANS, 1, reported.kind().wireName());
        }
        for (InterruptedCreates.Failure failure : result.failures()) {
            log.intentProblem(runId, failure.intent(), failure.error());
        }
    }

    /** The summary as the handler returns it and the log line shows it. */
    static Map<String, Object> asMap(RunSummary s) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("runId", s.runId());
        map.put("claimed", s.claimed());
        map.put("advanced", s.advanced());
        map.put("unchanged", s.unchanged());
        map.put("transitions", s.transitions());
        map.put("failed", s.failed());
        map.put("skipped", s.skipped());
        map.put("released", s.released());
        map.put("woken", s.woken());
        map.put("cleared", s.cleared());
        map.put("runwayRequests", s.runwayRequests());
        map.put("peakInFlight", s.peakInFlight());
        map.put("durationMs", s.duration().toMillis());
        return map;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
