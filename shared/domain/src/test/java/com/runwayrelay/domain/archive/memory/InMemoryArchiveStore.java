package com.runwayrelay.domain.archive.memory;

import com.runwayrelay.domain.archive.ArchiveStore;
import com.runwayrelay.domain.archive.MeasuredStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link ArchiveStore} in a map, keeping the port's contract: an object appears only once its
 * body was read to a complete end; a failed put leaves nothing new. Can be told to fail the next puts.
 */
public final class InMemoryArchiveStore implements ArchiveStore {
    private final Map<String, StoredObject> objects = new ConcurrentHashMap<>();
    private final AtomicInteger puts = new AtomicInteger();
    private final AtomicInteger failNext = new AtomicInteger();

    @Override
    public void put(ObjectSpec spec, MeasuredStream body) throws IOException {
        puts.incrementAndGet();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        body.transferTo(bytes);
        if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IOException("simulated store failure");
        }
        Map<String, String> metadata = new HashMap<>(spec.metadata());
        metadata.put("sha256", body.sha256());
        objects.put(spec.key(), new StoredObject(spec.contentType(), Map.copyOf(metadata), bytes.toByteArray()));
    }

    @Override
    public void deleteUnder(String prefix) {
        objects.keySet().removeIf(key -> key.startsWith(prefix));
    }

    /** Makes the next {@code count} puts fail after reading their body. */
    public void failNextPuts(int count) {
        failNext.set(count);
    }

    /** The object under {@code key}, if stored. */
    public Optional<StoredObject> object(String key) {
        return Optional.ofNullable(objects.get(key));
    }

    /** Every key stored, sorted. */
    public List<String> keys() {
        return objects.keySet().stream().sorted().toList();
    }

    /** How many puts were attempted. */
    public int putCount() {
        return puts.get();
    }

    /**
     * A stored object.
     *
     * @param contentType its content type
     * @param metadata    its metadata, {@code sha256} included
     * @param bytes       its content
     */
    public record StoredObject(String contentType, Map<String, String> metadata, byte[] bytes) {
    }
}
