package com.runwayrelay.aws.gateway;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * An HTTP API function's entry point as the Lambda runtime calls it: with the invocation's bytes.
 * The event is read and the answer written by {@link HttpApiJson}, so the runtime never builds its
 * own event serializer (a cold-start cost, docs/BENCHMARKS.md). The typed method stays the one
 * tests and the local stack call.
 *
 * <p>With the template's {@code Class::handleRequest}, the runtime prefers this three-argument
 * overload (it ranks the longest signature first); without a method name it takes a
 * {@link RequestStreamHandler} before a {@code RequestHandler}.
 */
public interface HttpApiStreamHandler extends RequestStreamHandler {
    /** Handles one decoded event. */
    APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context);

    @Override
    default void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        HttpApiJson.write(handleRequest(HttpApiJson.read(input), context), output);
    }
}
