package com.runwayrelay.domain.admin;

/**
 * How many records wait where the gateway parks work it gave up on: the poller's dead-letter queue
 * and the stream-failure queue (stream records the archiver or notifier could not handle).
 */
public interface QueueDepths {

    /** Messages in the poller's dead-letter queue. */
    Depth pollerDeadLetters();

    /** Records in the stream-failure queue. */
    Depth streamFailures();

    /** A queue's depth, or why it cannot be told. */
    sealed interface Depth {
        /**
         * The depth.
         *
         * @param messages approximate number of messages (visible plus in flight)
         */
        record Known(long messages) implements Depth {
            public Known {
                if (messages < 0) {
                    throw new IllegalArgumentException("messages must be >= 0");
                }
            }
        }

        /**
         * The depth cannot be told here (never reported as zero).
         *
         * @param reason why, for the operator
         */
        record NotAvailable(String reason) implements Depth {
        }
    }
}
