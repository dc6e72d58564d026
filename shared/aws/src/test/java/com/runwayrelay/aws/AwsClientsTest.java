package com.runwayrelay.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.aws.config.AwsSettings;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.HttpURLConnection;
import java.net.URI;
import javax.net.ssl.HttpsURLConnection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

class AwsClientsTest {
    private final List<Headers> received = new CopyOnWriteArrayList<>();
    private final List<Integer> bodyLengths = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @BeforeEach
    void startS3Stub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            received.add(exchange.getRequestHeaders());
            try (InputStream body = exchange.getRequestBody()) {
                bodyLengths.add(body.readAllBytes().length);
            }
            exchange.getResponseHeaders().add("ETag", "\"etag-1\"");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void uploadsWithoutExpectContinue_soAStaleConnectionFailsRetryably() {
        AwsSettings settings = AwsSettings.from(Map.of(
                "AWS_REGION", "us-east-1",
                "AWS_ACCESS_KEY_ID", "test",
                "AWS_SECRET_ACCESS_KEY", "test",
                "AWS_ENDPOINT_URL_S3", "http://127.0.0.1:" + server.getAddress().getPort()));
        try (S3Client s3 = new AwsClients(settings).s3()) {

            s3.putObject(r -> r.bucket("archive").key("a/0.png").contentType("image/png"),
                    RequestBody.fromBytes(new byte[1024]));
        }

        assertEquals(1, received.size());
        assertFalse(received.get(0).containsKey("Expect"), "headers sent: " + received.get(0).keySet());
        assertTrue(bodyLengths.get(0) >= 1024,
                "the body still arrives, in aws-chunked frames over plain http: " + bodyLengths);
    }

    @Test
    void opensHttpsConnectionsWithTheJvmsDefaultTls_andTheSdksDefaultTimeouts() throws IOException {
        HttpURLConnection https = AwsClients.openConnection(URI.create("https://dynamodb.us-east-1.amazonaws.com/"));
        HttpURLConnection http = AwsClients.openConnection(URI.create("http://127.0.0.1:8000/"));

        HttpsURLConnection tls = assertInstanceOf(HttpsURLConnection.class, https);
        assertSame(HttpsURLConnection.getDefaultSSLSocketFactory(), tls.getSSLSocketFactory(),
                "one SSLContext per JVM: the default one, which the Runway client's HttpClient uses too");
        assertSame(HttpsURLConnection.getDefaultHostnameVerifier(), tls.getHostnameVerifier());
        for (HttpURLConnection connection : List.of(https, http)) {
            assertEquals(2_000, connection.getConnectTimeout());
            assertEquals(30_000, connection.getReadTimeout());
        }
        assertFalse(http instanceof HttpsURLConnection);
    }

    @Test
    void signsWithTheProviderTheEnvironmentNames_notTheDefaultChain() {
        assertInstanceOf(EnvironmentVariableCredentialsProvider.class, AwsClients.credentials(AwsSettings.from(Map.of(
                "AWS_REGION", "eu-west-1", "AWS_ACCESS_KEY_ID", "A", "AWS_SECRET_ACCESS_KEY", "S"))));
        assertInstanceOf(ContainerCredentialsProvider.class, AwsClients.credentials(AwsSettings.from(Map.of(
                "AWS_REGION", "eu-west-1", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9001/c"))));
        assertInstanceOf(DefaultCredentialsProvider.class, AwsClients.credentials(AwsSettings.from(Map.of(
                "AWS_REGION", "eu-west-1"))));
        AwsCredentials local = AwsClients.credentials(AwsSettings.from(Map.of("AWS_REGION", "us-east-1",
                "AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9000", "AWS_ACCESS_KEY_ID", "A",
                "AWS_SECRET_ACCESS_KEY", "S"))).resolveCredentials();
        assertEquals("A", local.accessKeyId());
    }

    @Test
    void containerSourceFetchesTheRoleCredentialsFromTheEndpoint_asSnapStartGivesThem() {
        server.removeContext("/");
        server.createContext("/credentials", exchange -> {
            received.add(exchange.getRequestHeaders());
            byte[] body = ("{\"AccessKeyId\":\"ASIAROLE\",\"SecretAccessKey\":\"secret\",\"Token\":\"session\","
                    + "\"Expiration\":\"2099-01-01T00:00:00Z\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        String uri = "http://127.0.0.1:" + server.getAddress().getPort() + "/credentials";
        // The provider reads these settings as the SDK does: system property first, then the variable Lambda sets.
        System.setProperty("aws.containerCredentialsFullUri", uri);
        System.setProperty("aws.containerAuthorizationToken", "runtime-token");
        try {
            AwsCredentialsProvider provider = AwsClients.credentials(AwsSettings.from(Map.of("AWS_REGION", "eu-west-1",
                    "AWS_CONTAINER_CREDENTIALS_FULL_URI", uri)));

            AwsCredentials credentials = provider.resolveCredentials();

            assertEquals("ASIAROLE", credentials.accessKeyId());
            assertEquals("runtime-token", received.get(0).getFirst("Authorization"));
        } finally {
            System.clearProperty("aws.containerCredentialsFullUri");
            System.clearProperty("aws.containerAuthorizationToken");
        }
    }
}
