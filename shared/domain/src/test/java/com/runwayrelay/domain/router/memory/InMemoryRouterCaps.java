package com.runwayrelay.domain.router.memory;

import com.runwayrelay.domain.router.RouterCap;
import com.runwayrelay.domain.router.RouterCaps;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** {@link RouterCaps} in memory, for tests; counts the reads, so a test can show a refusal read nothing. */
public final class InMemoryRouterCaps implements RouterCaps {
    private final Map<String, RouterCap> caps = new ConcurrentHashMap<>();
    /** How many times {@link #find} was asked. */
    public final AtomicInteger reads = new AtomicInteger();

    @Override
    public void put(RouterCap cap) {
        caps.put(cap.slug(), cap);
    }

    @Override
    public Optional<RouterCap> find(String slug) {
        reads.incrementAndGet();
        return Optional.ofNullable(caps.get(slug));
    }

    @Override
    public void remove(String slug) {
        caps.remove(slug);
    }
}
