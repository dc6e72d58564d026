package com.runwayrelay.submit;

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
import java.util.Set;
import java.util.function.Function;

/**
 * The submit function's HTTP edge: authenticates the app, dispatches on the route API Gateway
 * matched ({@code POST /v1/uploads} or {@code POST /v1/<task endpoint>}) and turns the use
 * case's answer into an HTTP API response. An unexpected failure becomes a 500 problem; its cause
 * is logged without headers or body.
 */
final class SubmitApi implements Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    static final String UPLOADS = "POST /v1/uploads";
    private static final String TASK_PREFIX = "POST /v1/";
    private static final System.Logger LOG = System.getLogger(SubmitApi.class.getName());

    private final AppAuthenticator authenticator;
    private final Set<String> endpoints;
    private final SubmitTask submit;
    private final CreateUpload uploads;

    SubmitApi(AppAuthenticator authenticator, Set<String> endpoints, SubmitTask submit, CreateUpload uploads) {
        this.authenticator = authenticator;
        this.endpoints = Set.copyOf(endpoints);
        this.submit = submit;
        this.uploads = uploads;
    }

    @Override
    public APIGatewayV2HTTPResponse apply(APIGatewayV2HTTPEvent event) {
        Optional<Problem> raw = RequestBody.encodingProblem(event.getBody(), event.getIsBase64Encoded());
        // A refused body is never decoded: bad base64 would throw, and a huge one is not worth the copy.
        ApiRequest request = raw.isPresent()
                ? new ApiRequest(event.getRouteKey(), event.getHeaders(), "", event.getPathParameters())
                : HttpApiEvents.request(event);
        return HttpApiEvents.response(handle(request, raw));
    }

    /**
     * Answers a request.
     *
     * @param raw what is wrong with the body as it arrived (size, encoding), found before it was decoded
     */
    private ApiResponse handle(ApiRequest request, Optional<Problem> raw) {
        try {
            Optional<App> app = authenticator.authenticate(request.header("authorization"));
            if (app.isEmpty()) {
                return Problem.unauthorized().response();
            }
            String route = request.routeKey();
            boolean upload = route.equals(UPLOADS);
            String endpoint = route.startsWith(TASK_PREFIX) ? route.substring(TASK_PREFIX.length()) : "";
            if (!upload && !endpoints.contains(endpoint)) {
                return Problem.of(404, "not-found", "Not found", "No such route: " + route).response();
            }
            if (raw.isPresent()) {
                return raw.get().response();
            }
            if (RequestBody.parse(request.body()) instanceof RequestBody.Parsed.Refused refused) {
                return refused.problem().response();
            }
            if (upload) {
                return uploads.create(request.body());
            }
            return submit.submit(new SubmitCommand(app.get(), endpoint, request.header("idempotency-key"), request.body()));
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, request + " failed: " + e.getClass().getName() + ": " + e.getMessage());
            return Problem.internal().response();
        }
    }
}
