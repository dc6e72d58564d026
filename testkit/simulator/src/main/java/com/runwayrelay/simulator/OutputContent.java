package com.runwayrelay.simulator;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A file the simulator serves, described as parts that produce their bytes on demand, so a
 * multi-gigabyte output costs a few kilobytes of memory and the same bytes come out every time.
 */
final class OutputContent {
    private final String contentType;
    private final String extension;
    private final List<ContentPart> parts;
    private final long length;

    OutputContent(String contentType, String extension, List<ContentPart> parts) {
        this.contentType = contentType;
        this.extension = extension;
        this.parts = List.copyOf(parts);
        this.length = this.parts.stream().mapToLong(ContentPart::length).sum();
    }

    String contentType() {
        return contentType;
    }

    String extension() {
        return extension;
    }

    long length() {
        return length;
    }

    void writeTo(OutputStream out) throws IOException {
        for (ContentPart part : parts) {
            part.writeTo(out);
        }
    }

    /** Lowercase hex SHA-256 of the whole content, computed by streaming it once. */
    String sha256() {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        try (OutputStream sink = new DigestSink(digest)) {
            writeTo(sink);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Materialises small contents (tests, media headers); refuses anything over 64 MiB. */
    byte[] toBytes() {
        if (length > 64L << 20) {
            throw new IllegalStateException("content of " + length + " bytes is too large to hold in memory");
        }
        var out = new java.io.ByteArrayOutputStream((int) length);
        try {
            writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static final class DigestSink extends OutputStream {
        private final MessageDigest digest;

        DigestSink(MessageDigest digest) {
            this.digest = digest;
        }

        @Override
        public void write(int b) {
            digest.update((byte) b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            digest.update(b, off, len);
        }
    }
}
