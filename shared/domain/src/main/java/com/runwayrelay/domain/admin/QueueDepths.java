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

    /**
     * A queue's depth, or why it cannot be told: because this stack has no such queue
     * ({@link NotAvailable}, nothing to check) or because reading it failed ({@link CheckFailed}, the
     * queue may hold records nobody saw).
     */
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
         * This stack has no such queue, by design (never reported as zero): there is nothing to check.
         *
         * @param reason why, for the operator
         */
        record NotAvailable(String reason) implements Depth {
        }

        /**
         * The queue should be there but its depth could not be read (a refused or failed call, a
         * missing setting): the check was not made, so the report cannot say the queue is empty.
         *
         * @param reason what failed, for the operator
         */
        record CheckFailed(String reason) implements Depth {
        }
    }
}
