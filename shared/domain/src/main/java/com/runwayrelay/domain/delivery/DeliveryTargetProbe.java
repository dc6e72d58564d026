package com.runwayrelay.domain.delivery;

import java.net.URI;
import java.util.Objects;

/**
 * Port: asks a {@code relay.deliverTo} URL, before the task is accepted, whether it would redirect.
 * The gateway never follows a redirect when it delivers, so a URL that redirects could never be
 * delivered to; finding out at submit time turns that into a 400 instead of a task whose outputs
 * are refused later. Adapters send a request that stores nothing (a HEAD) under the webhooks'
 * outbound rules (the vetted address pinned, no redirect followed, a short timeout) and report
 * every result as a {@link Probe} rather than throwing.
 */
@FunctionalInterface
public interface DeliveryTargetProbe {

    /** Probes {@code target}, an absolute URL that already passed the outbound rules' address check. */
    Probe probe(URI target);

    /** A probe that asks nothing and reports every target as answering: for callers that do not probe. */
    static DeliveryTargetProbe none() {
        return target -> new Probe.Answered(0);
    }

    /** What one probe learned. */
    sealed interface Probe {
        /**
         * Any answer but a redirect: the target is accepted. A pre-signed PUT URL typically answers a
         * HEAD with 403 (the signature covers PUT only), which says nothing against a PUT.
         */
        record Answered(int httpStatus) implements Probe {
        }

        /** A 3xx: the delivery would be refused, so the submission is. */
        record Redirected(int httpStatus) implements Probe {
        }

        /**
         * No answer (timeout, connection or TLS failure, a host that does not resolve now): the probe
         * cannot tell, so the target is accepted; the delivery retries such failures and records how
         * it ended.
         */
        record NoAnswer(String reason) implements Probe {
            public NoAnswer {
                Objects.requireNonNull(reason, "reason");
            }
        }
    }
}
