package com.runwayrelay.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Turns an HTTP request into the event API Gateway HTTP APIs send a Lambda integration with payload
 * format 2.0: lower-case header names with repeated headers joined by commas, cookies moved to
 * {@code cookies}, decoded query parameters (repeats joined by commas), path parameters of the
 * matched route, the {@code X-Forwarded-*} headers API Gateway adds, and a body that is text for
 * textual content types and base64 ({@code isBase64Encoded}) otherwise.
 */
final class HttpApiEvents {
    static final String API_ID = "local";
    static final String ACCOUNT_ID = "000000000000";
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private HttpApiEvents() {
    }

    /**
     * An HTTP request as the front received it.
     *
     * @param method     upper-case method
     * @param rawPath    percent-encoded path without the query
     * @param rawQuery   percent-encoded query without {@code ?}, or null
     * @param headers    header names and values in arrival order; names in any case
     * @param body       the body bytes (empty when none)
     * @param sourceIp   the client's address
     * @param protocol   e.g. {@code HTTP/1.1}
     * @param port       the port the front listens on
     */
    record Request(String method, String rawPath, String rawQuery, List<Map.Entry<String, String>> headers, byte[] body,
                   String sourceIp, String protocol, int port) {
        Request {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(rawPath, "rawPath");
            headers = List.copyOf(headers);
            body = body == null ? new byte[0] : body;
        }
    }

    /** The payload 2.0 event for a request on a matched route. */
    static APIGatewayV2HTTPEvent toEvent(Request request, RouteTable.Match match, String requestId, Instant now) {
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        for (Map.Entry<String, String> header : request.headers()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            String value = header.getValue();
            if (name.equals("cookie")) {
                for (String cookie : value.split(";")) {
                    if (!cookie.isBlank()) {
                        cookies.add(cookie.trim());
                    }
                }
                continue;
            }
            headers.merge(name, value, (first, next) -> first + "," + next);
        }
        headers.merge("x-forwarded-for", request.sourceIp(), (first, next) -> first + ", " + next);
        headers.put("x-forwarded-port", String.valueOf(request.port()));
        headers.put("x-forwarded-proto", "http");
        String host = headers.getOrDefault("host", "localhost:" + request.port());

        boolean text = isText(headers.get("content-type"));
        String body = null;
        if (request.body().length > 0) {
            body = text ? new String(request.body(), StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(request.body());
        }
        String rawQuery = request.rawQuery() == null ? "" : request.rawQuery();
        Map<String, String> query = queryParameters(rawQuery);

        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(match.route().routeKey())
                .withRawPath(request.rawPath())
                .withRawQueryString(rawQuery)
                .withCookies(cookies.isEmpty() ? null : cookies)
                .withHeaders(headers)
                .withQueryStringParameters(query.isEmpty() ? null : query)
                .withPathParameters(match.pathParameters().isEmpty() ? null : new LinkedHashMap<>(match.pathParameters()))
                .withBody(body)
                .withIsBase64Encoded(body != null && !text)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withAccountId(ACCOUNT_ID)
                        .withApiId(API_ID)
                        .withDomainName(host)
                        .withDomainPrefix(host.split("[.:]", 2)[0])
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(request.method())
                                .withPath(request.rawPath())
                                .withProtocol(request.protocol())
                                .withSourceIp(request.sourceIp())
                                .withUserAgent(headers.get("user-agent"))
                                .build())
                        .withRequestId(requestId)
                        .withRouteKey(match.route().routeKey())
                        .withStage("$default")
                        .withTime(REQUEST_TIME.format(now))
                        .withTimeEpoch(now.toEpochMilli())
                        .build())
                .build();
    }

    /** Whether API Gateway passes a body of this content type as text rather than base64. */
    static boolean isText(String contentType) {
        if (contentType == null) {
            // API Gateway treats a body without a content type as text; clients that send binary say so.
            return true;
        }
        String type = contentType.toLowerCase(Locale.ROOT).split(";", 2)[0].trim();
        return type.startsWith("text/") || type.endsWith("/json") || type.endsWith("+json") || type.endsWith("/xml")
                || type.endsWith("+xml") || type.equals("application/javascript") || type.equals("application/x-www-form-urlencoded");
    }

    private static Map<String, String> queryParameters(String rawQuery) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            parameters.merge(name, value, (first, next) -> first + "," + next);
        }
        return parameters;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformedEscape) {
            return text;
        }
    }
}
