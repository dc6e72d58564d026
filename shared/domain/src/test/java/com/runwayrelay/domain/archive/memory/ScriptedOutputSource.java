package com.runwayrelay.domain.archive.memory;

import com.runwayrelay.domain.archive.DownloadRefusedException;
import com.runwayrelay.domain.archive.OutputSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link OutputSource} answering from a script per URL: each {@link #on} adds one answer, used
 * in order; the last answer of a URL repeats. Records every URL opened.
 */
public final class ScriptedOutputSource implements OutputSource {
    private final Map<URI, Deque<Answer>> answers = new ConcurrentHashMap<>();
    private final List<URI> opened = new ArrayList<>();

    /** Adds an answer for {@code url}. */
    public synchronized ScriptedOutputSource on(URI url, Answer answer) {
        answers.computeIfAbsent(url, u -> new ArrayDeque<>()).add(answer);
        return this;
    }

    @Override
    public synchronized Download open(URI url) throws DownloadRefusedException, IOException {
        opened.add(url);
        Deque<Answer> queue = answers.get(url);
        if (queue == null || queue.isEmpty()) {
            throw new DownloadRefusedException(DownloadRefusedException.Reason.EXPIRED, 404, null,
                    "the output host answered 404 (no script for this link)");
        }
        Answer answer = queue.size() > 1 ? queue.poll() : queue.peek();
        return answer.open();
    }

    /** Every URL opened so far, in order. */
    public synchronized List<URI> opened() {
        return List.copyOf(opened);
    }

    /** One scripted answer. */
    @FunctionalInterface
    public interface Answer {
        Download open() throws DownloadRefusedException, IOException;

        /** 200 with the bytes, the type and the true length. */
        static Answer ok(String contentType, byte[] bytes) {
            return () -> new Download(contentType, bytes.length, new ByteArrayInputStream(bytes));
        }

        /** 200 announcing {@code declaredLength} but sending only {@code bytes} (a cut connection). */
        static Answer truncated(String contentType, byte[] bytes, long declaredLength) {
            return () -> new Download(contentType, declaredLength, new ByteArrayInputStream(bytes));
        }

        /** 200 with no {@code Content-Length}, streaming the body. */
        static Answer unknownLength(String contentType, InputStream body) {
            return () -> new Download(contentType, -1, body);
        }

        /** Refused for {@code reason}. */
        static Answer refused(DownloadRefusedException.Reason reason, int status, String code) {
            return () -> {
                throw new DownloadRefusedException(reason, status, code, "refused: " + reason + " " + status);
            };
        }

        /** The connection fails. */
        static Answer fails(String message) {
            return () -> {
                throw new IOException(message);
            };
        }
    }
}
