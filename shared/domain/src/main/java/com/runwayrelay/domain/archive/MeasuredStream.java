package com.runwayrelay.domain.archive;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A download body that counts and hashes its bytes as they are read and refuses to end wrongly.
 *
 * <p>It reports end of stream only when the body is complete: when the source declared a length,
 * exactly that many bytes arrived; and never more than the cap. Otherwise the read that would
 * have ended the stream, or gone past a limit, throws instead, so a consumer that stores
 * everything up to end of stream can never store a truncated or oversized body as if it were
 * whole. After end of stream, {@link #size()} and {@link #sha256()} describe exactly the bytes
 * handed out.
 *
 * <p>Not thread-safe; one reader at a time.
 */
public final class MeasuredStream extends InputStream {
    private final InputStream in;
    private final long declaredLength;
    private final long maxBytes;
    private final MessageDigest digest;
    private long count;
    private boolean complete;

    /**
     * Wraps a body.
     *
     * @param in             the body as received
     * @param declaredLength the length the source announced ({@code Content-Length}), or -1 when unknown
     * @param maxBytes       the most bytes accepted
     * @throws OutputTooLargeException when the declared length is already over the cap
     */
    public MeasuredStream(InputStream in, long declaredLength, long maxBytes) throws OutputTooLargeException {
        this.in = Objects.requireNonNull(in, "in");
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 0");
        }
        if (declaredLength > maxBytes) {
            throw new OutputTooLargeException(declaredLength, maxBytes, true);
        }
        this.declaredLength = declaredLength < 0 ? -1 : declaredLength;
        this.maxBytes = maxBytes;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (complete) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        int n = in.read(b, off, len);
        if (n == -1) {
            if (declaredLength >= 0 && count < declaredLength) {
                throw new TruncatedOutputException(count, declaredLength);
            }
            complete = true;
            return -1;
        }
        count += n;
        if (count > maxBytes) {
            throw new OutputTooLargeException(count, maxBytes, false);
        }
        if (declaredLength >= 0 && count > declaredLength) {
            throw new IOException("the output sent more bytes than its Content-Length of " + declaredLength);
        }
        digest.update(b, off, n);
        return n;
    }

    /** Bytes are read through, never skipped: every byte must be hashed. */
    @Override
    public long skip(long n) throws IOException {
        throw new IOException("a measured stream cannot skip");
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** The length the source declared, or -1. */
    public long declaredLength() {
        return declaredLength;
    }

    /** Bytes read so far. */
    public long size() {
        return count;
    }

    /** True once end of stream was reached with a complete body. */
    public boolean complete() {
        return complete;
    }

    /**
     * Lowercase hex SHA-256 of the whole body.
     *
     * @throws IllegalStateException before the body was read to its end
     */
    public String sha256() {
        if (!complete) {
            throw new IllegalStateException("the body has not been read to its end (" + count + " bytes so far)");
        }
        try {
            return HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 can be cloned", e);
        }
    }
}
