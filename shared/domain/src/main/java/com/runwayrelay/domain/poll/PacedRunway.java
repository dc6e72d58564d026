package com.runwayrelay.domain.poll;

import com.runwayrelay.domain.runway.RunwayGateway;

/**
 * The run's view of Runway: every call waits for a token of the shared rate cap first and is
 * counted. A worker interrupted while waiting sends nothing and gets an Unavailable outcome.
 */
final class PacedRunway implements RunwayGateway {
    private static final String INTERRUPTED = "the run is stopping";

    private final RunwayGateway runway;
    private final TokenBucket rate;
    private final RunCounters counters;

    PacedRunway(RunwayGateway runway, TokenBucket rate, RunCounters counters) {
        this.runway = runway;
        this.rate = rate;
        this.counters = counters;
    }

    @Override
    public CreateOutcome create(String endpoint, String requestJson) {
        if (!paced()) {
            return new CreateOutcome.Unavailable(INTERRUPTED, null);
        }
        return runway.create(endpoint, requestJson);
    }

    @Override
    public ReadOutcome get(String runwayTaskId) {
        if (!paced()) {
            return new ReadOutcome.Unavailable(INTERRUPTED, null);
        }
        return runway.get(runwayTaskId);
    }

    @Override
    public CancelOutcome cancel(String runwayTaskId) {
        if (!paced()) {
            return new CancelOutcome.Unavailable(INTERRUPTED, null);
        }
        return runway.cancel(runwayTaskId);
    }

    @Override
    public ReadOutcome get(String endpoint, String runwayId) {
        if (!paced()) {
            return new ReadOutcome.Unavailable(INTERRUPTED, null);
        }
        return runway.get(endpoint, runwayId);
    }

    @Override
    public CancelOutcome cancel(String endpoint, String runwayId) {
        if (!paced()) {
            return new CancelOutcome.Unavailable(INTERRUPTED, null);
        }
        return runway.cancel(endpoint, runwayId);
    }

    private boolean paced() {
        try {
            rate.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        counters.runwayRequests.increment();
        return true;
    }
}
