package com.runwayrelay.runway;

import java.time.Duration;

/**
 * Waits between retry attempts. The default is {@link Thread#sleep(Duration)}; tests inject one
 * that records the requested delays and returns at once.
 */
@FunctionalInterface
public interface Sleeper {

    /** The real thing: blocks the calling thread. */
    Sleeper SYSTEM = Thread::sleep;

    /**
     * Blocks for {@code duration}.
     *
     * @throws InterruptedException if the thread is interrupted; the client then stops retrying
     *     and reports the last failure
     */
    void sleep(Duration duration) throws InterruptedException;
}
