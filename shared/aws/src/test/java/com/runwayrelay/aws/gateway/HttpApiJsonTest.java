package com.runwayrelay.aws.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link HttpApiJson} against the Lambda runtime's own event serializer: what the HTTP API functions
 * read from the invocation's bytes must be what the runtime would have handed a typed handler.
 */
class HttpApiJsonTest {
    private static final Path EVENTS = Path.of("..", "..", "events");

    static Stream<Path> httpApiEvents() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String function : List.of("submit", "status", "admin")) {
            try (Stream<Path> listed = Files.list(EVENTS.resolve(function))) {
                listed.filter(f -> f.getFileName().toString().startsWith("apigw-")).sorted().forEach(files::add);
            }
        }
        return files.stream();
    }

    @ParameterizedTest
    @MethodSource("httpApiEvents")
    void readsEveryShippedEvent_asTheRuntimesSerializerDoes(Path file) throws IOException {
        byte[] json = Files.readAllBytes(file);

        APIGatewayV2HTTPEvent ours = HttpApiJson.read(new ByteArrayInputStream(json));

        assertEquals(runtime(json), ours, file.toString());
        assertNotNull(ours.getRequestContext().getHttp().getMethod(), "the fixtures are full events");
    }

    @Test
    void readsAuthorizersCookiesAndBase64Bodies_asTheRuntimesSerializerDoes() throws IOException {
        String json = """
                {"version":"2.0","routeKey":"POST /v1/uploads","rawPath":"/v1/uploads","rawQueryString":"a=1&b=2",
                 "cookies":["c1=v1","c2=v2"],"headers":{"x-n":"1"},"queryStringParameters":{"a":"1","b":"2"},
                 "pathParameters":{"id":"t-1"},"stageVariables":{"s":"v"},"body":"eyJhIjoxfQ==","isBase64Encoded":true,
                 "unknownTopLevel":{"ignored":true},
                 "requestContext":{"routeKey":"POST /v1/uploads","accountId":"1","stage":"$default","apiId":"x",
                   "domainName":"d","domainPrefix":"p","time":"t","timeEpoch":1796288400123,"requestId":"r",
                   "http":{"method":"POST","path":"/v1/uploads","protocol":"HTTP/1.1","sourceIp":"203.0.113.1","userAgent":"u"},
                   "authorizer":{"jwt":{"claims":{"sub":"me"},"scopes":["read","write"]},
                                 "lambda":{"tier":"gold","n":3,"nested":{"list":[1,"two",true,null]}},
                                 "iam":{"accessKey":"AK","accountId":"1","callerId":"C","principalOrgId":"o","userArn":"arn",
                                        "userId":"U","cognitoIdentity":{"amr":["authenticated"],"identityId":"i","identityPoolId":"p"}}},
                   "authentication":{"clientCert":{"clientCertPem":"pem"}}}}
                """;
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);

        APIGatewayV2HTTPEvent ours = HttpApiJson.read(new ByteArrayInputStream(bytes));

        assertEquals(runtime(bytes), ours);
        assertTrue(ours.getIsBase64Encoded());
        assertEquals(List.of("c1=v1", "c2=v2"), ours.getCookies());
        assertEquals("gold", ours.getRequestContext().getAuthorizer().getLambda().get("tier"));
        assertEquals("p", ours.getRequestContext().getAuthorizer().getIam().getCognitoIdentity().getIdentityPoolId());
    }

    @Test
    void readsScalarsAsText_andLeavesAbsentMembersNull() throws IOException {
        String json = """
                {"rawPath":"/v1/tasks/1","headers":{"content-length":42,"x-flag":true,"x-null":null},
                 "requestContext":{"timeEpoch":"1796288400000"}}
                """;
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);

        APIGatewayV2HTTPEvent ours = HttpApiJson.read(new ByteArrayInputStream(bytes));

        assertEquals(runtime(bytes), ours);
        assertEquals("42", ours.getHeaders().get("content-length"));
        assertEquals("true", ours.getHeaders().get("x-flag"));
        assertEquals(1796288400000L, ours.getRequestContext().getTimeEpoch());
        assertEquals(null, ours.getBody());
        assertFalse(ours.getIsBase64Encoded());
    }

    @Test
    void refusesInputThatIsNotAJsonObject() {
        for (String input : List.of("", "[]", "\"text\"", "{\"rawPath\":", "not json")) {
            assertThrows(JsonProcessingException.class,
                    () -> HttpApiJson.read(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8))), input);
        }
    }

    @Test
    void writesAnswersTheRuntimesSerializerReadsBackUnchanged() throws IOException {
        APIGatewayV2HTTPResponse full = APIGatewayV2HTTPResponse.builder()
                .withStatusCode(201)
                .withHeaders(Map.of("content-type", "application/json", "x-quote", "a \"b\" \\ \u00e9\n"))
                .withMultiValueHeaders(Map.of("vary", List.of("accept", "origin")))
                .withCookies(List.of("k=v; Path=/"))
                .withBody("{\"id\":\"t-1\",\"text\":\"\u2603\"}")
                .withIsBase64Encoded(false)
                .build();
        APIGatewayV2HTTPResponse bare = APIGatewayV2HTTPResponse.builder().withStatusCode(204).build();
        APIGatewayV2HTTPResponse encoded = APIGatewayV2HTTPResponse.builder()
                .withStatusCode(200).withBody("AAEC").withIsBase64Encoded(true).build();

        for (APIGatewayV2HTTPResponse response : List.of(full, bare, encoded)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            HttpApiJson.write(response, out);

            PojoSerializer<APIGatewayV2HTTPResponse> runtime =
                    LambdaEventSerializers.serializerFor(APIGatewayV2HTTPResponse.class, getClass().getClassLoader());
            assertEquals(response, runtime.fromJson(new ByteArrayInputStream(out.toByteArray())));
        }
    }

    @Test
    void writesTheMemberNamesApiGatewayReads_andLeavesOutNullMembers() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HttpApiJson.write(APIGatewayV2HTTPResponse.builder().withStatusCode(404).withBody("{}")
                .withHeaders(Map.of("content-type", "application/problem+json")).build(), out);

        JsonNode written = GatewayJson.MAPPER.readTree(out.toByteArray());

        assertEquals(404, written.get("statusCode").intValue());
        assertEquals("application/problem+json", written.get("headers").get("content-type").textValue());
        assertEquals("{}", written.get("body").textValue());
        assertFalse(written.get("isBase64Encoded").booleanValue());
        assertFalse(written.has("cookies") || written.has("multiValueHeaders"), written.toString());
    }

    @Test
    void streamHandler_decodesTheEventAndWritesTheTypedAnswer() throws IOException {
        byte[] event = Files.readAllBytes(EVENTS.resolve("status").resolve("apigw-get-task.json"));
        HttpApiStreamHandler handler = (request, context) -> APIGatewayV2HTTPResponse.builder()
                .withStatusCode(200)
                .withBody(request.getRouteKey() + " " + request.getPathParameters().get("id"))
                .build();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), out, (Context) null);

        APIGatewayV2HTTPEvent expected = runtime(event);
        JsonNode answer = GatewayJson.MAPPER.readTree(out.toByteArray());
        assertEquals(200, answer.get("statusCode").intValue());
        assertEquals(expected.getRouteKey() + " " + expected.getPathParameters().get("id"), answer.get("body").textValue());
    }

    private static APIGatewayV2HTTPEvent runtime(byte[] json) {
        PojoSerializer<APIGatewayV2HTTPEvent> serializer =
                LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, HttpApiJsonTest.class.getClassLoader());
        InputStream in = new ByteArrayInputStream(json);
        return serializer.fromJson(in);
    }
}
