package com.runwayrelay.domain.archive;

import com.runwayrelay.domain.media.MediaKind;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A media type accepted for an archived output, with the file extension its key gets.
 *
 * <p>Only the formats Runway produces, and close relatives, are accepted: an explicit list per
 * kind rather than any {@code image/*}, so that types a browser would run as a document
 * ({@code image/svg+xml}) or that say nothing ({@code application/octet-stream}) never reach
 * the bucket, from which pre-signed links serve them with the stored type.
 *
 * @param mediaType the canonical type stored with the object, lower case, without parameters
 * @param kind      image, video or audio
 * @param extension the key's extension, without the dot
 */
public record OutputMediaType(String mediaType, MediaKind kind, String extension) {
    private static final Map<String, OutputMediaType> KNOWN = Map.ofEntries(
            known("image/png", MediaKind.IMAGE, "png"),
            known("image/jpeg", MediaKind.IMAGE, "jpg"),
            known("image/webp", MediaKind.IMAGE, "webp"),
            known("image/gif", MediaKind.IMAGE, "gif"),
            known("image/avif", MediaKind.IMAGE, "avif"),
            known("video/mp4", MediaKind.VIDEO, "mp4"),
            known("video/webm", MediaKind.VIDEO, "webm"),
            known("video/quicktime", MediaKind.VIDEO, "mov"),
            known("audio/wav", MediaKind.AUDIO, "wav"),
            known("audio/x-wav", MediaKind.AUDIO, "wav"),
            known("audio/wave", MediaKind.AUDIO, "wav"),
            known("audio/vnd.wave", MediaKind.AUDIO, "wav"),
            known("audio/mpeg", MediaKind.AUDIO, "mp3"),
            known("audio/mp4", MediaKind.AUDIO, "m4a"),
            known("audio/aac", MediaKind.AUDIO, "aac"),
            known("audio/ogg", MediaKind.AUDIO, "ogg"),
            known("audio/flac", MediaKind.AUDIO, "flac"),
            known("audio/x-flac", MediaKind.AUDIO, "flac"));

    public OutputMediaType {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(extension, "extension");
    }

    /**
     * Judges a {@code Content-Type} header.
     *
     * @param contentType the header as received (parameters and case do not matter), or null
     * @param expected    the kind the task's endpoint produces, or empty when unknown (then any accepted kind passes)
     * @return the accepted type, or empty with no reason; see {@link #refusal} for the message
     */
    public static Optional<OutputMediaType> accept(String contentType, Optional<MediaKind> expected) {
        OutputMediaType type = KNOWN.get(baseType(contentType));
        if (type == null || expected.filter(kind -> kind != type.kind()).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(type);
    }

    /** Why {@link #accept} refused this header: a sentence for the task's {@code failure}. */
    public static String refusal(String contentType, Optional<MediaKind> expected) {
        String got = contentType == null || contentType.isBlank() ? "no Content-Type"
                : "Content-Type '" + printable(contentType) + "'";
        String wanted = expected.map(k -> "an " + k.topLevelType() + " type this gateway accepts")
                .orElse("an image, video or audio type this gateway accepts");
        return "the output has " + got + ", not " + wanted;
    }

    private static String baseType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        String base = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
        return base.trim().toLowerCase(Locale.ROOT);
    }

    private static String printable(String s) {
        String cut = s.length() > 100 ? s.substring(0, 100) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    private static Map.Entry<String, OutputMediaType> known(String type, MediaKind kind, String extension) {
        return Map.entry(type, new OutputMediaType(type, kind, extension));
    }
}
