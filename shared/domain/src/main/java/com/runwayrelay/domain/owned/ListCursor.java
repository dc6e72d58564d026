package com.runwayrelay.domain.owned;

import com.runwayrelay.domain.Violation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The gateway's own cursor over an app's list of one kind: opaque to the app, bound to the app (by a
 * digest of its id, so the id is not shown), the kind and the order it was issued for. A cursor of
 * another app, kind or order, or one that was altered, is refused rather than read from another
 * place; the list itself only ever reads the calling app's records, whatever the cursor says.
 */
public final class ListCursor {
    /** Runway's limit on a cursor's length. */
    public static final int MAX_LENGTH = 1000;
    private static final String PREFIX = "rc1.";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private ListCursor() {
    }

    /** The cursor for the page after {@code last}. */
    public static String encode(String appId, ResourceKind kind, boolean descending, OwnershipStore.Position last) {
        String plain = String.join("\n", owner(appId), kind.wireName(), descending ? "desc" : "asc",
                last.createdAt().toString(), last.runwayId());
        return PREFIX + ENCODER.encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a cursor issued by {@link #encode} for the same app, kind and order.
     *
     * @return the position, or the violation (path {@code cursor}) that says why it is refused
     */
    public static Decoded decode(String cursor, String appId, ResourceKind kind, boolean descending) {
        if (cursor.isEmpty() || cursor.length() > MAX_LENGTH) {
            return refuse("cursor must be 1-" + MAX_LENGTH + " characters");
        }
        if (!cursor.startsWith(PREFIX)) {
            return refuse("cursor is not one the gateway issued; pass nextCursor from the previous page unchanged");
        }
        String[] parts;
        try {
            parts = new String(DECODER.decode(cursor.substring(PREFIX.length())), StandardCharsets.UTF_8)
                    .split("\n", -1);
        } catch (IllegalArgumentException e) {
            return refuse("cursor is not one the gateway issued; pass nextCursor from the previous page unchanged");
        }
        if (parts.length != 5 || parts[4].isEmpty()) {
            return refuse("cursor is not one the gateway issued; pass nextCursor from the previous page unchanged");
        }
        if (!parts[0].equals(owner(appId)) || !parts[1].equals(kind.wireName())) {
            return refuse("cursor belongs to another listing: it was issued to another app or for another resource");
        }
        if (!parts[2].equals(descending ? "desc" : "asc")) {
            return refuse("cursor was issued for order '" + parts[2] + "'; keep the order of the first page");
        }
        try {
            return new Decoded.Ok(new OwnershipStore.Position(Instant.parse(parts[3]), parts[4]));
        } catch (DateTimeParseException e) {
            return refuse("cursor is not one the gateway issued; pass nextCursor from the previous page unchanged");
        }
    }

    private static Decoded refuse(String message) {
        return new Decoded.Refused(new Violation(List.of("cursor"), "invalid_cursor", message));
    }

    private static String owner(String appId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(appId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always present", e);
        }
    }

    /** What {@link #decode} found. */
    public sealed interface Decoded {
        /** The position the next page starts after. */
        record Ok(OwnershipStore.Position after) implements Decoded {
        }

        /** The cursor is refused. */
        record Refused(Violation violation) implements Decoded {
        }

        /** The position, if the cursor was accepted. */
        default Optional<OwnershipStore.Position> position() {
            return this instanceof Ok ok ? Optional.of(ok.after()) : Optional.empty();
        }
    }
}
