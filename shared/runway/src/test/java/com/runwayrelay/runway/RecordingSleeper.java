package com.runwayrelay.runway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Records requested delays instead of sleeping; optionally runs an action on each call. */
final class RecordingSleeper implements Sleeper {

    private final List<Duration> delays = new ArrayList<>();
    private Runnable onSleep = () -> { };

    RecordingSleeper onSleep(Runnable action) {
        this.onSleep = action;
        return this;
    }

    @Override
    public synchronized void sleep(Duration duration) {
        delays.add(duration);
        onSleep.run();
    }

    synchronized List<Duration> delays() {
        return List.copyOf(delays);
    }
}
