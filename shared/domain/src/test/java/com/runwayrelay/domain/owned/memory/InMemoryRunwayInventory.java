package com.runwayrelay.domain.owned.memory;

import com.runwayrelay.domain.owned.ResourceKind;
import com.runwayrelay.domain.owned.RunwayInventory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link RunwayInventory} in memory: the organization's resources per kind in creation order, paged
 * with a cursor that is the last item's id ({@code "x:"} + id, so a made-up cursor is refused).
 * {@link #failNext} makes the next call unavailable; {@link #calls} counts every call.
 */
public final class InMemoryRunwayInventory implements RunwayInventory {
    private final Map<ResourceKind, List<Item>> items = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();
    private volatile String nextFailure;

    /** Adds a resource to Runway's list of {@code kind}. */
    public synchronized InMemoryRunwayInventory add(ResourceKind kind, Item item) {
        items.computeIfAbsent(kind, k -> new ArrayList<>()).add(item);
        return this;
    }

    /** Whether Runway has the resource. */
    public synchronized boolean has(ResourceKind kind, String id) {
        return items.getOrDefault(kind, List.of()).stream().anyMatch(i -> i.id().equals(id));
    }

    /** Makes the next call answer unavailable, with {@code reason}. */
    public void failNext(String reason) {
        nextFailure = reason;
    }

    /** How many calls were made. */
    public int calls() {
        return calls.get();
    }

    @Override
    public synchronized Listing page(ResourceKind kind, String cursor, int limit) {
        String failure = failure();
        if (failure != null) {
            return new Listing.Unavailable(failure, Duration.ofSeconds(7));
        }
        List<Item> all = items.getOrDefault(kind, List.of());
        int start = 0;
        if (cursor != null) {
            int at = cursor.startsWith("x:") ? indexOf(all, cursor.substring(2)) : -1;
            if (at < 0) {
                return new Listing.CursorRefused("Invalid cursor.");
            }
            start = at + 1;
        }
        List<Item> page = all.subList(Math.min(start, all.size()), Math.min(start + limit, all.size()));
        boolean more = start + limit < all.size();
        return new Listing.Page(page, more ? "x:" + page.getLast().id() : null);
    }

    @Override
    public synchronized Lookup get(ResourceKind kind, String id) {
        String failure = failure();
        if (failure != null) {
            return new Lookup.Unavailable(failure, null);
        }
        List<Item> all = items.getOrDefault(kind, List.of());
        int at = indexOf(all, id);
        return at < 0 ? new Lookup.NotFound() : new Lookup.Found(all.get(at));
    }

    @Override
    public synchronized Lookup delete(ResourceKind kind, String id) {
        String failure = failure();
        if (failure != null) {
            return new Lookup.Unavailable(failure, null);
        }
        List<Item> all = items.getOrDefault(kind, new ArrayList<>());
        int at = indexOf(all, id);
        if (at < 0) {
            return new Lookup.NotFound();
        }
        all.remove(at);
        return new Lookup.Done();
    }

    private String failure() {
        calls.incrementAndGet();
        String failure = nextFailure;
        nextFailure = null;
        return failure;
    }

    private static int indexOf(List<Item> all, String id) {
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }
}
