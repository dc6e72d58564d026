package com.runwayrelay.domain.owned.memory;

import com.runwayrelay.domain.owned.RunwayDocument;
import com.runwayrelay.domain.owned.RunwayDocuments;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runway's documents in memory, organization-wide like Runway's (no notion of apps). {@link #script}
 * queues answers that replace the next calls' own (a fault, a lost answer); {@link #calls} records
 * each call as {@code "create name"}, {@code "get id"}, {@code "update id"}, {@code "delete id"}.
 */
public final class InMemoryRunwayDocuments implements RunwayDocuments {
    private final Map<String, RunwayDocument> documents = new ConcurrentHashMap<>();
    private final Deque<Answer> scripted = new ArrayDeque<>();
    private final List<String> calls = new ArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final Clock clock;

    public InMemoryRunwayDocuments(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized Answer create(String name, String content) {
        calls.add("create " + name);
        if (!scripted.isEmpty()) {
            return scripted.poll();
        }
        String id = String.format("00000000-0000-4000-8000-%012d", ids.incrementAndGet());
        RunwayDocument document = new RunwayDocument(id, name, "text", content, clock.instant(), clock.instant(), List.of());
        documents.put(id, document);
        return new Answer.Found(document);
    }

    @Override
    public synchronized Answer get(String id) {
        calls.add("get " + id);
        if (!scripted.isEmpty()) {
            return scripted.poll();
        }
        RunwayDocument document = documents.get(id);
        return document == null ? new Answer.NotFound() : new Answer.Found(document);
    }

    @Override
    public synchronized Answer update(String id, String name, String content) {
        calls.add("update " + id);
        if (!scripted.isEmpty()) {
            return scripted.poll();
        }
        RunwayDocument old = documents.get(id);
        if (old == null) {
            return new Answer.NotFound();
        }
        documents.put(id, new RunwayDocument(id, name == null ? old.name() : name, old.type(),
                content == null ? old.content() : content, old.createdAt(), clock.instant(), old.usedBy()));
        return new Answer.Done();
    }

    @Override
    public synchronized Answer delete(String id) {
        calls.add("delete " + id);
        if (!scripted.isEmpty()) {
            return scripted.poll();
        }
        return documents.remove(id) == null ? new Answer.NotFound() : new Answer.Done();
    }

    /** The next calls answer these, in order, instead of acting. */
    public synchronized void script(Answer... answers) {
        scripted.addAll(List.of(answers));
    }

    /** Removes a document behind the gateway's back (as another Runway client could). */
    public void vanish(String id) {
        documents.remove(id);
    }

    /** Every document Runway holds, of every app. */
    public Map<String, RunwayDocument> documents() {
        return Map.copyOf(documents);
    }

    /** The calls made so far. */
    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }
}
