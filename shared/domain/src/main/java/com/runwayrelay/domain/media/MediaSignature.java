package com.runwayrelay.domain.media;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The media types a {@code data:} URI may declare, per kind, and the leading bytes ("magic
 * numbers") each type's data must start with.
 *
 * <p>Runway takes JPEG, PNG and WebP images; MP4, QuickTime, WebM, Ogg and raw H.264 video; and
 * MP3, AAC, FLAC, WAV and MP4/M4A audio (ALAC travels in MP4). Anything else (SVG, GIF, HTML...)
 * is refused before a credit is spent, and so is data whose first bytes belong to another format
 * than the declared one. Subtypes are compared without regard to case (RFC 6838); the top-level
 * type is matched case-sensitively elsewhere, as Runway's {@code ^data:image/} patterns are.
 */
final class MediaSignature {
    /** Enough leading bytes for every signature below (WebP and WAV need twelve). */
    static final int HEAD_BYTES = 12;

    private static final Map<String, Entry> TYPES = new LinkedHashMap<>();

    static {
        Predicate<byte[]> jpeg = head -> starts(head, 0xFF, 0xD8, 0xFF);
        Predicate<byte[]> png = head -> starts(head, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
        Predicate<byte[]> webp = head -> starts(head, 'R', 'I', 'F', 'F') && at(head, 8, "WEBP");
        Predicate<byte[]> isoMedia = head -> at(head, 4, "ftyp");
        Predicate<byte[]> quickTime = head -> isoMedia.test(head) || at(head, 4, "moov") || at(head, 4, "mdat")
                || at(head, 4, "wide") || at(head, 4, "free") || at(head, 4, "skip") || at(head, 4, "pnot");
        Predicate<byte[]> ebml = head -> starts(head, 0x1A, 0x45, 0xDF, 0xA3);
        Predicate<byte[]> ogg = head -> starts(head, 'O', 'g', 'g', 'S');
        Predicate<byte[]> annexB = head -> starts(head, 0, 0, 0, 1) || starts(head, 0, 0, 1);
        Predicate<byte[]> mp3 = head -> starts(head, 'I', 'D', '3')
                || (head.length >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xE0) == 0xE0);
        Predicate<byte[]> adts = head -> (head.length >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xF6) == 0xF0)
                || starts(head, 'A', 'D', 'I', 'F');
        Predicate<byte[]> wav = head -> starts(head, 'R', 'I', 'F', 'F') && at(head, 8, "WAVE");
        Predicate<byte[]> flac = head -> starts(head, 'f', 'L', 'a', 'C');

        add(MediaKind.IMAGE, "JPEG", jpeg, "jpeg", "jpg");
        add(MediaKind.IMAGE, "PNG", png, "png");
        add(MediaKind.IMAGE, "WebP", webp, "webp");
        add(MediaKind.VIDEO, "MP4", isoMedia, "mp4");
        add(MediaKind.VIDEO, "QuickTime", quickTime, "quicktime", "mov");
        add(MediaKind.VIDEO, "WebM", ebml, "webm");
        add(MediaKind.VIDEO, "Ogg", ogg, "ogg");
        add(MediaKind.VIDEO, "H.264", annexB, "h264");
        add(MediaKind.AUDIO, "MP3", mp3, "mpeg", "mp3");
        add(MediaKind.AUDIO, "AAC", adts, "aac");
        add(MediaKind.AUDIO, "FLAC", flac, "flac", "x-flac");
        add(MediaKind.AUDIO, "WAV", wav, "wav", "x-wav", "wave");
        add(MediaKind.AUDIO, "MP4 audio", isoMedia, "mp4", "x-m4a", "m4a");
    }

    private record Entry(MediaKind kind, String format, Predicate<byte[]> signature) {
    }

    private MediaSignature() {
    }

    private static void add(MediaKind kind, String format, Predicate<byte[]> signature, String... subtypes) {
        for (String subtype : subtypes) {
            TYPES.put(kind.topLevelType() + "/" + subtype, new Entry(kind, format, signature));
        }
    }

    /** True when {@code subtype} (any case) is a type Runway takes for {@code kind}. */
    static boolean accepts(MediaKind kind, String subtype) {
        return TYPES.containsKey(key(kind, subtype));
    }

    /** The accepted media types of the given kinds, e.g. {@code image/jpeg, image/jpg, image/png, image/webp}. */
    static List<String> acceptedTypes(Set<MediaKind> kinds) {
        List<String> out = new ArrayList<>();
        TYPES.forEach((type, entry) -> {
            if (kinds.contains(entry.kind())) {
                out.add(type);
            }
        });
        return out;
    }

    /**
     * Why data declared as {@code kind/subtype} cannot be what it claims, or empty when its first
     * bytes carry the type's signature.
     *
     * @param head the first {@link #HEAD_BYTES} bytes of the decoded data (fewer when it is shorter)
     * @throws IllegalArgumentException when the type is not {@linkplain #accepts accepted}
     */
    static Optional<String> mismatch(MediaKind kind, String subtype, byte[] head) {
        Entry entry = TYPES.get(key(kind, subtype));
        if (entry == null) {
            throw new IllegalArgumentException("not an accepted media type: " + kind.topLevelType() + "/" + subtype);
        }
        if (entry.signature().test(head)) {
            return Optional.empty();
        }
        return Optional.of("its data does not start with the " + entry.format() + " signature");
    }

    private static String key(MediaKind kind, String subtype) {
        return kind.topLevelType() + "/" + subtype.toLowerCase(Locale.ROOT);
    }

    private static boolean starts(byte[] head, int... expected) {
        if (head.length < expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if ((head[i] & 0xFF) != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean at(byte[] head, int offset, String ascii) {
        if (head.length < offset + ascii.length()) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (head[offset + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
