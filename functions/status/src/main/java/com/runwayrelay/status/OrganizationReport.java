package com.runwayrelay.status;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.aws.gateway.ApiResponse;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.gateway.UsageLedger;
import com.runwayrelay.domain.gateway.UsageLedger.DailyUsage;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code GET /v1/organization}, answered for the calling app in Runway's shape: the app's credits
 * left today as {@code creditBalance}; as {@code tier}, the daily budget spread over 30 days and,
 * per model, the app's active-task limit; as {@code usage}, its tasks per model today. The
 * gateway's own numbers are under {@code relay}, including today's possible orphans (creates that may
 * have made a billed Runway task nobody can see; their estimate counts in {@code usedCredits}) and the
 * app's ambiguous-create policy. Days are UTC days.
 */
final class OrganizationReport {
    private final UsageLedger ledger;
    private final Clock clock;

    OrganizationReport(UsageLedger ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    ApiResponse get(App app) {
        LocalDate day = UsageLedger.dayOf(clock.instant());
        DailyUsage usage = ledger.usage(app.id(), day);
        int active = ledger.activeSlots(app.id()).size();
        long remaining = Math.max(0, app.dailyCreditBudget() - usage.usedCredits());

        ObjectNode body = ApiResponse.JSON.createObjectNode();
        body.put("creditBalance", remaining);
        ObjectNode tier = body.putObject("tier");
        tier.put("maxMonthlyCreditSpend", app.dailyCreditBudget() * 30);
        ObjectNode limits = tier.putObject("models");
        ObjectNode used = body.putObject("usage").putObject("models");
        Set<String> models = new TreeSet<>(app.allowedModels());
        models.addAll(usage.tasksByModel().keySet());
        for (String model : models) {
            limits.putObject(model).put("maxConcurrentGenerations", app.maxActiveTasks()).putNull("maxDailyGenerations");
            used.putObject(model).put("dailyGenerations", usage.tasksByModel().getOrDefault(model, 0L));
        }
        ObjectNode relay = body.putObject("relay");
        relay.put("appId", app.id());
        relay.put("name", app.name());
        relay.put("day", day.toString());
        relay.put("resetsAt", day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toString());
        relay.put("dailyCreditBudget", app.dailyCreditBudget());
        relay.put("usedCredits", usage.usedCredits());
        relay.put("remainingCredits", remaining);
        relay.put("tasksToday", usage.tasks());
        relay.put("possibleOrphansToday", usage.possibleOrphans());
        relay.put("possibleOrphanCreditsToday", usage.possibleOrphanCredits());
        relay.put("ambiguousCreates", app.ambiguousCreates().wireName());
        relay.put("activeTasks", active);
        relay.put("maxActiveTasks", app.maxActiveTasks());
        ArrayNode endpoints = relay.putArray("allowedEndpoints");
        new TreeSet<>(app.allowedEndpoints()).forEach(endpoints::add);
        ArrayNode allowed = relay.putArray("allowedModels");
        new TreeSet<>(app.allowedModels()).forEach(allowed::add);
        return ApiResponse.json(200, body);
    }
}
