package com.runwayrelay.runway.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.domain.RunwayStatus;
import com.runwayrelay.domain.Violation;
import com.runwayrelay.domain.runway.RunwayGateway;
import com.runwayrelay.domain.runway.WorkflowRuns;
import com.runwayrelay.runway.CreatedTask;
import com.runwayrelay.runway.Json;
import com.runwayrelay.runway.RunwayClient;
import com.runwayrelay.runway.RunwayException;
import com.runwayrelay.runway.Task;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * {@link RunwayGateway} over {@link RunwayClient}: maps the client's typed exceptions onto the
 * outcomes the domain reacts to. A 401/403 on create is reported as {@code Unavailable} (our
 * key is wrong; nothing was created and fixing the key makes a later try work).
 */
public final class RunwayClientGateway implements RunwayGateway {

    private final RunwayClient client;

    public RunwayClientGateway(RunwayClient client) {
        this.client = client;
    }

    @Override
    public CreateOutcome create(String endpoint, String requestJson) {
        ObjectNode body;
        try {
            JsonNode parsed = Json.MAPPER.readTree(requestJson);
            if (!(parsed instanceof ObjectNode object)) {
                return new CreateOutcome.Rejected("the stored request is not a JSON object", List.of());
            }
            body = object;
        } catch (JsonProcessingException e) {
            return new CreateOutcome.Rejected("the stored request is not valid JSON", List.of());
        }
        try {
            CreatedTask created = WorkflowRuns.isRun(endpoint)
                    ? client.runWorkflow(WorkflowRuns.workflowId(endpoint).orElseThrow(), body)
                    : client.createTask(endpoint, body);
            return new CreateOutcome.Created(created.id(), credits(created.estimatedCredits()), created.routingJson());
        } catch (RunwayException.BadRequest e) {
            return new CreateOutcome.Rejected(e.runwayError().orElse(e.getMessage()), e.issues().stream()
                    .map(i -> new Violation(i.path(), i.code(), i.message())).toList());
        } catch (RunwayException.RateLimited e) {
            return new CreateOutcome.Unavailable(e.dailyQuota() ? "daily quota reached" : "rate limited",
                    e.retryAfter().orElse(null));
        } catch (RunwayException.Transient e) {
            return new CreateOutcome.Unavailable("Runway unreachable", e.retryAfter().orElse(null));
        } catch (RunwayException.Authentication e) {
            return new CreateOutcome.Unavailable("Runway refused the gateway's key", null);
        } catch (RunwayException.NotFound e) {
            // A routed generation's 404 is about its configId (router_config_not_found), not the endpoint.
            return new CreateOutcome.Rejected(endpoint.startsWith("generate/")
                    ? e.runwayError().orElse("Runway knows no such router configuration")
                    : "Runway does not know the endpoint " + endpoint, List.of());
        } catch (RunwayException.Ambiguous | RunwayException.InvalidResponse e) {
            return new CreateOutcome.Ambiguous(e.getMessage());
        }
    }

    @Override
    public ReadOutcome get(String runwayTaskId) {
        try {
            Task task = client.getTask(runwayTaskId);
            return new ReadOutcome.Found(switch (task) {
                case Task.Pending p -> view(p.id(), RunwayStatus.PENDING, null, List.of(), null, null, null);
                case Task.Throttled t -> view(t.id(), RunwayStatus.THROTTLED, null, List.of(), null, null, null);
                case Task.Running r -> view(r.id(), RunwayStatus.RUNNING, r.progress(), List.of(), null, null, null);
                case Task.Succeeded s -> view(s.id(), RunwayStatus.SUCCEEDED, 1.0, s.output(), s.costCredits(), null, null);
                case Task.Failed f -> view(f.id(), RunwayStatus.FAILED, null, List.of(), f.costCredits(), f.failure(),
                        f.failureCode());
                case Task.Cancelled c -> view(c.id(), RunwayStatus.CANCELLED, null, List.of(), c.costCredits(), null, null);
                case Task.Unknown u -> view(u.id(), RunwayStatus.fromWire(u.status()), null, List.of(), null, null, null);
            });
        } catch (RunwayException.NotFound e) {
            return new ReadOutcome.Gone();
        } catch (RunwayException.RateLimited e) {
            return new ReadOutcome.Unavailable("rate limited", e.retryAfter().orElse(null));
        } catch (RunwayException.Transient e) {
            return new ReadOutcome.Unavailable("Runway unreachable", e.retryAfter().orElse(null));
        } catch (RunwayException e) {
            return new ReadOutcome.Unavailable(e.getClass().getSimpleName() + ": " + e.getMessage(), null);
        }
    }

    @Override
    public ReadOutcome get(String endpoint, String runwayId) {
        if (!WorkflowRuns.isRun(endpoint)) {
            return get(runwayId);
        }
        try {
            return new ReadOutcome.Found(WorkflowInvocationView.of(client.getWorkflowInvocation(runwayId)));
        } catch (RunwayException.NotFound e) {
            return new ReadOutcome.Gone();
        } catch (RunwayException.RateLimited e) {
            return new ReadOutcome.Unavailable("rate limited", e.retryAfter().orElse(null));
        } catch (RunwayException.Transient e) {
            return new ReadOutcome.Unavailable("Runway unreachable", e.retryAfter().orElse(null));
        } catch (RunwayException e) {
            return new ReadOutcome.Unavailable(e.getClass().getSimpleName() + ": " + e.getMessage(), null);
        } catch (IllegalArgumentException e) {
            return new ReadOutcome.Unavailable("Runway's invocation could not be read: " + e.getMessage(), null);
        }
    }

    @Override
    public CancelOutcome cancel(String runwayTaskId) {
        try {
            client.deleteTask(runwayTaskId);
            return new CancelOutcome.Done();
        } catch (RunwayException.NotFound e) {
            return new CancelOutcome.Done();
        } catch (RunwayException.RateLimited e) {
            return new CancelOutcome.Unavailable("rate limited", e.retryAfter().orElse(null));
        } catch (RunwayException e) {
            return new CancelOutcome.Unavailable(e.getClass().getSimpleName() + ": " + e.getMessage(), null);
        }
    }

    private static RunwayTask view(String id, RunwayStatus status, Double progress, List<String> output,
                                   BigDecimal cost, String failure, String failureCode) {
        return new RunwayTask(id, status, progress, output, credits(cost), failure, failureCode);
    }

    /** Credits as whole numbers, rounded up: a budget never under-reserves. */
    private static Long credits(BigDecimal value) {
        return value == null ? null : value.setScale(0, RoundingMode.CEILING).longValueExact();
    }
}
