package com.runwayrelay.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.aws.gateway.GatewayJson;
import com.runwayrelay.domain.admin.AppView;
import com.runwayrelay.domain.app.App;
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
        node.put("ambiguousCreates", app.ambiguousCreates().wireName());
        node.put("disabled", app.disabled());
        node.put("webhookDisabled", app.webhookDisabled());
        node.put("keys", view.keys());
        node.put("createdAt", app.createdAt().toString());
        node.put("version", app.version());
        return node;
    }
}
