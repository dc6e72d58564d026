package com.runwayrelay.notifier;

import com.runwayrelay.domain.ArchiveRecord;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.webhook.EventPayloads;
import com.runwayrelay.domain.webhook.SendOutcome;
import com.runwayrelay.domain.webhook.WebhookEvent;
import com.runwayrelay.domain.webhook.WebhookEventType;
import com.runwayrelay.domain.webhook.WebhookMessage;
import com.runwayrelay.domain.webhook.WebhookSender;
import com.runwayrelay.domain.webhook.WebhookSigner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.crac.Context;
import org.crac.Resource;

/**
 * SnapStart priming of the notifier: run by the Lambda runtime just before it snapshots an initialized
 * environment ({@link #beforeCheckpoint}), so that a restored notifier's first webhook finds the code it needs
 * loaded and partly compiled (docs/decisions.md, "SnapStart priming for the notifier").
 *
 * <p>What it does, and nothing else:
 * <ol>
 *   <li>the delivery's reads, through the function's own wired use cases and adapters ({@code reads}): the
 *       settlement, the output delivery and the webhook dispatch of a task that exists nowhere
 *       ({@link #UNKNOWN_TASK}; each is one {@code GetItem} that finds nothing, so none writes) and the read of an app that exists nowhere;</li>
 *   <li>a webhook for a sample archived task that is stored nowhere: its body rendered by the function's own
 *       {@link JsonEventPayloads} (output link signed by the S3 presigner: local computation, no request), signed
 *       as Standard Webhooks asks ({@link WebhookSigner}, with {@link #SAMPLE_SECRET}, which signs nothing else),
 *       and sent through a {@link GuardedWebhookSender} and {@code PinnedHttpClient} of the function's own classes,
 *       built for priming only with loopback allowed, to a receiver on the loopback address that this method starts,
 *       answers 204 and closes before it returns.</li>
 * </ol>
 *
 * <p><b>No side effects outside the process.</b> No DynamoDB or S3 write, no webhook to any app, no log line, no
 * metric: nothing here logs, the reads go around {@code StreamDeliveries} (which records metrics) and the only
 * request sent leaves for the loopback receiver. <b>Never fails:</b> whatever goes wrong is kept in
 * {@link Outcome#failures()} and priming carries on, since a failing hook would cost the version its snapshot.
 *
 * <p><b>{@link #afterRestore} does nothing</b>, because nothing primed is bound to the environment that took the
 * snapshot: the receiver and its socket are closed before {@link #beforeCheckpoint} returns; the priming sender
 * is used only here, and its client opens one connection per request ({@code Connection: close}), so none is left
 * open; credentials are asked of the provider per SDK request and per signed link, not held; the one SDK
 * connection the reads opened is dropped by the JDK's keep-alive cache when found idle past its keep-alive time
 * after the restore (and a failed reuse is retried by the SDK); no random value is drawn, so none is replayed in
 * every restored environment.
 */
final class NotifierPriming implements Resource {
    /** A well-formed task id that no task has (not the shape minted ids have, so it cannot be one). */
    static final String UNKNOWN_TASK = "task_priming";
    /** An app id that no app has (minted ids are {@code app_} and 26 characters). */
    static final String UNKNOWN_APP = "app_priming";
    /** Signs the sample webhook only; no app has it, and nothing it signs leaves the process. */
    static final String SAMPLE_SECRET = "whsec_cHJpbWluZy1vbmx5LXNpZ25zLW5vdGhpbmctcmVhbA==";

    private static final int JOIN_MILLIS = 5_000;
    private static final int MAX_HEAD_BYTES = 64 * 1024;

    private final Runnable reads;
    private final EventPayloads payloads;
    private final WebhookSender sender;
    private final Clock clock;
    private volatile Outcome last;

    /**
     * @param reads    the function's read-only calls ({@code NotifierFunction} passes its wired settlement and
     *                 delivery of {@link #UNKNOWN_TASK} and the read of {@link #UNKNOWN_APP})
     * @param payloads the function's webhook body renderer, with its link signer
     * @param sender   a sender of the function's classes that allows loopback, built for priming only
     */
    NotifierPriming(Runnable reads, EventPayloads payloads, WebhookSender sender, Clock clock) {
        this.reads = Objects.requireNonNull(reads, "reads");
        this.payloads = Objects.requireNonNull(payloads, "payloads");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * What one priming did.
     *
     * @param readsDone whether the read-only calls completed
     * @param sent      what the sender reported for the sample webhook (null if it was not sent)
     * @param received  requests the loopback receiver took (1 when the send went through)
     * @param failures  what went wrong, step by step
     */
    record Outcome(boolean readsDone, SendOutcome sent, int received, List<String> failures) {
        Outcome {
            failures = List.copyOf(failures);
        }

        /** Whether every step went through: the reads, and a 2xx from the receiver. */
        boolean complete() {
            return readsDone && sent instanceof SendOutcome.Delivered && received == 1 && failures.isEmpty();
        }
    }

    /** Primes ({@link #prime()}); never throws, so the snapshot is taken whatever happened. */
    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    /** Nothing to redo: see the class comment. */
    @Override
    public void afterRestore(Context<? extends Resource> context) {
    }

    /** The last priming's outcome, if one ran. */
    java.util.Optional<Outcome> last() {
        return java.util.Optional.ofNullable(last);
    }

    /** Runs the priming steps, each on its own: the reads failing does not skip the send. Never throws. */
    Outcome prime() {
        List<String> failures = new ArrayList<>();
        boolean readsDone = false;
        try {
            reads.run();
            readsDone = true;
        } catch (RuntimeException | LinkageError e) {
            failures.add("reads: " + e);
        }
        SendOutcome sent = null;
        int received = 0;
        try {
            AtomicInteger taken = new AtomicInteger();
            sent = sendSample(taken, failures);
            received = taken.get();
            if (!(sent instanceof SendOutcome.Delivered)) {
                failures.add("send: " + sent);
            }
        } catch (IOException | RuntimeException | LinkageError e) {
            failures.add("send: " + e);
        }
        Outcome outcome = new Outcome(readsDone, sent, received, failures);
        last = outcome;
        return outcome;
    }

    /** Renders, signs and sends the sample webhook to a loopback receiver that lives only during the send. */
    private SendOutcome sendSample(AtomicInteger taken, List<String> failures) throws IOException {
        AtomicReference<Throwable> receiverFailure = new AtomicReference<>();
        try (ServerSocket server = new ServerSocket()) {
            InetAddress loopback = InetAddress.getLoopbackAddress();
            server.bind(new InetSocketAddress(loopback, 0));
            Thread receiving = Thread.ofPlatform().daemon().name("notifier-priming-receiver").start(() -> {
                try (Socket socket = server.accept()) {
                    receive(socket);
                    taken.incrementAndGet();
                } catch (IOException | RuntimeException e) {
                    receiverFailure.set(e);
                }
            });
            SendOutcome outcome;
            try {
                URI target = URI.create("http://" + loopback.getHostAddress() + ":" + server.getLocalPort()
                        + "/hooks/" + UNKNOWN_TASK);
                Instant now = clock.instant();
                Task task = sampleTask(now, target);
                WebhookEvent event = new WebhookEvent(WebhookEvent.messageIdOf(task.id(), 1),
                        WebhookEventType.TASK_SUCCEEDED, 1, now);
                byte[] body = payloads.render(task, event);
                long timestamp = now.getEpochSecond();
                String signature = WebhookSigner.signatureHeader(event.messageId(), timestamp, body, List.of(SAMPLE_SECRET));
                outcome = sender.send(target, new WebhookMessage(event.messageId(), timestamp, signature, body));
            } finally {
                server.close();
                join(receiving);
            }
            Throwable cause = receiverFailure.get();
            if (cause != null) {
                failures.add("receiver: " + cause);
            }
            return outcome;
        }
    }

    /** Reads one request (head and {@code Content-Length} body) and answers 204, as a receiver would. */
    private static void receive(Socket socket) throws IOException {
        socket.setSoTimeout(JOIN_MILLIS);
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0 || head.size() >= MAX_HEAD_BYTES) {
                throw new IOException("the priming request ended in its head");
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        long length = 0;
        for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Long.parseLong(line.substring("content-length:".length()).trim());
            }
        }
        in.skipNBytes(length);
        OutputStream out = socket.getOutputStream();
        out.write("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static void join(Thread thread) {
        try {
            thread.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** An archived image task with one output and a callback to {@code target}; stored nowhere. */
    static Task sampleTask(Instant now, URI target) {
        return Task.accepted(UNKNOWN_TASK, UNKNOWN_APP, "text_to_image", "gen4_image", "{}", 8, now)
                .state(TaskState.ARCHIVED).runwayTaskId("priming").actualCredits(8L)
                .callbackUrl(target.toString())
                .archive(List.of(new ArchiveRecord("outputs/" + UNKNOWN_APP + "/" + UNKNOWN_TASK + "/0.png",
                        1, "0".repeat(64), "image/png")))
                .build();
    }
}
