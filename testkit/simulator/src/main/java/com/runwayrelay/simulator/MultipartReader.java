package com.runwayrelay.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Streams the parts of a {@code multipart/form-data} body (RFC 7578) without holding a part in
 * memory: each part's body is an {@link InputStream} that ends at the next boundary.
 */
final class MultipartReader {
    private static final Pattern NAME = Pattern.compile("(?:^|;)\\s*name=\"([^\"]*)\"");
    private static final Pattern FILENAME = Pattern.compile("(?:^|;)\\s*filename=\"([^\"]*)\"");
    private static final int MAX_HEADER_BYTES = 16 * 1024;

    private final InputStream in;
    private final byte[] delimiter;
    private final byte[] buf;
    private int pos;
    private int lim;
    private boolean eof;
    private boolean finished;
    private PartStream current;

    MultipartReader(InputStream in, String boundary) {
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.buf = new byte[Math.max(64 * 1024, delimiter.length * 4)];
        // A virtual CRLF in front lets the first boundary match the same delimiter as the others.
        buf[0] = '\r';
        buf[1] = '\n';
        lim = 2;
    }

    /** The boundary parameter of a {@code multipart/form-data} content type, or null. */
    static String boundaryOf(String contentType) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            return null;
        }
        Matcher m = Pattern.compile("boundary=(\"?)([^\";]+)\\1").matcher(contentType);
        return m.find() ? m.group(2) : null;
    }

    /** The next part, or null after the closing boundary. Unread bytes of the previous part are skipped. */
    Part next() throws IOException {
        if (finished) {
            return null;
        }
        if (current == null) {
            current = new PartStream();
        }
        current.skipRest();
        ensure(2);
        if (lim - pos >= 2 && buf[pos] == '-' && buf[pos + 1] == '-') {
            finished = true;
            return null;
        }
        expectCrlf();
        Map<String, String> headers = readHeaders();
        String disposition = headers.getOrDefault("content-disposition", "");
        Matcher name = NAME.matcher(disposition);
        Matcher filename = FILENAME.matcher(disposition);
        current = new PartStream();
        return new Part(name.find() ? name.group(1) : null, filename.find() ? filename.group(1) : null,
                headers.get("content-type"), current);
    }

    /**
     * One part.
     *
     * @param name        the form field name
     * @param filename    the file name of a file part, else null
     * @param contentType the part's content type, or null
     * @param body        the part's bytes; ends at the boundary
     */
    record Part(String name, String filename, String contentType, InputStream body) {
    }

    private Map<String, String> readHeaders() throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        int consumed = 0;
        while (true) {
            int eol = indexOf(new byte[] {'\r', '\n'}, true);
            if (eol < 0) {
                throw new IOException("multipart part headers are not terminated");
            }
            String line = new String(buf, pos, eol - pos, StandardCharsets.UTF_8);
            consumed += eol - pos + 2;
            pos = eol + 2;
            if (consumed > MAX_HEADER_BYTES) {
                throw new IOException("multipart part headers exceed " + MAX_HEADER_BYTES + " bytes");
            }
            if (line.isEmpty()) {
                return headers;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
    }

    private void expectCrlf() throws IOException {
        ensure(2);
        if (lim - pos < 2 || buf[pos] != '\r' || buf[pos + 1] != '\n') {
            throw new IOException("malformed multipart body: expected CRLF after a boundary");
        }
        pos += 2;
    }

    /** Index of {@code needle} in the buffer from {@code pos}, reading more as needed when {@code fill}; -1 if absent. */
    private int indexOf(byte[] needle, boolean fill) throws IOException {
        int from = pos;
        while (true) {
            int found = search(needle, from);
            if (found >= 0 || !fill || eof) {
                return found;
            }
            if (lim - pos >= MAX_HEADER_BYTES) {
                return -1;
            }
            int before = pos;
            from = Math.max(pos, lim - needle.length + 1);
            readMore();
            from -= before - pos;
        }
    }

    private int search(byte[] needle, int from) {
        outer:
        for (int i = Math.max(from, pos); i <= lim - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (buf[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Buffers at least {@code n} bytes past {@code pos} unless the stream ends first. */
    private void ensure(int n) throws IOException {
        while (lim - pos < n && !eof) {
            readMore();
        }
    }

    private void readMore() throws IOException {
        if (pos > 0 && (lim == buf.length || pos > buf.length / 2)) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            pos = 0;
        }
        int n = in.read(buf, lim, buf.length - lim);
        if (n < 0) {
            eof = true;
        } else {
            lim += n;
        }
    }

    private final class PartStream extends InputStream {
        private boolean done;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            ensure(delimiter.length);
            int found = search(delimiter, pos);
            if (found == pos) {
                pos += delimiter.length;
                done = true;
                return -1;
            }
            int available;
            if (found > 0) {
                available = found - pos;
            } else {
                available = lim - pos - (delimiter.length - 1);
                if (available <= 0) {
                    throw new IOException("multipart body ended before its closing boundary");
                }
            }
            int n = Math.min(len, available);
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
            return n;
        }

        void skipRest() throws IOException {
            byte[] scratch = new byte[8192];
            while (read(scratch, 0, scratch.length) >= 0) {
                // discard
            }
        }
    }
}
