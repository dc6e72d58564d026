package com.runwayrelay.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ephemeral uploads: a slot created by {@code POST /v1/uploads}, filled by a signed multipart POST to
 * its storage URL, and then addressable as {@code runway://ephemeral/<id>} until it expires.
 */
final class UploadBook {
    static final String URI_PREFIX = "runway://ephemeral/";
    /** How long the storage POST of a slot is accepted (like a presigned POST policy). */
    static final Duration STORAGE_WINDOW = Duration.ofHours(1);
    static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "webp", "mp4", "webm", "mov", "ogg", "mp3",
            "wav", "aac", "flac", "m4a");

    private final Clock clock;
    private final Duration ttl;
    private final Signer signer;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();

    UploadBook(Clock clock, Duration ttl, Signer signer) {
        this.clock = clock;
        this.ttl = ttl;
        this.signer = signer;
    }

    /** What a runway:// URI currently points at. */
    enum Resolution { OK, UNKNOWN, NOT_UPLOADED, EXPIRED }

    /** A new slot for a file name already checked by the caller. */
    Slot create(String filename) {
        Instant now = clock.instant();
        String id = UUID.randomUUID().toString();
        String key = "uploads/" + id;
        String policyJson = "{\"key\":\"" + key + "\",\"expires\":\"" + now.plus(STORAGE_WINDOW) + "\"}";
        String policy = Base64.getEncoder().encodeToString(policyJson.getBytes(StandardCharsets.UTF_8));
        Slot slot = new Slot(id, filename, key, policy, signer.sign(policy), now);
        slots.put(id, slot);
        return slot;
    }

    Slot slot(String id) {
        return slots.get(id);
    }

    /** The form fields a client must send back with the file, in order. */
    static Map<String, String> fields(Slot slot) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("key", slot.key);
        f.put("policy", slot.policy);
        f.put("x-sim-signature", slot.signature);
        return f;
    }

    /** Null when the storage POST's fields are acceptable now, else the reason they are not. */
    String checkFields(Slot slot, Map<String, String> fields) {
        String policy = fields.get("policy");
        if (policy == null || fields.get("key") == null || fields.get("x-sim-signature") == null) {
            return "The upload form must contain the key, policy and x-sim-signature fields it was given.";
        }
        if (!signer.verify(policy, fields.get("x-sim-signature")) || !policy.equals(slot.policy) || !slot.key.equals(fields.get("key"))) {
            return "The upload signature does not match the policy.";
        }
        if (!clock.instant().isBefore(slot.createdAt.plus(STORAGE_WINDOW))) {
            return "The upload policy has expired.";
        }
        return null;
    }

    void complete(Slot slot, long size) {
        slot.size = size;
        slot.uploaded = true;
    }

    Resolution resolve(String uri) {
        if (!uri.startsWith(URI_PREFIX)) {
            return Resolution.UNKNOWN;
        }
        Slot slot = slots.get(uri.substring(URI_PREFIX.length()));
        if (slot == null) {
            return Resolution.UNKNOWN;
        }
        if (!slot.uploaded) {
            return Resolution.NOT_UPLOADED;
        }
        return clock.instant().isBefore(slot.createdAt.plus(ttl)) ? Resolution.OK : Resolution.EXPIRED;
    }

    /** One upload slot. */
    static final class Slot {
        final String id;
        final String filename;
        final String key;
        final String policy;
        final String signature;
        final Instant createdAt;
        volatile boolean uploaded;
        volatile long size;

        Slot(String id, String filename, String key, String policy, String signature, Instant createdAt) {
            this.id = id;
            this.filename = filename;
            this.key = key;
            this.policy = policy;
            this.signature = signature;
            this.createdAt = createdAt;
        }

        String runwayUri() {
            return URI_PREFIX + id;
        }
    }
}
