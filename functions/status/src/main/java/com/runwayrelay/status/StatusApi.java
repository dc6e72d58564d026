package com.runwayrelay.status;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.runwayrelay.aws.gateway.ApiRequest;
import com.runwayrelay.aws.gateway.ApiResponse;
import com.runwayrelay.aws.gateway.HttpApiEvents;
import com.runwayrelay.aws.gateway.Problem;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.gateway.AppAuthenticator;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.function.Function;

/**
 * The status function's HTTP edge: authenticates the app, dispatches on the route API Gateway
 * matched and turns the use case's answer into an HTTP API response. An unexpected failure
 * becomes a 500 problem; its cause is logged without headers.
 */
final class StatusApi implements Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    static final String GET_TASK = "GET /v1/tasks/{id}";
    static final String DELETE_TASK = "DELETE /v1/tasks/{id}";
    static final String ORGANIZATION = "GET /v1/organization";
    /** Task ids are UUIDs; anything far from an id is not looked up at all. */
    private static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final System.Logger LOG = System.getLogger(StatusApi.class.getName());

    private final AppAuthenticator authenticator;
    private final TaskReads reads;
    private final TaskDeletion deletion;
    private final OrganizationReport organization;

    StatusApi(AppAuthenticator authenticator, TaskReads reads, TaskDeletion deletion, OrganizationReport organization) {
        this.authenticator = authenticator;
        this.reads = reads;
        this.deletion = deletion;
        this.organization = organization;
    }

    @Override
    public APIGatewayV2HTTPResponse apply(APIGatewayV2HTTPEvent event) {
        return HttpApiEvents.response(handle(HttpApiEvents.request(event)));
    }

    ApiResponse handle(ApiRequest request) {
        try {
            Optional<App> app = authenticator.authenticate(request.header("authorization"));
            if (app.isEmpty()) {
                return Problem.unauthorized().response();
            }
            String id = request.pathParameter("id");
            return switch (request.routeKey()) {
                case ORGANIZATION -> organization.get(app.get());
                case GET_TASK -> validId(id) ? reads.get(app.get(), id) : Problem.taskNotFound().response();
                case DELETE_TASK -> validId(id) ? deletion.delete(app.get(), id) : Problem.taskNotFound().response();
                default -> Problem.of(404, "not-found", "Not found", "No such route: " + request.routeKey()).response();
            };
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, request + " failed: " + e.getClass().getName() + ": " + e.getMessage());
            return Problem.internal().response();
        }
    }

    private static boolean validId(String id) {
        return id != null && TASK_ID.matcher(id).matches();
    }
}
