package com.runwayrelay.domain.admin;

import com.runwayrelay.domain.Violation;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an operator asked to set on an app (create or update). A null member was not given: on
 * create it takes its default, on update it stays as it is.
 *
 * @param name                  1–{@value AppAdministration#MAX_NAME_CHARS} printable characters
 * @param dailyCreditBudget     credits per UTC day
 * @param maxActiveTasks        non-terminal tasks at once
 * @param allowedEndpoints      endpoints the catalog knows; empty = all
 * @param allowedModels         models the catalog knows; empty = all
 * @param defaultCallbackUrl    the callback URL used when a request names none
 * @param clearsDefaultCallback true when the operator asked to remove the default callback URL
 *                              ({@code defaultCallbackUrl} is then null)
 * @param ambiguousCreates      {@code fail} or {@code retry-once}
 * @param allowUnsafeLatest     whether recipes may run at {@code version: "unsafe-latest"}
 * @param allowedWorkflows      published Runway workflow ids the app may list, read and run (replacing the set)
 * @param workflowCeilings      per workflow id, the credits one run reserves (replacing the map)
 * @param allowedRouterConfigs  Model Router slugs the app may generate through (replaces the set)
 * @param unreadable            violations found while reading the request (wrong types, unknown
 *                              members); the use case reports them together with its own
 */
public record AppChanges(String name, Long dailyCreditBudget, Integer maxActiveTasks, Set<String> allowedEndpoints,
                         Set<String> allowedModels, String defaultCallbackUrl, boolean clearsDefaultCallback,
                         String ambiguousCreates, Boolean allowUnsafeLatest, Set<String> allowedWorkflows,
                         Map<String, Long> workflowCeilings, Set<String> allowedRouterConfigs,
                         List<Violation> unreadable) {
    public AppChanges {
        allowedWorkflows = allowedWorkflows == null ? null : Set.copyOf(allowedWorkflows);
        workflowCeilings = workflowCeilings == null ? null : Map.copyOf(workflowCeilings);
        allowedEndpoints = allowedEndpoints == null ? null : Set.copyOf(allowedEndpoints);
        allowedRouterConfigs = allowedRouterConfigs == null ? null : Set.copyOf(allowedRouterConfigs);
        allowedModels = allowedModels == null ? null : Set.copyOf(allowedModels);
        unreadable = unreadable == null ? List.of() : List.copyOf(unreadable);
    }

    /** Changes that leave the app's unsafe-latest choice, workflows and router configurations as they are. */
    public AppChanges(String name, Long dailyCreditBudget, Integer maxActiveTasks, Set<String> allowedEndpoints,
                      Set<String> allowedModels, String defaultCallbackUrl, boolean clearsDefaultCallback,
                      String ambiguousCreates, List<Violation> unreadable) {
        this(name, dailyCreditBudget, maxActiveTasks, allowedEndpoints, allowedModels, defaultCallbackUrl,
                clearsDefaultCallback, ambiguousCreates, null, null, null, null, unreadable);
    }

    /** Whether no member was given at all. */
    boolean empty() {
        return name == null && dailyCreditBudget == null && maxActiveTasks == null && allowedEndpoints == null
                && allowedModels == null && defaultCallbackUrl == null && !clearsDefaultCallback
                && ambiguousCreates == null && allowUnsafeLatest == null && allowedWorkflows == null
                && workflowCeilings == null && allowedRouterConfigs == null;
    }
}
