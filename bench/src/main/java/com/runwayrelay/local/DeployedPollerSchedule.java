package com.runwayrelay.local;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The poller run as deployed, not as the local stack runs it: an invocation is <em>started</em>
 * every {@code rate} (EventBridge Scheduler's {@code rate(…)}, whether or not the previous one is
 * still working), each on its own thread with the template's {@code Timeout} counting down in its
 * context and {@code RELAY_POLLER_RUN_SECONDS} as the template sets it, on at most
 * {@code ReservedConcurrentExecutions} warm instances (a further invocation waits for one, where
 * Lambda would throttle it and the scheduler retry it). The gaps between invocations are left as
 * they are.
 *
 * <p>The local stack's own {@link PollerSchedule} invokes back to back with a short run length
 * ({@link LocalStack#LOCAL_POLLER_RUN_SECONDS}); the benchmarks stop it from mattering by giving the
 * stack a poll interval of a day and driving this one instead.
 */
final class DeployedPollerSchedule implements AutoCloseable {
    private static final Pattern RATE = Pattern.compile("rate\\((\\d+) (second|seconds|minute|minutes|hour|hours)\\)");

    /**
     * The deployed settings of the poller.
     *
     * @param rate        how often an invocation starts
     * @param runLength   {@code RELAY_POLLER_RUN_SECONDS}
     * @param timeout     the function's {@code Timeout}
     * @param concurrency {@code ReservedConcurrentExecutions} (instances at most)
     */
    record Settings(Duration rate, Duration runLength, Duration timeout, int concurrency) {
        /** What {@code template.yaml} says for {@code PollerFunction}. */
        static Settings fromTemplate(FunctionSpec poller) {
            FunctionSpec.Schedule schedule = poller.schedules().getFirst();
            Object run = poller.environment().get("RELAY_POLLER_RUN_SECONDS");
            return new Settings(DeployedPollerSchedule.rate(schedule.expression()), Duration.ofSeconds(Long.parseLong(String.valueOf(run))),
                    poller.timeout(), poller.reservedConcurrency().orElse(1));
        }

        @Override
        public String toString() {
            return "rate " + rate.toSeconds() + " s, run length " + runLength.toSeconds() + " s, timeout "
                    + timeout.toSeconds() + " s, at most " + concurrency + " at once";
        }
    }

    /** One invocation: when it started and ended, and its summary (null if it threw). */
    record Invocation(Instant started, Instant ended, Map<?, ?> summary, String error) {
    }

    private final LocalFunction<ScheduledEvent, Map<?, ?>> poller;
    private final FunctionSpec.Schedule schedule;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final ExecutorService invocations = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Invocation> done = new CopyOnWriteArrayList<>();

    private DeployedPollerSchedule(LocalFunction<ScheduledEvent, Map<?, ?>> poller, FunctionSpec.Schedule schedule, Clock clock) {
        this.poller = poller;
        this.schedule = schedule;
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("bench-poller-schedule").daemon().factory());
    }

    /**
     * Loads the poller's real handler with the stack's environment for it (its run length set to
     * {@code settings.runLength()}) and starts invoking it every {@code settings.rate()}, the first
     * time right away.
     */
    static DeployedPollerSchedule start(LocalStack stack, Settings settings, Clock clock, StackLog log) {
        FunctionSpec template = pollerSpec();
        FunctionSpec spec = new FunctionSpec(template.logicalId(), template.handlerClass(), settings.timeout(), template.memoryMb(),
                java.util.OptionalInt.of(settings.concurrency()), template.environment(), template.routes(), template.streams(),
                template.schedules());
        Map<String, String> env = new java.util.LinkedHashMap<>(stack.environments().get(spec.logicalId()));
        env.put("RELAY_POLLER_RUN_SECONDS", Long.toString(settings.runLength().toSeconds()));
        @SuppressWarnings({"unchecked", "rawtypes"})
        LocalFunction<ScheduledEvent, Map<?, ?>> poller = LocalFunction.load(spec, env, ScheduledEvent.class, (Class) Map.class,
                settings.concurrency(), clock, log);
        DeployedPollerSchedule running = new DeployedPollerSchedule(poller, spec.schedules().getFirst(), clock);
        running.timer.scheduleAtFixedRate(running::fire, 0, settings.rate().toMillis(), TimeUnit.MILLISECONDS);
        return running;
    }

    /** The template's poller function. */
    static FunctionSpec pollerSpec() {
        return StackTemplate.fromClasspath().functions().stream().filter(f -> !f.schedules().isEmpty()).findFirst()
                .orElseThrow(() -> new IllegalStateException("template.yaml has no scheduled function"));
    }

    /** Invocations that have ended so far. */
    List<Invocation> invocations() {
        return List.copyOf(done);
    }

    private void fire() {
        Instant firedAt = clock.instant();
        invocations.execute(() -> {
            Instant started = clock.instant();
            try {
                Map<?, ?> summary = poller.invoke(PollerSchedule.event(schedule, firedAt));
                done.add(new Invocation(started, clock.instant(), summary, null));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | Error e) {
                done.add(new Invocation(started, clock.instant(), null, e.toString()));
            }
        });
    }

    /** Stops starting invocations and waits for those running (each ends by its timeout). */
    @Override
    public void close() {
        timer.shutdownNow();
        invocations.shutdown();
        try {
            invocations.awaitTermination(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            invocations.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    static Duration rate(String expression) {
        Matcher m = RATE.matcher(expression.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a rate(…) expression: " + expression);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "second", "seconds" -> Duration.ofSeconds(n);
            case "minute", "minutes" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }
}
