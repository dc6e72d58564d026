package com.runwayrelay.aws.gateway;

import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.gateway.AppAuthenticator;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.Optional;

/**
 * What every app-facing function's HTTP edge does around its routes, in one place: authenticates
 * the app by its {@code Authorization: Bearer} key (401 problem without one that is valid), hands
 * the request to the function's routes, and turns an unexpected failure into a 500 problem whose
 * cause is logged without headers or body (see {@link ApiRequest#toString}).
 */
public final class AppEdge {
    private static final System.Logger LOG = System.getLogger(AppEdge.class.getName());

    private final AppAuthenticator authenticator;

    public AppEdge(AppAuthenticator authenticator) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    }

    /** A function's routes: the answer to a request of an authenticated app. */
    @FunctionalInterface
    public interface Routes {
        ApiResponse answer(App app, ApiRequest request);
    }

    /** Answers {@code request} with {@code routes} once its app is authenticated; never throws. */
    public ApiResponse handle(ApiRequest request, Routes routes) {
        try {
            Optional<App> app = authenticator.authenticate(request.header("authorization"));
            if (app.isEmpty()) {
                return Problem.unauthorized().response();
            }
            return routes.answer(app.get(), request);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, request + " failed: " + e.getClass().getName() + ": " + e.getMessage());
            return Problem.internal().response();
        }
    }

    /** {@code 404 not-found} for a route this function does not serve. */
    public static ApiResponse noSuchRoute(String routeKey) {
        return Problem.of(404, "not-found", "Not found", "No such route: " + routeKey).response();
    }
}
