package com.runwayrelay.domain.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.runwayrelay.domain.RunwayStatus;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.archive.TaskArchiver.Result;
import com.runwayrelay.domain.archive.memory.InMemoryArchiveStore;
import com.runwayrelay.domain.archive.memory.ScriptedOutputSource;
import com.runwayrelay.domain.archive.memory.ScriptedOutputSource.Answer;
import com.runwayrelay.domain.gateway.memory.InMemoryUsageLedger;
import com.runwayrelay.domain.media.MediaKind;
import com.runwayrelay.domain.memory.InMemoryTaskRepository;
import com.runwayrelay.domain.memory.ManualClock;
import com.runwayrelay.domain.memory.ScriptedRunwayGateway;
import com.runwayrelay.domain.metrics.RelayMetric;
import com.runwayrelay.domain.metrics.memory.RecordingMetrics;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The archiver's metrics, with a manual clock the scripted download moves. */
class TaskArchiverMetricsTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final URI LINK = URI.create("https://cdn.runwayml.com/out/0.png?sig=secret-token");
    private static final int MIB = 1024 * 1024;

    private final InMemoryTaskRepository tasks = new InMemoryTaskRepository(2);
    private final ScriptedOutputSource source = new ScriptedOutputSource();
    private final ManualClock clock = new ManualClock(NOW);
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final TaskArchiver archiver = new TaskArchiver(tasks, new ScriptedRunwayGateway(), source,
            new InMemoryArchiveStore(), new InMemoryUsageLedger(),
            (endpoint, model) -> Optional.of(MediaKind.IMAGE), OutputHosts.of(List.of("*.runwayml.com"), false),
            new ArchiveSettings("outputs", 64L * MIB, 3, Duration.ofSeconds(60)), clock, metrics);

    private Task outputReady() {
        Task task = Task.accepted("t1", "app_1", "text_to_image", "gen4_image", "{}", 5, NOW.minusSeconds(60)).build()
                .toBuilder().state(TaskState.OUTPUT_READY).version(5).runwayTaskId("rw-1").runwayStatus(RunwayStatus.SUCCEEDED)
                .outputs(List.of(LINK.toString())).actualCredits(3L).dueAt(null).build();
        tasks.insert(task);
        return task;
    }

    private static byte[] png(int size) {
        byte[] bytes = new byte[size];
        byte[] head = "\u0089PNG\r\n\u001a\n".getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(head, 0, bytes, 0, head.length);
        return bytes;
    }

    @Test
    void recordsTheBytesAndTheRate_whenATaskIsArchived() {
        Task task = outputReady();
        byte[] output = png(3 * MIB);
        source.on(LINK, () -> {
            clock.advance(Duration.ofSeconds(2));
            return Answer.ok("image/png", output).open();
        });

        assertEquals(Result.ARCHIVED, archiver.archive(task.id()).result());

        assertEquals(List.of((double) output.length), values(RelayMetric.ARCHIVE_BYTES));
        assertEquals(List.of(1.5), values(RelayMetric.ARCHIVE_THROUGHPUT), "3 MiB in 2 s");
    }

    @Test
    void recordsNoRate_whenTheAttemptTookNoMeasurableTime() {
        Task task = outputReady();
        source.on(LINK, Answer.ok("image/png", png(1024)));

        archiver.archive(task.id());

        assertEquals(List.of(1024.0), values(RelayMetric.ARCHIVE_BYTES));
        assertEquals(List.of(), values(RelayMetric.ARCHIVE_THROUGHPUT), "no division by a zero duration");
    }

    @Test
    void recordsNothing_whenTheOutputCannotBeArchived() {
        Task task = outputReady();
        source.on(LINK, Answer.refused(com.runwayrelay.domain.archive.DownloadRefusedException.Reason.EXPIRED, 404, null));

        archiver.archive(task.id());

        assertEquals(List.of(), values(RelayMetric.ARCHIVE_BYTES));
    }

    private List<Double> values(RelayMetric metric) {
        return metrics.of(metric).stream().map(RecordingMetrics.Recorded::value).toList();
    }
}
