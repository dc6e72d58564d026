package com.runwayrelay.domain.media;

import static com.runwayrelay.domain.media.MediaViolation.DATA_URI_CONTENT_MISMATCH;
import static com.runwayrelay.domain.media.MediaViolation.DATA_URI_MEDIA_TYPE;
import static com.runwayrelay.domain.media.MediaViolation.DATA_URI_NOT_BASE64;
import static com.runwayrelay.domain.media.MediaViolation.DATA_URI_TOO_LARGE;
import static com.runwayrelay.domain.media.MediaViolation.MALFORMED_URI;

import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Rules for {@code data:<type>/<subtype>[;attribute=value]*;base64,<payload>}: the type must be
 * one Runway takes for the field ({@link MediaSignature}), the payload padded standard base64,
 * and the decoded data must start with the declared type's signature. Messages quote the header
 * at most, never the payload.
 */
final class DataUriCheck {
    static final String PREFIX = "data:";
    /** A media type with parameters is short; a longer header means a malformed URI, not a long one. */
    private static final int MAX_HEADER_CHARS = 256;

    private DataUriCheck() {
    }

    static Optional<MediaViolation> check(String uri, Set<MediaKind> acceptedKinds, long maxChars) {
        if (uri.length() > maxChars) {
            return reject(DATA_URI_TOO_LARGE, "data URI is " + uri.length() + " characters long; the limit is "
                    + maxChars + " characters of encoded text (about " + maxChars * 3 / 4 / 1024
                    + " KiB of raw media); upload larger files and pass the runway:// URI instead");
        }
        int comma = uri.indexOf(',', PREFIX.length());
        if (comma < 0 || comma > MAX_HEADER_CHARS) {
            return reject(MALFORMED_URI, "data URI has no ',' separating its header from the payload within the first "
                    + MAX_HEADER_CHARS + " characters");
        }
        String header = uri.substring(PREFIX.length(), comma);
        String[] parts = header.split(";", -1);
        Optional<MediaViolation> mediaType = checkMediaType(parts[0], header, acceptedKinds);
        if (mediaType.isPresent()) {
            return mediaType;
        }
        if (parts.length < 2 || !parts[parts.length - 1].equals("base64")) {
            return reject(DATA_URI_NOT_BASE64, "data URI " + Excerpt.quote(PREFIX + header)
                    + " must be base64-encoded: write ';base64,' before the payload");
        }
        for (int i = 1; i < parts.length - 1; i++) {
            if (!isParameter(parts[i])) {
                return reject(MALFORMED_URI, "data URI parameter " + Excerpt.quote(parts[i])
                        + " is not of the form attribute=value");
            }
        }
        Optional<MediaViolation> base64 = checkBase64(uri, comma + 1);
        if (base64.isPresent()) {
            return base64;
        }
        return checkSignature(uri, comma + 1, parts[0]);
    }

    /** The decoded data must start like the declared type; only the first few bytes are decoded. */
    private static Optional<MediaViolation> checkSignature(String uri, int start, String mediaType) {
        int slash = mediaType.indexOf('/');
        MediaKind kind = MediaKind.ofTopLevelType(mediaType.substring(0, slash)).orElseThrow();
        // 16 base64 characters are 12 bytes; the payload is valid padded base64, so any 4-aligned prefix decodes.
        int end = Math.min(uri.length(), start + MediaSignature.HEAD_BYTES / 3 * 4);
        byte[] head = Base64.getDecoder().decode(uri.substring(start, end));
        return MediaSignature.mismatch(kind, mediaType.substring(slash + 1), head)
                .flatMap(reason -> reject(DATA_URI_CONTENT_MISMATCH, "data URI declares "
                        + Excerpt.quote(mediaType) + " but " + reason));
    }

    private static Optional<MediaViolation> checkMediaType(String mediaType, String header, Set<MediaKind> acceptedKinds) {
        String expected = acceptedKinds.stream()
                .sorted()
                .map(kind -> kind.topLevelType() + "/*")
                .collect(Collectors.joining(" or "));
        int slash = mediaType.indexOf('/');
        if (slash <= 0) {
            return reject(DATA_URI_MEDIA_TYPE, "data URI " + Excerpt.quote(PREFIX + header)
                    + " does not declare a media type; expected " + expected + ", as in data:image/png;base64,...");
        }
        String subtype = mediaType.substring(slash + 1);
        if (!isRestrictedName(subtype)) {
            return reject(DATA_URI_MEDIA_TYPE, "data URI media type " + Excerpt.quote(mediaType)
                    + " has an invalid subtype");
        }
        Optional<MediaKind> kind = MediaKind.ofTopLevelType(mediaType.substring(0, slash));
        if (kind.isEmpty() || !acceptedKinds.contains(kind.get())) {
            return reject(DATA_URI_MEDIA_TYPE, "data URI media type " + Excerpt.quote(mediaType)
                    + " is not accepted by this field; expected " + expected);
        }
        if (!MediaSignature.accepts(kind.get(), subtype)) {
            return reject(DATA_URI_MEDIA_TYPE, "data URI media type " + Excerpt.quote(mediaType)
                    + " is not one Runway takes; this field accepts "
                    + String.join(", ", MediaSignature.acceptedTypes(acceptedKinds)));
        }
        return Optional.empty();
    }

    /** Standard alphabet, padded to a multiple of four, '=' only as the last one or two characters. */
    private static Optional<MediaViolation> checkBase64(String uri, int start) {
        int length = uri.length() - start;
        if (length == 0) {
            return reject(DATA_URI_NOT_BASE64, "data URI payload is empty");
        }
        if (length % 4 != 0) {
            return reject(DATA_URI_NOT_BASE64, "data URI payload is " + length
                    + " characters long, which is not a multiple of 4, so it is not padded base64");
        }
        int padding = 0;
        for (int i = start; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == '=') {
                padding++;
            } else if (padding > 0 || !isBase64Letter(c)) {
                return reject(DATA_URI_NOT_BASE64, "data URI payload is not base64: unexpected character at offset "
                        + (i - start) + " of the payload");
            }
        }
        if (padding > 2) {
            return reject(DATA_URI_NOT_BASE64, "data URI payload ends with more than two '=' padding characters");
        }
        return Optional.empty();
    }

    private static boolean isBase64Letter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
    }

    /** RFC 6838 restricted-name: a letter or digit, then letters, digits and {@code !#$&-^_.+}. */
    private static boolean isRestrictedName(String name) {
        if (name.isEmpty() || name.length() > 127 || !isAsciiLetterOrDigit(name.charAt(0))) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!isAsciiLetterOrDigit(c) && "!#$&-^_.+".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static boolean isParameter(String parameter) {
        int equals = parameter.indexOf('=');
        if (equals <= 0 || equals == parameter.length() - 1) {
            return false;
        }
        return isRestrictedName(parameter.substring(0, equals)) && isRestrictedName(parameter.substring(equals + 1));
    }

    private static Optional<MediaViolation> reject(String code, String message) {
        return Optional.of(new MediaViolation(code, message));
    }
}
