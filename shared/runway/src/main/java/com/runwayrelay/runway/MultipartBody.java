package com.runwayrelay.runway;

import java.net.URLConnection;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * A {@code multipart/form-data} body for a presigned storage POST: every form field first, in the
 * given order, then the file as the part named {@code file}. The file bytes are streamed by the
 * given publisher, never copied into memory; with a known file length the total length is
 * known too, which storage services require (they reject chunked uploads).
 */
final class MultipartBody {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Map<String, String> MEDIA_TYPES = Map.ofEntries(
            Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
            Map.entry("webp", "image/webp"), Map.entry("gif", "image/gif"),
            Map.entry("mp4", "video/mp4"), Map.entry("mov", "video/quicktime"), Map.entry("webm", "video/webm"),
            Map.entry("mp3", "audio/mpeg"), Map.entry("wav", "audio/wav"), Map.entry("m4a", "audio/mp4"),
            Map.entry("aac", "audio/aac"), Map.entry("flac", "audio/flac"), Map.entry("ogg", "audio/ogg"));

    private final String boundary;
    private final BodyPublisher publisher;

    private MultipartBody(String boundary, BodyPublisher publisher) {
        this.boundary = boundary;
        this.publisher = publisher;
    }

    /**
     * @param file the file's bytes; its content length should be known
     * @throws IllegalArgumentException if a field name or the filename contains a line break
     */
    static MultipartBody of(Map<String, String> fields, String filename, BodyPublisher file) {
        String boundary = "runway-relay-" + HexFormat.of().formatHex(randomBytes());
        StringBuilder head = new StringBuilder();
        fields.forEach((name, value) -> head.append("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"").append(quoted(name)).append("\"\r\n\r\n")
                .append(value).append("\r\n"));
        head.append("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"file\"; filename=\"").append(quoted(filename))
                .append("\"\r\n")
                .append("Content-Type: ").append(mediaType(filename)).append("\r\n\r\n");
        String tail = "\r\n--" + boundary + "--\r\n";
        BodyPublisher publisher = BodyPublishers.concat(
                BodyPublishers.ofByteArray(head.toString().getBytes(StandardCharsets.UTF_8)),
                file,
                BodyPublishers.ofByteArray(tail.getBytes(StandardCharsets.UTF_8)));
        return new MultipartBody(boundary, publisher);
    }

    String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    BodyPublisher publisher() {
        return publisher;
    }

    /** The media type for the file part, from its extension; {@code application/octet-stream} if unknown. */
    static String mediaType(String filename) {
        int dot = filename.lastIndexOf('.');
        String extension = dot < 0 ? "" : filename.substring(dot + 1).toLowerCase(Locale.ROOT);
        String known = MEDIA_TYPES.get(extension);
        if (known != null) {
            return known;
        }
        String guessed = URLConnection.getFileNameMap().getContentTypeFor(filename);
        return guessed == null ? "application/octet-stream" : guessed;
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static String quoted(String text) {
        if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("multipart names must not contain line breaks");
        }
        return text.replace("\"", "%22");
    }
}
