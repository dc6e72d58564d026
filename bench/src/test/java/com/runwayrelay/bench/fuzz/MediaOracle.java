package com.runwayrelay.bench.fuzz;

import com.runwayrelay.domain.media.HostResolver;
import com.runwayrelay.domain.media.MediaKind;
import com.runwayrelay.domain.media.MediaPolicySettings;
import com.runwayrelay.domain.media.MediaUriPolicy;
import java.net.IDN;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What an accepted media URI must look like, written independently of {@link MediaUriPolicy} so
 * that fuzz targets and properties can check its verdicts: the policy under test, its allowlist
 * and DNS, and {@link #violatedInvariant} for a URI the policy accepted.
 */
public final class MediaOracle {
    public static final List<String> ALLOWLIST = List.of("media.example.com", "*.cdn.example.net");
    /** The fake DNS: the public names, and names that point inside (which must never be accepted). */
    public static final Map<String, String> DNS = Map.of(
            "media.example.com", "93.184.215.14",
            "a.cdn.example.net", "93.184.215.15",
            "inside.cdn.example.net", "10.0.0.5",
            "meta.cdn.example.net", "169.254.169.254",
            "loop.cdn.example.net", "127.0.0.1");
    public static final Set<String> PUBLIC_HOSTS = Set.of("media.example.com", "a.cdn.example.net");

    private MediaOracle() {
    }

    public static MediaUriPolicy policy() {
        HostResolver dns = host -> {
            String address = DNS.get(host);
            if (address == null) {
                throw new UnknownHostException(host);
            }
            return List.of(InetAddress.getByName(address));
        };
        return new MediaUriPolicy(MediaPolicySettings.of(ALLOWLIST), dns);
    }

    /** Why an accepted URI should not have been accepted, or null when it satisfies every invariant. */
    public static String violatedInvariant(String uri, Set<MediaKind> kinds) {
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c <= 0x20 || c == 0x7f || c == '\\' || Character.isWhitespace(c) || Character.isISOControl(c)
                    || Character.getType(c) == Character.FORMAT) {
                return "contains a control, space, format or backslash character at " + i;
            }
        }
        if (uri.startsWith("runway://")) {
            return uri.length() >= 13 && uri.length() <= 5000 ? null : "runway:// URI of length " + uri.length();
        }
        if (uri.startsWith("data:")) {
            return dataUri(uri, kinds);
        }
        if (uri.startsWith("https://")) {
            return httpsUrl(uri);
        }
        return "accepted a URI that is not https://, runway:// or data:";
    }

    private static String httpsUrl(String uri) {
        if (uri.length() > 2048) {
            return "longer than 2048";
        }
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (Exception e) {
            return "the JDK cannot parse it: " + e.getMessage();
        }
        if (parsed.getRawUserInfo() != null || parsed.getRawAuthority() == null || parsed.getRawAuthority().contains("@")) {
            return "user information";
        }
        String authority = parsed.getRawAuthority();
        String host = authority.contains(":") ? authority.substring(0, authority.lastIndexOf(':')) : authority;
        if (authority.contains(":") && !authority.endsWith(":443")) {
            return "a port other than 443";
        }
        String ascii;
        try {
            ascii = IDN.toASCII(host).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return "host is not a valid IDN";
        }
        if (ascii.endsWith(".")) {
            ascii = ascii.substring(0, ascii.length() - 1);
        }
        if (!PUBLIC_HOSTS.contains(ascii)) {
            return "host '" + ascii + "' is not an allowlisted name resolving only to public addresses";
        }
        return null;
    }

    private static String dataUri(String uri, Set<MediaKind> kinds) {
        if (uri.length() > MediaPolicySettings.DEFAULT_MAX_DATA_URI_CHARS) {
            return "too large";
        }
        int comma = uri.indexOf(',');
        String header = uri.substring(5, comma);
        if (!header.endsWith(";base64")) {
            return "not ;base64";
        }
        String type = header.split(";", -1)[0];
        int slash = type.indexOf('/');
        String top = type.substring(0, slash);
        String subtype = type.substring(slash + 1).toLowerCase(Locale.ROOT);
        MediaKind kind = switch (top) {
            case "image" -> MediaKind.IMAGE;
            case "video" -> MediaKind.VIDEO;
            case "audio" -> MediaKind.AUDIO;
            default -> null;
        };
        if (kind == null || !kinds.contains(kind)) {
            return "media type " + type + " is not of the field's kinds " + kinds;
        }
        byte[] data;
        try {
            data = Base64.getDecoder().decode(uri.substring(comma + 1));
        } catch (IllegalArgumentException e) {
            return "payload is not base64";
        }
        if (data.length == 0) {
            return "empty payload";
        }
        String head = new String(data, 0, Math.min(data.length, 12), StandardCharsets.ISO_8859_1);
        boolean ok = switch (top + "/" + subtype) {
            case "image/jpeg", "image/jpg" -> head.startsWith("\u00ff\u00d8\u00ff");
            case "image/png" -> head.startsWith("\u0089PNG\r\n\u001a\n");
            case "image/webp" -> head.startsWith("RIFF") && head.length() == 12 && head.endsWith("WEBP");
            case "video/mp4", "audio/mp4", "audio/x-m4a", "audio/m4a" -> head.length() >= 8 && head.startsWith("ftyp", 4);
            case "video/quicktime", "video/mov" -> head.length() >= 8
                    && List.of("ftyp", "moov", "mdat", "wide", "free", "skip", "pnot").contains(head.substring(4, 8));
            case "video/webm" -> head.startsWith("\u001a\u0045\u00df\u00a3");
            case "video/ogg" -> head.startsWith("OggS");
            case "video/h264" -> head.startsWith("\0\0\0\u0001") || head.startsWith("\0\0\u0001");
            case "audio/mpeg", "audio/mp3" -> head.startsWith("ID3")
                    || (head.length() >= 2 && head.charAt(0) == 0xff && (head.charAt(1) & 0xe0) == 0xe0);
            case "audio/aac" -> head.startsWith("ADIF")
                    || (head.length() >= 2 && head.charAt(0) == 0xff && (head.charAt(1) & 0xf6) == 0xf0);
            case "audio/flac", "audio/x-flac" -> head.startsWith("fLaC");
            case "audio/wav", "audio/x-wav", "audio/wave" -> head.startsWith("RIFF") && head.length() == 12
                    && head.endsWith("WAVE");
            default -> false;
        };
        return ok ? null : "data does not match " + type + " (or the type is not one Runway takes)";
    }
}
