package com.runwayrelay.bench.archiver;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.runwayrelay.archiver.ArchiverFunction;
import com.runwayrelay.archiver.ArchiverHandler;
import com.runwayrelay.bench.coldstart.FirstInvocation;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The measured process: wires the real archiver handler from its environment, as Lambda would,
 * then archives each task named on the command line, one stream record per call, as successive
 * invocations of one warm container, printing a line per task
 * {@code RESULT task=<id> millis=<handler time> peakRssKib=<VmHWM so far> failures=<records reported>
 * cpuMillis=<process CPU time during the call> peakHeapKib=<sum of the heap pools' peak use so far>
 * busyCores=<whole machine's busy CPUs during the call> sysMillis=<kernel part of cpuMillis>}.
 * The time covers the handler call only (not JVM start or init); peak RSS is the process's
 * high-water mark. With {@code -Dcoldstart.restore=true} (and {@code org.crac} pointed at the benchmark's
 * stand-in), the hooks the archiver registered run first, as before a SnapStart snapshot and after its
 * restore, and a line {@code RESTORE hooks=<n> millis=<time> cpuMillis=<CPU>} reports them.
 */
public final class ArchiveOnce {
    private ArchiveOnce() {
    }

    public static void main(String[] args) throws IOException {
        ArchiverHandler handler = new ArchiverHandler(ArchiverFunction.fromEnvironment(System.getenv()));
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        if (Boolean.getBoolean(FirstInvocation.RESTORE)) {
            // As before a SnapStart snapshot and right after its restore: the hooks the archiver registered run here.
            long cpuBefore = os.getProcessCpuTime();
            long start = System.nanoTime();
            try {
                com.runwayrelay.bench.coldstart.crac.Core.checkpointRestore();
            } catch (Exception e) {
                throw new IllegalStateException("the archiver's checkpoint hooks failed", e);
            }
            System.out.println("RESTORE hooks=" + com.runwayrelay.bench.coldstart.crac.Core.notified() + " millis="
                    + (System.nanoTime() - start) / 1_000_000 + " cpuMillis=" + (os.getProcessCpuTime() - cpuBefore) / 1_000_000);
        }
        for (String taskId : args) {
            MachineCpu machineBefore = MachineCpu.now();
            long cpuBefore = os.getProcessCpuTime();
            long sysBefore = ProcessCpu.systemMillis();
            long start = System.nanoTime();
            StreamsEventResponse response = handler.handleRequest(event(taskId), null);
            long end = System.nanoTime();
            long millis = (end - start) / 1_000_000;
            long cpuMillis = (os.getProcessCpuTime() - cpuBefore) / 1_000_000;
            long sysMillis = ProcessCpu.systemMillis() - sysBefore;
            // After the CPU readings, so writing the mark is not counted in them.
            ProcessCpu.mark("archive:" + taskId, start, end);
            System.out.println("RESULT task=" + taskId + " millis=" + millis + " peakRssKib=" + peakRssKib()
                    + " failures=" + response.getBatchItemFailures().size() + " cpuMillis=" + cpuMillis
                    + " peakHeapKib=" + peakHeapKib() + String.format(java.util.Locale.ROOT, " busyCores=%.2f",
                    MachineCpu.now().busyCoresSince(machineBefore)) + " sysMillis=" + sysMillis);
        }
    }

    static DynamodbEvent event(String taskId) {
        StreamRecord stream = new StreamRecord();
        AttributeValue pk = new AttributeValue().withS("task#" + taskId);
        stream.setKeys(Map.of("pk", pk));
        stream.setNewImage(Map.of("pk", pk, "state", new AttributeValue().withS("OUTPUT_READY")));
        stream.setSequenceNumber("1");
        DynamodbEvent.DynamodbStreamRecord record = new DynamodbEvent.DynamodbStreamRecord();
        record.setEventName("MODIFY");
        record.setDynamodb(stream);
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(List.of(record));
        return event;
    }

    /** Peak heap in use since start: the sum of the heap pools' peaks. */
    static long peakHeapKib() {
        long bytes = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                bytes += pool.getPeakUsage().getUsed();
            }
        }
        return bytes / 1024;
    }

    /** {@code VmHWM} of {@code /proc/self/status} (Linux), or -1 elsewhere. */
    static long peakRssKib() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
