package com.runwayrelay.local;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.joda.time.DateTime;
import org.joda.time.DateTimeZone;

/**
 * Stands in for EventBridge Scheduler: invokes the poller every {@code interval} with the event the
 * template's schedule sends (its {@code Input}, with the scheduler's context placeholders filled in).
 * Runs never overlap; a run that throws is reported and the next one happens as planned.
 */
final class PollerSchedule implements AutoCloseable {
    private static final String DEFAULT_INPUT = "{\"version\":\"0\",\"id\":\"<aws.scheduler.execution-id>\","
            + "\"detail-type\":\"Scheduled Event\",\"source\":\"aws.scheduler\",\"account\":\"" + HttpApiEvents.ACCOUNT_ID + "\","
            + "\"time\":\"<aws.scheduler.scheduled-time>\",\"region\":\"us-east-1\","
            + "\"resources\":[\"<aws.scheduler.schedule-arn>\"],\"detail\":{}}";

    private final LocalFunction<ScheduledEvent, ?> poller;
    private final FunctionSpec.Schedule schedule;
    private final Clock clock;
    private final StackLog log;
    private final ScheduledExecutorService executor;

    private PollerSchedule(LocalFunction<ScheduledEvent, ?> poller, FunctionSpec.Schedule schedule, Clock clock, StackLog log) {
        this.poller = poller;
        this.schedule = schedule;
        this.clock = clock;
        this.log = log;
        this.executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("relay-poller-schedule").daemon().factory());
    }

    /** Starts invoking {@code poller} every {@code interval}, the first time right away. */
    static PollerSchedule start(LocalFunction<ScheduledEvent, ?> poller, FunctionSpec.Schedule schedule, Duration interval,
                                Clock clock, StackLog log) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("poll interval must be positive, was " + interval);
        }
        PollerSchedule running = new PollerSchedule(poller, schedule, clock, log);
        running.executor.scheduleWithFixedDelay(running::runOnce, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return running;
    }

    /** Lets a run in progress finish (up to 10 s), then stops. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                executor.shutdownNow();
                executor.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void runOnce() {
        String name = poller.spec().logicalId();
        long started = System.nanoTime();
        try {
            Object summary = poller.invoke(event(schedule, clock.instant()));
            log.detail(name + " (" + schedule.name() + ") -> " + summary + "  "
                    + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            log.warn(name + " (" + schedule.name() + ") failed: " + e);
        }
    }

    /** The event the template's schedule would send at {@code now}. */
    static ScheduledEvent event(FunctionSpec.Schedule schedule, Instant now) {
        Instant scheduled = now.truncatedTo(ChronoUnit.SECONDS);
        String input = schedule.input() == null ? DEFAULT_INPUT : schedule.input();
        String filled = input
                .replace("<aws.scheduler.execution-id>", UUID.randomUUID().toString())
                .replace("<aws.scheduler.scheduled-time>", scheduled.toString())
                .replace("<aws.scheduler.schedule-arn>", "arn:aws:scheduler:us-east-1:" + HttpApiEvents.ACCOUNT_ID
                        + ":schedule/default/local-" + schedule.name());
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(filled);
        } catch (IOException e) {
            throw new UncheckedIOException("the Input of schedule " + schedule.name() + " is not JSON", e);
        }
        ScheduledEvent event = new ScheduledEvent();
        event.setVersion(text(json, "version"));
        event.setId(text(json, "id"));
        event.setDetailType(text(json, "detail-type"));
        event.setSource(text(json, "source"));
        event.setAccount(text(json, "account"));
        String time = text(json, "time");
        event.setTime(new DateTime(time == null ? scheduled.toEpochMilli() : Instant.parse(time).toEpochMilli(), DateTimeZone.UTC));
        event.setRegion(text(json, "region"));
        List<String> resources = new ArrayList<>();
        json.path("resources").forEach(resource -> resources.add(resource.asText()));
        event.setResources(resources);
        @SuppressWarnings("unchecked")
        Map<String, Object> detail = json.has("detail") ? Json.MAPPER.convertValue(json.get("detail"), Map.class) : Map.of();
        event.setDetail(detail);
        return event;
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
