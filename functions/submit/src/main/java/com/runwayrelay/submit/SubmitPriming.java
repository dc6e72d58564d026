package com.runwayrelay.submit;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.runwayrelay.aws.priming.PrimingApps;
import com.runwayrelay.aws.priming.PrimingRequest;
import com.runwayrelay.catalog.Catalog;
import com.runwayrelay.domain.app.AppRepository;
import com.runwayrelay.domain.gateway.AppAuthenticator;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.crac.Context;
import org.crac.Resource;

/**
 * SnapStart priming of the submit function: run by the Lambda runtime just before it snapshots an
 * initialized environment ({@link #beforeCheckpoint}), so that a restored environment's first
 * request finds the code it needs loaded and partly compiled instead of loading it then.
 *
 * <p>What it does, and nothing else:
 * <ol>
 *   <li>compiles every model's schema ({@link Catalog#compileAll()}) and checks a sample
 *       {@code text_to_image} body through the function's own {@link RequestBody} parser and
 *       {@link RequestCheck} (pure: no media, no callback, no owned resource, so no lookup);</li>
 *   <li>sends the submit API one request that stays read-only: {@code POST /v1/text_to_image} with a
 *       well-formed app key no app has ({@link PrimingRequest}). That runs event decoding from the
 *       invocation's bytes, routing, key hashing, one DynamoDB {@code GetItem} (through the real
 *       repository, SDK client and credentials) and the 401 problem response, written as the stream
 *       handler writes it. An unknown key writes nothing: {@link AppAuthenticator} does not cache it and
 *       {@code DynamoDbAppRepository.findByKeyHash} is a single consistent read.</li>
 * </ol>
 *
 * <p><b>No side effects.</b> No Runway call, no DynamoDB or S3 write, no log line, no metric: the request
 * goes to an API instance of its own whose authenticator reads apps through {@link PrimingApps}, which catches a
 * failed read (DynamoDB unreachable while the snapshot is taken) and answers "unknown" instead of letting it
 * reach {@code AppEdge}, which would log it; and that API is not wrapped in the metrics flush (the 401 path
 * records no metric anyway). <b>Never fails:</b> whatever goes wrong is kept in {@link Outcome#failures()}
 * and priming carries on, since a failing hook would cost the version its snapshot.
 *
 * <p><b>{@link #afterRestore} does nothing</b>, because nothing primed here is bound to the environment that
 * took the snapshot: credentials are asked of the provider per request (the SDK refreshes expired ones); the
 * app looked up was unknown, so no app is cached; and the one HTTP connection opened (the SDK's
 * {@code UrlConnectionHttpClient}, i.e. the JDK's {@code HttpURLConnection} keep-alive cache) is not trusted
 * after a restore: the JDK drops a cached connection idle for longer than its keep-alive time (5 s unless the
 * server says otherwise) when it is next asked for one, and a restore comes minutes after the snapshot; should
 * one still fail, the JDK retries the request once on a fresh connection and the SDK's retry policy covers
 * the rest. The JDK {@code HttpClient} used for Runway is never called here, so it has no connection to go
 * stale.
 */
final class SubmitPriming implements Resource {
    /** The endpoint and body of the sample checked; the model most apps use. */
    static final String SAMPLE_ENDPOINT = "text_to_image";
    static final String SAMPLE_BODY = "{\"model\":\"gen4_image\",\"promptText\":\"A lighthouse on a cliff at dawn\","
            + "\"ratio\":\"1920:1080\"}";
    /** The read-only request: a create with a well-formed key no app has ({@link PrimingApps#UNKNOWN_KEY}). */
    static final PrimingRequest REQUEST = new PrimingRequest("POST /v1/" + SAMPLE_ENDPOINT, "/v1/" + SAMPLE_ENDPOINT,
            Map.of(), SAMPLE_BODY);

    private final Catalog catalog;
    private final RequestCheck check;
    private final Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> api;
    private final PrimingApps apps;
    private final Clock clock;

    /**
     * @param api builds the submit API with the authenticator given; it must not be wrapped in the metrics flush
     * @param apps the function's app repository (read once, for the unknown key)
     */
    SubmitPriming(Catalog catalog, RequestCheck check, AppRepository apps, Clock clock,
                  Function<AppAuthenticator, Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> api) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.check = Objects.requireNonNull(check, "check");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.apps = new PrimingApps(apps);
        this.api = api.apply(this.apps.authenticator(clock));
    }

    /** What one priming did. */
    record Outcome(boolean schemasCompiled, boolean sampleAccepted, int status, List<String> failures) {
        Outcome {
            failures = List.copyOf(failures);
        }
    }

    /** Primes ({@link #prime()}); never throws, so the snapshot is taken whatever happened. */
    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    /** Nothing to redo: see the class comment. */
    @Override
    public void afterRestore(Context<? extends Resource> context) {
    }

    /** Runs the priming steps, each on its own: one failing does not skip the next. Never throws. */
    Outcome prime() {
        List<String> failures = new ArrayList<>();
        boolean compiled = false;
        boolean accepted = false;
        int status = 0;
        try {
            catalog.compileAll();
            compiled = true;
        } catch (RuntimeException | LinkageError e) {
            failures.add("schemas: " + e);
        }
        try {
            if (RequestBody.parse(SAMPLE_BODY) instanceof RequestBody.Parsed.Ok ok) {
                Instant now = clock.instant();
                RequestCheck.Result result = check.check(PrimingApps.sampleApp(now), SAMPLE_ENDPOINT, ok.body(), now);
                catalog.estimateCredits(SAMPLE_ENDPOINT, result.forward());
                accepted = result.violations().isEmpty();
            }
        } catch (RuntimeException | LinkageError e) {
            failures.add("sample body: " + e);
        }
        try {
            status = REQUEST.sendTo(api);
        } catch (IOException | RuntimeException | LinkageError e) {
            failures.add("request: " + e);
        }
        apps.failure().ifPresent(e -> failures.add("app lookup: " + e));
        return new Outcome(compiled, accepted, status, failures);
    }
}
