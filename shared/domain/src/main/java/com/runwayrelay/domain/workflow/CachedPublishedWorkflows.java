package com.runwayrelay.domain.workflow;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Runway's published workflows, each answer reused for a short time. Every app of a deployment
 * reads them through the deployment's one Runway key, and Runway's limits are the organization's,
 * so an app listing or reading workflows on every request would otherwise spend the organization's
 * requests (and add a Runway round trip to each call). The price is that a workflow published,
 * changed or unpublished in Runway's UI shows up to the time to live late.
 *
 * <p>Only answers are cached: the list, and each workflow found. A workflow Runway does not know
 * and an unavailable Runway are asked again on the next call, so a workflow published just after
 * an app looked for it is not hidden, and an outage ends as soon as Runway answers. Bounded like
 * the app cache: at most {@code maxEntries} workflows, the cache emptied when it is reached, and a
 * workflow whose JSON exceeds {@code maxChars} is never kept. One instance wraps one Runway
 * client, so its scope is that client's key. Thread-safe.
 */
public final class CachedPublishedWorkflows implements PublishedWorkflows {
    private final PublishedWorkflows runway;
    private final Clock clock;
    private final Duration ttl;
    private final int maxEntries;
    private final int maxChars;
    private final ConcurrentMap<String, Kept<Lookup.Found>> workflows = new ConcurrentHashMap<>();
    private volatile Kept<Listing.Listed> list;

    /**
     * @param ttl        how long an answer is reused; zero asks Runway every time
     * @param maxEntries how many workflows are kept at most
     * @param maxChars   the largest workflow JSON kept, in characters
     */
    public CachedPublishedWorkflows(PublishedWorkflows runway, Clock clock, Duration ttl, int maxEntries, int maxChars) {
        this.runway = Objects.requireNonNull(runway, "runway");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || maxEntries < 1 || maxChars < 1) {
            throw new IllegalArgumentException("ttl must be >= 0, maxEntries and maxChars >= 1");
        }
        this.maxEntries = maxEntries;
        this.maxChars = maxChars;
    }

    @Override
    public Listing list() {
        Instant now = clock.instant();
        Kept<Listing.Listed> kept = list;
        if (kept != null && kept.fresh(now)) {
            return kept.answer();
        }
        Listing answer = runway.list();
        if (answer instanceof Listing.Listed listed && !ttl.isZero()) {
            list = new Kept<>(listed, now.plus(ttl));
        }
        return answer;
    }

    @Override
    public Lookup get(String workflowId) {
        Instant now = clock.instant();
        Kept<Lookup.Found> kept = workflows.get(workflowId);
        if (kept != null && kept.fresh(now)) {
            return kept.answer();
        }
        Lookup answer = runway.get(workflowId);
        if (answer instanceof Lookup.Found found && !ttl.isZero() && found.json().length() <= maxChars) {
            if (workflows.size() >= maxEntries && !workflows.containsKey(workflowId)) {
                workflows.clear();
            }
            workflows.put(workflowId, new Kept<>(found, now.plus(ttl)));
        } else {
            workflows.remove(workflowId);
        }
        return answer;
    }

    private record Kept<T>(T answer, Instant expiresAt) {
        boolean fresh(Instant now) {
            return expiresAt.isAfter(now);
        }
    }
}
