package com.runwayrelay.bench.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The soak's fault proxy against a loopback stand-in for an emulator that records what reaches it. */
class FaultProxyIT {
    private HttpServer upstream;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private FaultProxy proxy;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void startUpstream() throws IOException {
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        upstream.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " host=" + exchange.getRequestHeaders().getFirst("Host")
                    + " x-amz-target=" + exchange.getRequestHeaders().getFirst("X-Amz-Target") + " body=" + body);
            byte[] answer = ("echo:" + body).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("x-amz-request-id", "upstream");
            exchange.sendResponseHeaders(201, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        upstream.start();
    }

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        upstream.stop(0);
    }

    private FaultProxy proxy(FaultProxy.Service service, FaultProxy.Rates rates) {
        proxy = FaultProxy.start(URI.create("http://127.0.0.1:" + upstream.getAddress().getPort()), service, rates, 42);
        proxy.faultsEnabled(true);
        return proxy;
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(proxy.endpoint().resolve(path)).header("X-Amz-Target", "DynamoDB_20120810.PutItem")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void forwardsRequestAndAnswerUnchanged_keepingTheHostHeader_whenNoFaultIsDrawn() throws Exception {
        proxy(FaultProxy.Service.DYNAMODB, FaultProxy.Rates.none());

        HttpResponse<String> response = post("/a/b?c=d", "{\"x\":1}");

        assertEquals(201, response.statusCode());
        assertEquals("echo:{\"x\":1}", response.body());
        assertEquals("upstream", response.headers().firstValue("x-amz-request-id").orElseThrow());
        assertEquals(List.of("POST /a/b?c=d host=127.0.0.1:" + proxy.endpoint().getPort()
                + " x-amz-target=DynamoDB_20120810.PutItem body={\"x\":1}"), received, "the signed Host header reaches the emulator as sent");
        assertEquals(1, proxy.forwarded());
    }

    @Test
    void forwardsEverything_whileFaultsAreDisabled() throws Exception {
        proxy(FaultProxy.Service.S3, new FaultProxy.Rates(1, 1, 1, 1)).faultsEnabled(false);

        assertEquals(201, post("/", "x").statusCode());
        assertEquals(0L, proxy.injected().values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void answersDynamoDbThrottling_thatTheSdkReadsAsAThrottlingError_withoutForwarding() {
        proxy(FaultProxy.Service.DYNAMODB, new FaultProxy.Rates(1, 0, 0, 0));
        try (DynamoDbClient dynamo = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                .endpointOverride(proxy.endpoint()).overrideConfiguration(c -> c.retryPolicy(RetryPolicy.none())).build()) {
            for (int i = 0; i < 6; i++) {
                DynamoDbException error = assertThrows(DynamoDbException.class, () -> dynamo.listTables());
                assertEquals(400, error.statusCode());
                assertTrue(error.isThrottlingException(), "the SDK retries it as throttling: " + error.awsErrorDetails().errorCode());
                assertTrue(List.of("ProvisionedThroughputExceededException", "ThrottlingException").contains(error.awsErrorDetails().errorCode()));
            }
        }
        assertEquals(List.of(), received);
        assertEquals(6L, proxy.injected().get(FaultProxy.Fault.THROTTLE));
    }

    @Test
    void answersS3SlowDownAndInternalError_inS3sXmlShape() {
        proxy(FaultProxy.Service.S3, new FaultProxy.Rates(1, 0, 0, 0));
        try (S3Client s3 = s3Client()) {
            S3Exception slowDown = assertThrows(S3Exception.class, () -> s3.listObjectsV2(r -> r.bucket("b")));
            assertEquals(503, slowDown.statusCode());
            assertEquals("SlowDown", slowDown.awsErrorDetails().errorCode());
            assertTrue(slowDown.isThrottlingException());
        }
        proxy.close();
        proxy(FaultProxy.Service.S3, new FaultProxy.Rates(0, 1, 0, 0));
        try (S3Client s3 = s3Client()) {
            S3Exception internal = assertThrows(S3Exception.class, () -> s3.listObjectsV2(r -> r.bucket("b")));
            assertEquals(500, internal.statusCode());
            assertEquals("InternalError", internal.awsErrorDetails().errorCode());
        }
        assertEquals(List.of(), received);
    }

    @Test
    void dropsTheConnection_beforeForwarding() {
        proxy(FaultProxy.Service.DYNAMODB, new FaultProxy.Rates(0, 0, 1, 0));

        assertThrows(IOException.class, () -> post("/", "lost"));

        assertEquals(List.of(), received, "nothing reached the emulator");
        assertEquals(1L, proxy.injected().get(FaultProxy.Fault.DROP_BEFORE));
    }

    @Test
    void dropsTheConnection_afterTheEmulatorAppliedTheRequest() {
        proxy(FaultProxy.Service.DYNAMODB, new FaultProxy.Rates(0, 0, 0, 1));

        assertThrows(IOException.class, () -> post("/", "applied"));

        assertEquals(1, received.size(), "the emulator applied it");
        assertTrue(received.getFirst().endsWith("body=applied"), received.toString());
        assertEquals(1L, proxy.injected().get(FaultProxy.Fault.DROP_AFTER));
    }

    @Test
    void drawsTheSameFaults_forTheSameSeed() throws Exception {
        List<Integer> first = statuses();
        proxy.close();
        received.clear();
        assertEquals(first, statuses());
        assertTrue(first.contains(201) && first.contains(400) && first.contains(500), first.toString());
    }

    private List<Integer> statuses() throws Exception {
        proxy(FaultProxy.Service.DYNAMODB, new FaultProxy.Rates(0.3, 0.3, 0, 0));
        List<Integer> statuses = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            statuses.add(post("/", "n" + i).statusCode());
        }
        return statuses;
    }

    private S3Client s3Client() {
        return S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                .endpointOverride(proxy.endpoint()).forcePathStyle(true)
                .overrideConfiguration(c -> c.retryPolicy(RetryPolicy.none())).build();
    }
}
