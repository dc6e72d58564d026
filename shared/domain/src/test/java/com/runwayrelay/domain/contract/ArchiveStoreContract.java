package com.runwayrelay.domain.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.archive.ArchiveStore;
import com.runwayrelay.domain.archive.ArchiveStore.ObjectSpec;
import com.runwayrelay.domain.archive.MeasuredStream;
import com.runwayrelay.domain.archive.OutputTooLargeException;
import com.runwayrelay.domain.archive.TruncatedOutputException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ArchiveStore} promises: an object appears whole, with its content type, its
 * metadata and the body's {@code sha256}, or not at all (a cut or oversized body leaves nothing);
 * storing a key again replaces the object; deleting a prefix deletes exactly what is under it.
 *
 * @param <S> the implementation under test
 */
public abstract class ArchiveStoreContract<S extends ArchiveStore> {
    /** Each case its own prefix, so a bucket shared between cases needs no reset. */
    protected final String prefix = "it-" + UUID.randomUUID() + "/";
    protected S store;

    /**
     * An object as the store holds it.
     *
     * @param contentType its content type
     * @param metadata    its user metadata, {@code sha256} included
     * @param bytes       its content
     */
    public record Stored(String contentType, Map<String, String> metadata, byte[] bytes) {
    }

    /** The store under test; called before every case. */
    protected abstract S openStore();

    /** What the store holds under {@code key}, read behind the port's back; empty when nothing. */
    protected abstract Optional<Stored> read(String key);

    /** Every key the store holds under {@code keyPrefix}, sorted. */
    protected abstract List<String> keysUnder(String keyPrefix);

    @BeforeEach
    final void open() {
        store = openStore();
    }

    protected final ObjectSpec spec(String name, String type) {
        return new ObjectSpec(prefix + name, type, Map.of("task-id", "t-1", "model", "gen4_image"));
    }

    @Test
    void storesSmallObject_whenLengthIsKnown() throws IOException {
        byte[] bytes = bytes(1000);
        MeasuredStream body = new MeasuredStream(new ByteArrayInputStream(bytes), bytes.length, Long.MAX_VALUE);

        store.put(spec("0.png", "image/png"), body);

        assertStored(prefix + "0.png", bytes, "image/png");
    }

    @Test
    void storesEmptyObject() throws IOException {
        MeasuredStream body = new MeasuredStream(new ByteArrayInputStream(new byte[0]), 0, Long.MAX_VALUE);

        store.put(spec("empty.wav", "audio/wav"), body);

        assertStored(prefix + "empty.wav", new byte[0], "audio/wav");
    }

    @Test
    void replacesObject_whenSameKeyIsStoredAgain() throws IOException {
        store.put(spec("0.png", "image/png"), new MeasuredStream(new ByteArrayInputStream(bytes(10)), 10, 100));
        byte[] again = "second".getBytes(StandardCharsets.UTF_8);

        store.put(spec("0.png", "image/png"), new MeasuredStream(new ByteArrayInputStream(again), again.length, 100));

        assertStored(prefix + "0.png", again, "image/png");
        assertEquals(List.of(prefix + "0.png"), keysUnder(prefix));
    }

    @Test
    void leavesNoObject_whenDownloadIsCutWithinFirstPart() throws IOException {
        MeasuredStream body = new MeasuredStream(new ByteArrayInputStream(bytes(100)), 1000, Long.MAX_VALUE);

        assertThrows(TruncatedOutputException.class, () -> store.put(spec("cut.png", "image/png"), body));

        assertAbsent(prefix + "cut.png");
    }

    @Test
    void leavesNoObject_whenAnUnannouncedBodyPassesItsCap() throws IOException {
        MeasuredStream body = new MeasuredStream(new ByteArrayInputStream(bytes(101)), -1, 100);

        assertThrows(OutputTooLargeException.class, () -> store.put(spec("big.png", "image/png"), body));

        assertAbsent(prefix + "big.png");
    }

    @Test
    void leavesTheStoredObject_whenReplacingItFails() throws IOException {
        byte[] first = bytes(10);
        store.put(spec("0.png", "image/png"), new MeasuredStream(new ByteArrayInputStream(first), 10, 100));

        MeasuredStream cut = new MeasuredStream(new ByteArrayInputStream(bytes(5)), 10, 100);
        assertThrows(TruncatedOutputException.class, () -> store.put(spec("0.png", "image/png"), cut));

        assertStored(prefix + "0.png", first, "image/png");
    }

    @Test
    void deletesEveryObjectUnderPrefix_andNothingElse() throws IOException {
        for (String name : List.of("t/0.png", "t/1.png", "other/0.png")) {
            store.put(spec(name, "image/png"), new MeasuredStream(new ByteArrayInputStream(bytes(5)), 5, 10));
        }

        store.deleteUnder(prefix + "t/");
        store.deleteUnder(prefix + "none/");

        assertEquals(List.of(prefix + "other/0.png"), keysUnder(prefix));
    }

    /** The object under {@code key} has exactly these bytes and type, the spec's metadata and their sha256. */
    protected final void assertStored(String key, byte[] expected, String contentType) {
        Stored stored = read(key).orElseThrow(() -> new AssertionError("nothing under " + key));
        assertEquals(contentType, stored.contentType());
        assertEquals(expected.length, stored.bytes().length);
        assertEquals(sha256(expected), stored.metadata().get("sha256"));
        assertEquals("t-1", stored.metadata().get("task-id"));
        assertEquals("gen4_image", stored.metadata().get("model"));
        assertEquals(sha256(expected), sha256(stored.bytes()));
    }

    protected final void assertAbsent(String key) {
        assertTrue(read(key).isEmpty(), key + " was stored");
    }

    /** {@code n} bytes, the same for the same {@code n}. */
    protected static byte[] bytes(int n) {
        byte[] bytes = new byte[n];
        new Random(n).nextBytes(bytes);
        return bytes;
    }

    protected static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
