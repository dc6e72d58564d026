package com.runwayrelay.status;

import com.runwayrelay.aws.log.JsonLog;
import com.runwayrelay.domain.metrics.Metrics;
import com.runwayrelay.domain.metrics.RelayMetric;
import com.runwayrelay.domain.owned.ResourceKind;
import java.util.Objects;

/**
 * Tells the operator about a create that may have left a resource at Runway that no app owns: logs
 * {@code <kind>.possible_orphan} (error level, with the app, the reason and Runway's id when known) and
 * records 1 of {@link RelayMetric#POSSIBLE_ORPHANS} for the kind, which the template's
 * {@code PossibleOrphansAlarm} watches. The operator then looks with {@code GET /admin/v1/orphans/{kind}}.
 */
final class PossibleOrphans {
    private final JsonLog log;
    private final Metrics metrics;

    PossibleOrphans(JsonLog log, Metrics metrics) {
        this.log = Objects.requireNonNull(log, "log");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /**
     * @param idField  the log field that carries Runway's id, e.g. {@code runwayDocumentId}
     * @param runwayId Runway's id of the resource, or null when its answer was lost
     */
    void report(ResourceKind kind, String appId, String reason, String idField, String runwayId) {
        JsonLog.Event event = log.event(kind.wireName() + ".possible_orphan").appId(appId).field("reason", reason);
        if (runwayId != null) {
            event.field(idField, runwayId);
        }
        event.error();
        metrics.record(RelayMetric.POSSIBLE_ORPHANS, 1, kind.wireName());
    }
}
