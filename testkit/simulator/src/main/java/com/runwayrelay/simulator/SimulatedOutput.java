package com.runwayrelay.simulator;

/**
 * One output file of a simulated task.
 *
 * @param index       position in the task's {@code output} array
 * @param contentType {@code image/png}, {@code image/jpeg}, {@code video/mp4} or {@code audio/wav}
 * @param size        exact byte count a download delivers
 */
public record SimulatedOutput(int index, String contentType, long size) {
}
