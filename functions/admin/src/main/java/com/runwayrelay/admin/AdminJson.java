package com.runwayrelay.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.aws.gateway.GatewayJson;
import com.runwayrelay.domain.Attempt;
import com.runwayrelay.domain.RunwayStatus;
import com.runwayrelay.domain.StateChange;
import com.runwayrelay.domain.OutputDelivery;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.delivery.DeliverTo;
import com.runwayrelay.domain.TaskListing;
import com.runwayrelay.domain.TaskPage;
import com.runwayrelay.domain.TaskSummary;
import com.runwayrelay.domain.WebhookDelivery;
import com.runwayrelay.domain.admin.AppView;
import com.runwayrelay.domain.admin.HealthReport;
import com.runwayrelay.domain.admin.MetricsOverview;
import com.runwayrelay.domain.admin.QueueDepths;
import com.runwayrelay.domain.admin.TaskAdministration;
import com.runwayrelay.domain.admin.UsageReport;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.metrics.RelayMetric;
import java.time.Instant;
import java.util.Map;
import java.util.TreeSet;

/** How the admin API shows the operator's resources (see docs/admin-api.md); never a key or secret. */
final class AdminJson {
    private AdminJson() {
    }

    /** An app. */
    static ObjectNode app(AppView view) {
        App app = view.app();
        ObjectNode node = GatewayJson.MAPPER.createObjectNode();
        node.put("id", app.id());
        node.put("name", app.name());
        node.put("dailyCreditBudget", app.dailyCreditBudget());
        node.put("maxActiveTasks", app.maxActiveTasks());
        ArrayNode endpoints = node.putArray("allowedEndpoints");
        new TreeSet<>(app.allowedEndpoints()).forEach(endpoints::add);
        ArrayNode models = node.putArray("allowedModels");
        new TreeSet<>(app.allowedModels()).forEach(models::add);
        node.put("defaultCallbackUrl", app.defaultCallbackUrl());
        ArrayNode workflows = node.putArray("allowedWorkflows");
        new TreeSet<>(app.allowedWorkflows()).forEach(workflows::add);
        ObjectNode ceilings = node.putObject("workflowCeilings");
        new java.util.TreeMap<>(app.workflowCeilings()).forEach(ceilings::put);
        node.put("ambiguousCreates", app.ambiguousCreates().wireName());
        node.put("allowUnsafeLatest", app.allowUnsafeLatest());
        ArrayNode routers = node.putArray("allowedRouterConfigs");
        new TreeSet<>(app.allowedRouterConfigs()).forEach(routers::add);
        node.put("disabled", app.disabled());
        node.put("webhookDisabled", app.webhookDisabled());
        node.put("keys", view.keys());
        node.put("createdAt", app.createdAt().toString());
        node.put("version", app.version());
        return node;
    }

    /** A page of task summaries: {@code data} and, unless it is the last page, {@code nextCursor}. */
    static ObjectNode page(TaskPage page) {
        ObjectNode node = GatewayJson.MAPPER.createObjectNode();
        ArrayNode data = node.putArray("data");
        page.tasks().forEach(task -> data.add(summary(task)));
        if (page.nextCursor() != null) {
            node.put("nextCursor", page.nextCursor());
        }
        return node;
    }

    /** What a list shows of a task. */
    static ObjectNode summary(TaskSummary t) {
        ObjectNode node = GatewayJson.MAPPER.createObjectNode();
        node.put("id", t.id());
        node.put("appId", t.appId());
        node.put("endpoint", t.endpoint());
        node.put("model", t.model());
        node.put("state", t.state().name());
        node.put("runwayStatus", RunwayStatus.wireOf(t.runwayStatus()));
        node.put("createdAt", t.createdAt().toString());
        node.put("updatedAt", text(t.updatedAt()));
        node.put("estimatedCredits", t.estimatedCredits());
        node.put("actualCredits", t.actualCredits());
        node.put("failureCode", t.failureCode());
        node.put("stateReason", t.stateReason());
        return node;
    }

    /** A task with everything the gateway knows, archived outputs with fresh links. */
    static ObjectNode details(TaskAdministration.TaskDetails details) {
        Task t = details.task();
        ObjectNode node = task(t);
        ArrayNode archive = node.putArray("archive");
        for (TaskAdministration.ArchivedOutput output : details.outputs()) {
            ObjectNode item = archive.addObject();
            item.put("key", output.record().key());
            item.put("size", output.record().size());
            item.put("sha256", output.record().sha256());
            item.put("contentType", output.record().contentType());
            item.put("url", output.link().url().toString());
            item.put("urlExpiresAt", output.link().expiresAt().toString());
        }
        return node;
    }

    /** A task as stored, without archive links (after a cancel or a redelivery). */
    static ObjectNode task(Task t) {
        ObjectNode node = summary(TaskSummary.of(t));
        node.put("version", t.version());
        node.set("request", json(t.request().json()));
        node.set("metadata", json(t.request().metadataJson()));
        node.put("idempotencyKey", t.request().idempotencyKey());
        node.put("callbackUrl", t.request().callbackUrl());
        node.put("runwayTaskId", t.runway().taskId());
        if (t.runway().progress() == null) {
            node.putNull("progress");
        } else {
            node.put("progress", t.runway().progress());
        }
        node.put("deadline", text(t.request().deadline()));
        node.put("failure", t.failure());
        node.put("possibleOrphanCredits", t.runway().possibleOrphanCredits());
        ArrayNode attempts = node.putArray("attempts");
        for (Attempt a : t.runway().attempts()) {
            ObjectNode item = attempts.addObject();
            item.put("number", a.number());
            item.put("runwayTaskId", a.runwayTaskId());
            item.put("startedAt", text(a.startedAt()));
            item.put("outcome", a.outcome() == null ? null : a.outcome().name());
            item.put("failureCode", a.failureCode());
            item.put("failure", a.failure());
        }
        ArrayNode archive = node.putArray("archive");
        t.archive().records().forEach(r -> archive.addObject().put("key", r.key()).put("size", r.size()).put("sha256", r.sha256())
                .put("contentType", r.contentType()));
        WebhookDelivery w = t.webhook();
        if (w == null) {
            node.putNull("webhook");
        } else {
            ObjectNode webhook = node.putObject("webhook");
            webhook.put("id", w.messageId());
            webhook.put("status", w.status().name());
            webhook.put("eventType", w.eventType());
            webhook.put("sequence", w.sequence());
            webhook.put("nextAt", text(w.nextAt()));
            ArrayNode tries = webhook.putArray("attempts");
            for (WebhookDelivery.DeliveryAttempt a : w.attempts()) {
                ObjectNode item = tries.addObject();
                item.put("at", text(a.at()));
                item.put("httpStatus", a.httpStatus());
                item.put("error", a.error());
            }
        }
        if (t.request().deliverTo() == null) {
            node.putNull("deliverTo");
        } else {
            node.set("deliverTo", deliverTo(t.request().deliverTo()));
        }
        ArrayNode deliveries = node.putArray("deliveries");
        for (OutputDelivery d : t.deliveries()) {
            ObjectNode item = deliveries.addObject();
            item.put("index", d.index());
            item.put("outcome", d.outcome().wireName());
            item.put("httpStatus", d.httpStatus());
            item.put("bytes", d.bytes());
            item.put("sha256", d.sha256());
            item.put("attempts", d.attempts());
            item.put("error", d.error());
            item.put("at", text(d.at()));
        }
        ArrayNode history = node.putArray("history");
        for (StateChange change : t.history()) {
            history.addObject().put("state", change.state().name()).put("at", change.at().toString())
                    .put("reason", change.reason());
        }
        return node;
    }

    /**
     * Where the task's outputs go ({@code relay.deliverTo}) as an operator may see it: each URL (or the
     * template) without its query, which holds the app's credential for its storage (a pre-signed
     * URL's signature), and {@code queryOmitted} saying whether there was one.
     */
    private static ObjectNode deliverTo(DeliverTo deliverTo) {
        ObjectNode node = GatewayJson.MAPPER.createObjectNode();
        if (deliverTo.template() != null) {
            node.put("template", withoutQuery(deliverTo.template()));
            node.put("queryOmitted", deliverTo.template().indexOf('?') >= 0);
        } else {
            ArrayNode urls = node.putArray("urls");
            deliverTo.urls().forEach(u -> urls.add(withoutQuery(u)));
            node.put("queryOmitted", deliverTo.urls().stream().anyMatch(u -> u.indexOf('?') >= 0));
        }
        return node;
    }

    private static String withoutQuery(String url) {
        int cut = url.indexOf('?');
        return cut < 0 ? url : url.substring(0, cut);
    }

    /** The usage report (see docs/admin-api.md). */
    static ObjectNode usage(UsageReport.Outcome.Report report) {
        ObjectNode node = GatewayJson.MAPPER.createObjectNode();
        node.put("from", report.from().toString());
        node.put("to", report.to().toString());
        ArrayNode days = node.putArray("days");
        for (UsageReport.AppDay day : report.days()) {
            ObjectNode item = days.addObject();
            item.put("day", day.day().toString());
            item.put("appId", day.appId());
            item.put("credits", day.credits());
            item.put("tasks", day.tasks());
            item.put("possibleOrphans", day.possibleOrphans());
            item.put("possibleOrphanCredits", day.possibleOrphanCredits());
            item.set("models", counts(day.models()));
        }
        ObjectNode totals = node.putObject("totals");
        totals.put("credits", report.totals().credits());
        totals.put("tasks", report.totals().tasks());
        totals.put("possibleOrphans", report.totals().possibleOrphans());
        totals.set("apps", counts(report.totals().apps()));
        totals.set("models", counts(report.totals().models()));
        return node;
    }

    /** The health report (see docs/admin-api.md). */
    static ObjectNode health(HealthReport.Health health) {
        ObjectNode node = GatewayJson.MAPPER.createObjectNode();
        node.put("asOf", health.asOf().toString());
        node.put("stuckAfterMinutes", health.stuckAfter().toMinutes());
        TaskListing.OpenTasks stuck = health.stuck();
        ObjectNode stuckNode = node.putObject("stuckTasks");
        stuckNode.put("count", stuck.count());
        ArrayNode oldest = stuckNode.putArray("oldest");
        stuck.oldest().forEach(task -> oldest.add(summary(task)));
        ObjectNode queues = node.putObject("queues");
        ArrayNode failedChecks = GatewayJson.MAPPER.createArrayNode();
        depth(queues, "pollerDeadLetters", health.pollerDeadLetters(), failedChecks);
        depth(queues, "streamFailures", health.streamFailures(), failedChecks);
        node.set("failedChecks", failedChecks);
        return node;
    }

    /** The metrics overview: every metric of the registry, each with its series that had data in the window. */
    static ObjectNode metrics(MetricsOverview.Overview overview) {
        ObjectNode node = GatewayJson.MAPPER.createObjectNode();
        node.put("start", overview.start().toString());
        node.put("end", overview.end().toString());
        node.put("period", overview.period().toSeconds());
        ArrayNode metrics = node.putArray("metrics");
        for (MetricsOverview.MetricView view : overview.metrics()) {
            RelayMetric metric = view.metric();
            ObjectNode m = metrics.addObject();
            m.put("name", metric.metricName());
            m.put("unit", metric.unit().cloudWatchName());
            ArrayNode dimensions = m.putArray("dimensions");
            metric.dimensions().forEach(d -> dimensions.add(d.name()));
            m.put("distribution", metric.distribution());
            ArrayNode series = m.putArray("series");
            for (MetricsOverview.SeriesView one : view.series()) {
                ObjectNode s = series.addObject();
                ObjectNode values = s.putObject("dimensions");
                one.dimensions().forEach(values::put);
                stats(s, one.totals(), metric.distribution());
                ArrayNode points = s.putArray("points");
                one.points().forEach(point -> stats(points.addObject().put("start", point.start().toString()),
                        point.stats(), metric.distribution()));
            }
        }
        return node;
    }

    private static void stats(ObjectNode node, MetricsOverview.Stats stats, boolean distribution) {
        number(node, "sum", stats.sum());
        node.put("count", stats.count());
        if (distribution) {
            number(node, "max", stats.max());
            number(node, "p50", stats.p50());
            number(node, "p95", stats.p95());
        }
    }

    /** A whole number without a fraction ({@code 3}, not {@code 3.0}); null stays null. */
    private static void number(ObjectNode node, String name, Double value) {
        if (value == null) {
            node.putNull(name);
        } else if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            node.put(name, value.longValue());
        } else {
            node.put(name, value);
        }
    }

    /**
     * A queue's depth under {@code queues.<name>}; one that cannot be told is null with its reason under
     * {@code queues.notAvailable.<name>}, and when that is because the read failed (not because the stack
     * has no such queue) {@code failedChecks} also names it, as {@code queues.<name>}.
     */
    private static void depth(ObjectNode queues, String name, QueueDepths.Depth depth, ArrayNode failedChecks) {
        switch (depth) {
            case QueueDepths.Depth.Known known -> queues.put(name, known.messages());
            case QueueDepths.Depth.NotAvailable absent -> notAvailable(queues, name, absent.reason());
            case QueueDepths.Depth.CheckFailed failed -> {
                notAvailable(queues, name, failed.reason());
                failedChecks.add("queues." + name);
            }
        }
    }

    private static void notAvailable(ObjectNode queues, String name, String reason) {
        queues.putNull(name);
        ObjectNode reasons = queues.get("notAvailable") instanceof ObjectNode existing ? existing
                : queues.putObject("notAvailable");
        reasons.put(name, reason);
    }

    private static ObjectNode counts(Map<String, UsageReport.Counts> counts) {
        ObjectNode node = GatewayJson.MAPPER.createObjectNode();
        new java.util.TreeMap<>(counts).forEach((name, c) -> node.putObject(name).put("credits", c.credits())
                .put("tasks", c.tasks()));
        return node;
    }

    /** Stored JSON text as a tree; text that is not JSON (it should not happen) as a string. */
    private static JsonNode json(String text) {
        if (text == null) {
            return GatewayJson.MAPPER.nullNode();
        }
        try {
            return GatewayJson.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return GatewayJson.MAPPER.getNodeFactory().textNode(text);
        }
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
