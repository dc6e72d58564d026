package com.runwayrelay.aws.queues;

import com.runwayrelay.aws.config.Env;
import com.runwayrelay.domain.admin.QueueDepths;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Chooses the {@link QueueDepths} a function's environment calls for. */
public final class QueueDepthsFromEnv {
    private QueueDepthsFromEnv() {
    }

    /**
     * {@link LocalQueueDepths} when the local stack set {@value LocalQueueDepths#STREAM_FAILURE_FILE}
     * ({@value LocalQueueDepths#EPHEMERAL} for a stack without a data folder), else {@link SqsQueueDepths} on
     * {@value SqsQueueDepths#POLLER_DLQ_URL} and {@value SqsQueueDepths#STREAM_FAILURE_QUEUE_URL}; the SQS
     * client is made only then.
     */
    public static QueueDepths create(Env env, Supplier<SqsClient> sqs) {
        String file = env.localOnly(LocalQueueDepths.STREAM_FAILURE_FILE);
        if (file != null) {
            return new LocalQueueDepths(LocalQueueDepths.EPHEMERAL.equals(file) ? Optional.empty() : Optional.of(Path.of(file)));
        }
        return SqsQueueDepths.fromEnv(sqs.get(), env);
    }
}
