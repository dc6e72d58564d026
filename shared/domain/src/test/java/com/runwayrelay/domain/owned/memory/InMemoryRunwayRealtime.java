package com.runwayrelay.domain.owned.memory;

import com.runwayrelay.domain.owned.RunwayConversation;
import com.runwayrelay.domain.owned.RunwayRealtime;
import com.runwayrelay.domain.owned.RunwaySession;
import com.runwayrelay.domain.owned.SessionStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runway's realtime sessions and their conversations in memory, organization-wide like Runway's. A
 * session is created {@code NOT_READY}; tests move it on with {@link #complete}, {@link #fail} and
 * {@link #endConversation}. {@link #script} queues answers that replace the next calls' own;
 * {@link #calls} records each call as {@code "create"}, {@code "get id"}, {@code "cancel id"},
 * {@code "conversation id"}, {@code "delete conversation id"}.
 */
public final class InMemoryRunwayRealtime implements RunwayRealtime {
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Deque<Answer> scripted = new ArrayDeque<>();
    private final List<String> calls = new ArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final Clock clock;

    public InMemoryRunwayRealtime(Clock clock) {
        this.clock = clock;
    }

    private static final class Session {
        final String id;
        final Instant createdAt;
        String status = "NOT_READY";
        Double duration;
        String conversationStatus = "in_progress";
        boolean conversationDeleted;

        Session(String id, Instant createdAt) {
            this.id = id;
            this.createdAt = createdAt;
        }
    }

    @Override
    public synchronized Answer createSession(String body) {
        calls.add("create");
        if (!scripted.isEmpty()) {
            return scripted.poll();
        }
        String id = String.format("00000000-0000-4000-9000-%012d", ids.incrementAndGet());
        sessions.put(id, new Session(id, clock.instant()));
        return new Answer.Created(id);
    }

    @Override
    public synchronized Answer getSession(String id) {
        calls.add("get " + id);
        if (!scripted.isEmpty()) {
            return scripted.poll();
        }
        Session s = sessions.get(id);
        if (s == null) {
            return new Answer.NotFound();
        }
        Double duration = "COMPLETED".equals(s.status) ? s.duration : null;
        return new Answer.SessionFound(new RunwaySession(id, SessionStatus.of(s.status), duration,
                "{\"id\":\"" + id + "\",\"status\":\"" + s.status + "\"}"));
    }

    @Override
    public synchronized Answer cancelSession(String id) {
        calls.add("cancel " + id);
        if (!scripted.isEmpty()) {
            return scripted.poll();
        }
        Session s = sessions.get(id);
        if (s == null) {
            return new Answer.NotFound();
        }
        if (!List.of("COMPLETED", "FAILED", "CANCELLED").contains(s.status)) {
            s.status = "CANCELLED";
        }
        return new Answer.Done();
    }

    @Override
    public synchronized Answer getConversation(String id) {
        calls.add("conversation " + id);
        if (!scripted.isEmpty()) {
            return scripted.poll();
        }
        Session s = sessions.get(id);
        if (s == null || s.conversationDeleted) {
            return new Answer.NotFound();
        }
        return new Answer.ConversationFound(new RunwayConversation(id, s.conversationStatus, s.createdAt, s.duration,
                "{\"id\":\"" + id + "\"}", "{\"id\":\"" + id + "\"}"));
    }

    @Override
    public synchronized Answer deleteConversation(String id) {
        calls.add("delete conversation " + id);
        if (!scripted.isEmpty()) {
            return scripted.poll();
        }
        Session s = sessions.get(id);
        if (s == null || s.conversationDeleted) {
            return new Answer.NotFound();
        }
        s.conversationDeleted = true;
        return new Answer.Done();
    }

    /** The session ran {@code seconds} and completed; its conversation ended with the same duration. */
    public synchronized void complete(String id, double seconds) {
        Session s = sessions.get(id);
        s.status = "COMPLETED";
        s.duration = seconds;
        s.conversationStatus = "ended";
    }

    /** The session failed after {@code seconds} (null: before it started); the conversation did too. */
    public synchronized void fail(String id, Double seconds) {
        Session s = sessions.get(id);
        s.status = "FAILED";
        s.duration = seconds;
        s.conversationStatus = "failed";
    }

    /** The conversation of a cancelled session ended after {@code seconds}. */
    public synchronized void endConversation(String id, double seconds) {
        Session s = sessions.get(id);
        s.duration = seconds;
        s.conversationStatus = "ended";
    }

    /** Forgets a session, as if Runway no longer had it. */
    public synchronized void drop(String id) {
        sessions.remove(id);
    }

    /** The next calls get these answers instead of their own. */
    public synchronized void script(Answer... answers) {
        scripted.addAll(List.of(answers));
    }

    /** Every call so far. */
    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    /** Sessions Runway has, of every app. */
    public synchronized int sessionCount() {
        return sessions.size();
    }

    /** A session's status at Runway. */
    public synchronized String status(String id) {
        return sessions.get(id).status;
    }
}
