package com.runwayrelay.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Every request received, with the status answered once it is known. */
final class RequestLog {
    private final List<RecordedRequest> entries = new ArrayList<>();

    synchronized int start(String method, String path, Instant at) {
        entries.add(new RecordedRequest(method, path, 0, at));
        return entries.size() - 1;
    }

    synchronized void finish(int index, int status) {
        RecordedRequest r = entries.get(index);
        entries.set(index, new RecordedRequest(r.method(), r.path(), status, r.at()));
    }

    synchronized List<RecordedRequest> snapshot() {
        return List.copyOf(entries);
    }

    synchronized long count(String method, String pathPrefix) {
        return entries.stream()
                .filter(r -> method.equals("*") || r.method().equalsIgnoreCase(method))
                .filter(r -> r.path().startsWith(pathPrefix))
                .count();
    }
}
