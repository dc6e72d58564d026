package com.runwayrelay.bench.coldstart;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The child JVM of {@code com.runwayrelay.local.ColdStartBenchmark}: what the Lambda Java runtime does for a cold
 * invocation, with nothing on the classpath but this class, the runtime's own event serializer
 * ({@code aws-lambda-java-serialization}) and the function's unpacked {@code function.zip}.
 *
 * <p>It loads and constructs the handler (its no-argument constructor reads the process environment,
 * as in Lambda) and, unless the handler is a {@link RequestStreamHandler}, builds the runtime's
 * serializer for the event type: the init. Then it reads the event file with that serializer,
 * invokes the handler once and serializes the response (a stream handler gets the file's bytes and
 * writes its own answer): the first invocation. It prints one line,
 * {@code first-invocation main=<µs> init=<µs> handled=<µs> cpu=<ms> response=<json>}, the instants as
 * microseconds since the epoch and the process's CPU time until then, after a line
 * {@code first-invocation-restore restored=<µs> primed=<n> cpu=<ms>} ({@code restored} is {@code init} and
 * {@code primed} 0 unless {@link #RESTORE} ran {@code n} checkpoint hooks in between; {@code cpu} is the
 * process's CPU time at {@code restored}, so the first event's own CPU is the difference), and exits 0; any failure (a class missing from the zip included)
 * ends it with a stack trace and exit status 1.
 *
 * <p>Arguments: handler class, event class, event file. System property {@value #TYPED}: see there.
 */
public final class FirstInvocation {
    /**
     * The system property that runs the function's SnapStart hooks between init and the first event: every
     * {@code org.crac} resource it registered gets {@code beforeCheckpoint} then {@code afterRestore}, in this
     * process ({@link com.runwayrelay.bench.coldstart.crac}; {@code org.crac.Core.Compat} must name that package).
     */
    public static final String RESTORE = "coldstart.restore";

    /**
     * System property: {@code true} calls even a stream handler through its typed method with the
     * runtime's serializer, as the runtime did before the HTTP API handlers took streams (for A/B runs).
     */
    static final String TYPED = "coldstart.typed";

    private FirstInvocation() {
    }

    public static void main(String[] args) throws Exception {
        long main = micros(Instant.now());
        ClassLoader loader = FirstInvocation.class.getClassLoader();
        Class<?> handlerClass = Class.forName(args[0], true, loader);
        Object handler = handlerClass.getConstructor().newInstance();
        // A stream handler gets the invocation's bytes; for any other the runtime builds the event serializer
        // when it loads the handler, before the first event arrives.
        boolean streams = handler instanceof RequestStreamHandler && !Boolean.getBoolean(TYPED);
        PojoSerializer<Object> in = null;
        if (!streams) {
            Class<?> eventClass = Class.forName(args[1], true, loader);
            @SuppressWarnings("unchecked")
            PojoSerializer<Object> serializer = (PojoSerializer<Object>) LambdaEventSerializers.serializerFor(eventClass, loader);
            in = serializer;
        }
        long init = micros(Instant.now());
        mark(InitDone.class);
        // -Dcoldstart.restore=true: the SnapStart hooks run here, as before a snapshot and right after its restore.
        long restored = init;
        int primed = 0;
        if (Boolean.getBoolean(RESTORE)) {
            com.runwayrelay.bench.coldstart.crac.Core.checkpointRestore();
            primed = com.runwayrelay.bench.coldstart.crac.Core.notified();
            restored = micros(Instant.now());
            mark(Restored.class);
        }
        long cpuBeforeEvent = cpuMillis();

        String json;
        if (streams) {
            // The runtime hands a stream handler the invocation's bytes in memory and collects its output.
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ((RequestStreamHandler) handler).handleRequest(new ByteArrayInputStream(Files.readAllBytes(Path.of(args[2]))), bytes, new FirstContext());
            json = bytes.toString(StandardCharsets.UTF_8);
        } else {
            Object event;
            try (InputStream body = Files.newInputStream(Path.of(args[2]))) {
                event = in.fromJson(body);
            }
            @SuppressWarnings("unchecked")
            Object response = ((RequestHandler<Object, Object>) handler).handleRequest(event, new FirstContext());
            json = "null";
            if (response != null) {
                @SuppressWarnings("unchecked")
                PojoSerializer<Object> out = (PojoSerializer<Object>) LambdaEventSerializers.serializerFor(response.getClass(), loader);
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                out.toJson(response, bytes);
                json = bytes.toString(StandardCharsets.UTF_8);
            }
        }
        long handled = micros(Instant.now());
        mark(Handled.class);
        System.out.println("first-invocation-restore restored=" + restored + " primed=" + primed + " cpu=" + cpuBeforeEvent);
        System.out.println("first-invocation main=" + main + " init=" + init + " handled=" + handled
                + " cpu=" + cpuMillis() + " response=" + json.replace('\n', ' '));
        System.out.flush();
        // Nothing the function started may keep the process alive (shutdown hooks still run: a JFR recording is written).
        System.exit(0);
    }

    /**
     * The CPU time this process has used so far, all threads (the JIT's and the collector's included), in
     * milliseconds, from {@code /proc/self/stat} (user and system ticks, 100 per second on Linux); -1 where
     * there is no such file. Less sensitive to other processes on the machine than the wall-clock instants.
     */
    static long cpuMillis() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // After the command: state is field 3 of the file, utime 14 and stime 15 (1-based).
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Loads a marker class, so a {@code -Xlog:class+load} log shows where each phase ends. */
    private static void mark(Class<?> marker) {
        marker.getName();
    }

    /** Loaded when init is done (see {@link #mark}). */
    private static final class InitDone {
    }

    /** Loaded when the checkpoint hooks have run, with {@link #RESTORE} (see {@link #mark}). */
    private static final class Restored {
    }

    /** Loaded when the first event is handled (see {@link #mark}). */
    private static final class Handled {
    }

    /** Microseconds since the epoch. */
    public static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    }

    /** The context of one invocation with a 30 s deadline, as far as the handlers read it. */
    private static final class FirstContext implements Context {
        private final long deadline = System.currentTimeMillis() + 30_000;

        @Override
        public String getAwsRequestId() {
            return "00000000-0000-4000-8000-000000000001";
        }

        @Override
        public String getLogGroupName() {
            return "/aws/lambda/cold-start";
        }

        @Override
        public String getLogStreamName() {
            return "cold-start";
        }

        @Override
        public String getFunctionName() {
            return System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "cold-start");
        }

        @Override
        public String getFunctionVersion() {
            return "$LATEST";
        }

        @Override
        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:us-east-1:123456789012:function:" + getFunctionName();
        }

        @Override
        public CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getRemainingTimeInMillis() {
            return (int) Math.max(0, deadline - System.currentTimeMillis());
        }

        @Override
        public int getMemoryLimitInMB() {
            return 512;
        }

        @Override
        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override
                public void log(String message) {
                    System.out.print(message);
                }

                @Override
                public void log(byte[] message) {
                    System.out.write(message, 0, message.length);
                }
            };
        }
    }
}
