package com.runwayrelay.aws.gateway;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON of an API Gateway HTTP API event (payload format 2.0) and of its answer, read and written
 * with the gateway's own mapper ({@link GatewayJson#MAPPER}) instead of the Lambda runtime's event
 * serializer.
 *
 * <p>Why: a handler the runtime gives typed events makes it build its serializer (a shaded Jackson
 * and mix-ins for the events library, about 800 classes) during init, and the first answer loads
 * more of it; the functions already carry a Jackson that has done its start-up. Reading fills the
 * same {@link APIGatewayV2HTTPEvent} the runtime would (every member of the events library's class,
 * unknown members ignored, {@code isBase64Encoded} under that name); the equivalence with the
 * runtime's serializer is tested on every event in {@code events/}.
 */
public final class HttpApiJson {
    private HttpApiJson() {
    }

    /**
     * Reads one event.
     *
     * @throws JsonProcessingException if the input is not JSON or not a JSON object (API Gateway
     *                                 never sends that; the invocation then fails, as with the runtime's serializer)
     */
    public static APIGatewayV2HTTPEvent read(InputStream input) throws IOException {
        JsonNode root = GatewayJson.MAPPER.readTree(input);
        if (root == null || !root.isObject()) {
            throw new JsonProcessingException("an HTTP API event must be a JSON object") {
            };
        }
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setVersion(text(root, "version"));
        event.setRouteKey(text(root, "routeKey"));
        event.setRawPath(text(root, "rawPath"));
        event.setRawQueryString(text(root, "rawQueryString"));
        event.setCookies(texts(root.get("cookies")));
        event.setHeaders(textMap(root.get("headers")));
        event.setQueryStringParameters(textMap(root.get("queryStringParameters")));
        event.setPathParameters(textMap(root.get("pathParameters")));
        event.setStageVariables(textMap(root.get("stageVariables")));
        event.setBody(text(root, "body"));
        event.setIsBase64Encoded(root.path("isBase64Encoded").asBoolean(false));
        JsonNode context = root.get("requestContext");
        if (context != null && context.isObject()) {
            event.setRequestContext(requestContext(context));
        }
        return event;
    }

    /** Writes one answer: members left {@code null} are left out, which API Gateway reads as absent. */
    public static void write(APIGatewayV2HTTPResponse response, OutputStream output) throws IOException {
        try (JsonGenerator json = GatewayJson.MAPPER.getFactory().createGenerator(output)) {
            json.writeStartObject();
            json.writeNumberField("statusCode", response.getStatusCode());
            if (response.getHeaders() != null) {
                json.writeObjectFieldStart("headers");
                for (Map.Entry<String, String> header : response.getHeaders().entrySet()) {
                    json.writeStringField(header.getKey(), header.getValue());
                }
                json.writeEndObject();
            }
            if (response.getMultiValueHeaders() != null) {
                json.writeObjectFieldStart("multiValueHeaders");
                for (Map.Entry<String, List<String>> header : response.getMultiValueHeaders().entrySet()) {
                    writeTexts(json, header.getKey(), header.getValue());
                }
                json.writeEndObject();
            }
            if (response.getCookies() != null) {
                writeTexts(json, "cookies", response.getCookies());
            }
            if (response.getBody() != null) {
                json.writeStringField("body", response.getBody());
            }
            json.writeBooleanField("isBase64Encoded", response.getIsBase64Encoded());
            json.writeEndObject();
        }
    }

    private static APIGatewayV2HTTPEvent.RequestContext requestContext(JsonNode node) throws IOException {
        APIGatewayV2HTTPEvent.RequestContext context = new APIGatewayV2HTTPEvent.RequestContext();
        context.setRouteKey(text(node, "routeKey"));
        context.setAccountId(text(node, "accountId"));
        context.setStage(text(node, "stage"));
        context.setApiId(text(node, "apiId"));
        context.setDomainName(text(node, "domainName"));
        context.setDomainPrefix(text(node, "domainPrefix"));
        context.setTime(text(node, "time"));
        context.setTimeEpoch(node.path("timeEpoch").asLong(0));
        context.setRequestId(text(node, "requestId"));
        JsonNode http = node.get("http");
        if (http != null && http.isObject()) {
            APIGatewayV2HTTPEvent.RequestContext.Http values = new APIGatewayV2HTTPEvent.RequestContext.Http();
            values.setMethod(text(http, "method"));
            values.setPath(text(http, "path"));
            values.setProtocol(text(http, "protocol"));
            values.setSourceIp(text(http, "sourceIp"));
            values.setUserAgent(text(http, "userAgent"));
            context.setHttp(values);
        }
        JsonNode authorizer = node.get("authorizer");
        if (authorizer != null && authorizer.isObject()) {
            context.setAuthorizer(authorizer(authorizer));
        }
        return context;
    }

    private static APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer(JsonNode node) throws IOException {
        APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer = new APIGatewayV2HTTPEvent.RequestContext.Authorizer();
        JsonNode jwt = node.get("jwt");
        if (jwt != null && jwt.isObject()) {
            APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT values = new APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT();
            values.setClaims(textMap(jwt.get("claims")));
            values.setScopes(texts(jwt.get("scopes")));
            authorizer.setJwt(values);
        }
        JsonNode lambda = node.get("lambda");
        if (lambda != null && lambda.isObject()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> values = GatewayJson.MAPPER.treeToValue(lambda, Map.class);
            authorizer.setLambda(values);
        }
        JsonNode iam = node.get("iam");
        if (iam != null && iam.isObject()) {
            APIGatewayV2HTTPEvent.RequestContext.IAM values = new APIGatewayV2HTTPEvent.RequestContext.IAM();
            values.setAccessKey(text(iam, "accessKey"));
            values.setAccountId(text(iam, "accountId"));
            values.setCallerId(text(iam, "callerId"));
            values.setPrincipalOrgId(text(iam, "principalOrgId"));
            values.setUserArn(text(iam, "userArn"));
            values.setUserId(text(iam, "userId"));
            JsonNode cognito = iam.get("cognitoIdentity");
            if (cognito != null && cognito.isObject()) {
                APIGatewayV2HTTPEvent.RequestContext.CognitoIdentity identity = new APIGatewayV2HTTPEvent.RequestContext.CognitoIdentity();
                identity.setAmr(texts(cognito.get("amr")));
                identity.setIdentityId(text(cognito, "identityId"));
                identity.setIdentityPoolId(text(cognito, "identityPoolId"));
                values.setCognitoIdentity(identity);
            }
            authorizer.setIam(values);
        }
        return authorizer;
    }

    /** A member as text: absent or {@code null} gives {@code null}; a number or boolean its text, as Jackson coerces scalars. */
    private static String text(JsonNode parent, String name) {
        return text(parent.get(name));
    }

    private static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isContainerNode()) {
            return null;
        }
        return node.asText();
    }

    private static List<String> texts(JsonNode node) {
        if (node == null || !node.isArray()) {
            return null;
        }
        List<String> values = new ArrayList<>(node.size());
        for (JsonNode element : node) {
            values.add(text(element));
        }
        return values;
    }

    private static Map<String, String> textMap(JsonNode node) {
        if (node == null || !node.isObject()) {
            return null;
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> member : node.properties()) {
            values.put(member.getKey(), text(member.getValue()));
        }
        return values;
    }

    private static void writeTexts(JsonGenerator json, String name, List<String> values) throws IOException {
        json.writeArrayFieldStart(name);
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }
}
