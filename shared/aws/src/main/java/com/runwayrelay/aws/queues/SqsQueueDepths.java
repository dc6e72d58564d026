package com.runwayrelay.aws.queues;

import com.runwayrelay.aws.config.Env;
import com.runwayrelay.domain.admin.QueueDepths;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@link QueueDepths} from SQS: one {@code GetQueueAttributes} call per queue, visible plus in-flight
 * messages (both approximate, as SQS reports them). A deployed stack has both queues, so a queue whose
 * URL is not configured, or that cannot be read, is a {@link QueueDepths.Depth.CheckFailed} with the
 * reason, never zero and never "no such queue".
 */
public final class SqsQueueDepths implements QueueDepths {
    /** Environment variable holding the poller dead-letter queue's URL. */
    public static final String POLLER_DLQ_URL = "RELAY_POLLER_DLQ_URL";
    /** Environment variable holding the stream-failure queue's URL. */
    public static final String STREAM_FAILURE_QUEUE_URL = "RELAY_STREAM_FAILURE_QUEUE_URL";

    private static final List<QueueAttributeName> COUNTS = List.of(
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE);

    private final SqsClient sqs;
    private final String pollerDlqUrl;
    private final String streamFailureQueueUrl;

    /**
     * @param pollerDlqUrl          the poller DLQ's URL, or null when not configured
     * @param streamFailureQueueUrl the stream-failure queue's URL, or null when not configured
     */
    public SqsQueueDepths(SqsClient sqs, String pollerDlqUrl, String streamFailureQueueUrl) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.pollerDlqUrl = blankToNull(pollerDlqUrl);
        this.streamFailureQueueUrl = blankToNull(streamFailureQueueUrl);
    }

    /** The queues named by {@value #POLLER_DLQ_URL} and {@value #STREAM_FAILURE_QUEUE_URL}. */
    public static SqsQueueDepths fromEnv(SqsClient sqs, Env env) {
        return new SqsQueueDepths(sqs, env.optional(POLLER_DLQ_URL, null), env.optional(STREAM_FAILURE_QUEUE_URL, null));
    }

    @Override
    public Depth pollerDeadLetters() {
        return depth(pollerDlqUrl, POLLER_DLQ_URL);
    }

    @Override
    public Depth streamFailures() {
        return depth(streamFailureQueueUrl, STREAM_FAILURE_QUEUE_URL);
    }

    private Depth depth(String url, String variable) {
        if (url == null) {
            return new Depth.CheckFailed(variable + " is not set");
        }
        Map<QueueAttributeName, String> attributes;
        try {
            attributes = sqs.getQueueAttributes(request -> request.queueUrl(url).attributeNames(COUNTS)).attributes();
        } catch (SdkException e) {
            return new Depth.CheckFailed("could not read " + url + ": " + e.getMessage());
        }
        long total = 0;
        for (QueueAttributeName name : COUNTS) {
            String value = attributes.get(name);
            if (value == null) {
                return new Depth.CheckFailed(url + " did not report " + name);
            }
            total += Long.parseLong(value);
        }
        return new Depth.Known(total);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
