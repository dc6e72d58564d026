package com.runwayrelay.catalog;

import com.runwayrelay.domain.media.MediaKind;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The structural rules every media URI field shares (reference §2.1): an {@code https://} URL of
 * 13–2048 characters, a {@code runway://} upload URI of 13–5000 characters, or a base64
 * {@code data:} URI of the field's media kind no longer than 5 MiB encoded. Fetch-time rules
 * (host, Content-Type, size of the remote file) belong to whoever fetches.
 */
final class MediaUri {
    static final int HTTPS_MIN = 13;
    static final int HTTPS_MAX = 2048;
    static final int RUNWAY_MIN = 13;
    static final int RUNWAY_MAX = 5000;
    /** SDK 4.17.1 capped data URIs of every kind at 5 MB of encoded string. */
    static final int DATA_MAX = 5 * 1024 * 1024;
    private static final int ECHO_MAX = 60;

    /** One structural problem: a Zod-like code and a sentence naming the field. */
    record Problem(String code, String message) {}

    private MediaUri() {}

    static Optional<Problem> check(String field, String uri, Set<MediaKind> kinds) {
        if (uri.regionMatches(true, 0, "https://", 0, 8)) {
            return length(field, "an https:// URL", uri.length(), HTTPS_MIN, HTTPS_MAX);
        }
        if (uri.regionMatches(true, 0, "runway://", 0, 9)) {
            return length(field, "a runway:// URI", uri.length(), RUNWAY_MIN, RUNWAY_MAX);
        }
        if (uri.regionMatches(true, 0, "data:", 0, 5)) {
            return dataUri(field, uri, kinds);
        }
        return Optional.of(new Problem("invalid_string", field + " must be an https:// URL, a runway:// upload URI or a "
                + dataPrefixes(kinds) + " data URI (got \"" + echo(uri) + "\")"));
    }

    private static Optional<Problem> length(String field, String what, int length, int min, int max) {
        if (length < min) {
            return Optional.of(new Problem("too_small",
                    field + " must be at least " + min + " characters as " + what + " (got " + length + ")"));
        }
        if (length > max) {
            return Optional.of(new Problem("too_big",
                    field + " must be at most " + max + " characters as " + what + " (got " + length + ")"));
        }
        return Optional.empty();
    }

    private static Optional<Problem> dataUri(String field, String uri, Set<MediaKind> kinds) {
        if (uri.length() > DATA_MAX) {
            return Optional.of(new Problem("too_big", field + " must be at most " + DATA_MAX
                    + " characters (5 MB) as a data URI (got " + uri.length() + "); upload larger files instead"));
        }
        int comma = uri.indexOf(',');
        if (comma < 0) {
            return Optional.of(new Problem("invalid_string", field + " is not a valid data URI: it has no ',' before the data"));
        }
        String header = uri.substring("data:".length(), comma).toLowerCase(Locale.ROOT);
        int slash = header.indexOf('/');
        String type = slash < 0 ? header : header.substring(0, slash);
        MediaKind kind = switch (type) {
            case "image" -> MediaKind.IMAGE;
            case "video" -> MediaKind.VIDEO;
            case "audio" -> MediaKind.AUDIO;
            default -> null;
        };
        if (kind == null || slash < 0 || slash == header.length() - 1 || !kinds.contains(kind)) {
            return Optional.of(new Problem("invalid_string", field + " accepts only " + dataPrefixes(kinds)
                    + " data URIs (got \"data:" + echo(header) + "\")"));
        }
        if (!header.endsWith(";base64")) {
            return Optional.of(new Problem("invalid_string", field + " must be a base64 data URI (\"data:"
                    + (slash < 0 ? header : header.split(";", 2)[0]) + ";base64,...\")"));
        }
        int bad = firstNonBase64(uri, comma + 1);
        if (bad >= 0) {
            return Optional.of(new Problem("invalid_string",
                    field + " has invalid base64 data at character " + bad + " of the data URI"));
        }
        return Optional.empty();
    }

    /** Index of the first character that breaks standard padded base64, or -1. */
    private static int firstNonBase64(String s, int from) {
        int length = s.length();
        if (from >= length) {
            return from;
        }
        int padding = 0;
        for (int i = from; i < length; i++) {
            char c = s.charAt(i);
            boolean alphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '+' || c == '/';
            if (c == '=') {
                padding++;
                if (padding > 2) {
                    return i;
                }
            } else if (!alphabet || padding > 0) {
                return i;
            }
        }
        return (length - from) % 4 == 0 ? -1 : length;
    }

    static String dataPrefixes(Set<MediaKind> kinds) {
        return kinds.stream().sorted().map(k -> "data:" + k.name().toLowerCase(Locale.ROOT) + "/")
                .collect(Collectors.joining(" or "));
    }

    /** Enough of a value to recognise it, never a whole data URI. */
    static String echo(String value) {
        return value.length() <= ECHO_MAX ? value : value.substring(0, ECHO_MAX) + "…";
    }
}
