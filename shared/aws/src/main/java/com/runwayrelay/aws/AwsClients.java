package com.runwayrelay.aws;

import com.runwayrelay.aws.config.AwsSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds the AWS SDK clients a function uses, once, at init. All share one HTTP client
 * implementation (URLConnection: the smallest, fastest to start; the Apache and Netty clients
 * are excluded from the build), an explicit region and an explicit credentials provider: the one
 * Lambda's environment names ({@link AwsSettings.CredentialSource}), not the SDK's default chain.
 *
 * <p>S3 uploads are sent without {@code Expect: 100-continue}. With it, the URLConnection client
 * reads the interim answer inside {@code getOutputStream()}, and when the kept-alive connection
 * it picked had been closed by the server meanwhile, the SDK (2.41) wraps that failure in an
 * unchecked exception its retry stage does not see: the upload failed at once instead of being
 * retried on a fresh connection. Without the header the same failure surfaces as an
 * {@link java.io.IOException}, which the SDK retries.
 *
 * <p>The HTTP client opens its connections with {@link #openConnection}: the JDK's own
 * {@code HttpsURLConnection} defaults (the JVM's default {@code SSLContext}, the one the Runway
 * client's {@code java.net.http} client uses too), with the SDK's default timeouts. Built with
 * {@code UrlConnectionHttpClient.builder()}, the SDK made a second {@code SSLContext} of its own at
 * init (a trust manager over the JDK's CA certificates) and read proxy settings: the largest part
 * of a function's Java time spent in TLS set-up during a cold start (docs/BENCHMARKS.md). Proxies
 * named by the {@code http(s).proxyHost} system properties still apply (the JDK's
 * {@code ProxySelector}); the SDK's reading of {@code HTTPS_PROXY} environment variables does not
 * (Lambda functions reach AWS directly or through VPC endpoints).
 */
public final class AwsClients {
    private final AwsSettings settings;
    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;

    /** The SDK's default connect timeout for its URLConnection client. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** The SDK's default read (socket) timeout for its URLConnection client. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    public AwsClients(AwsSettings settings) {
        this.settings = settings;
        this.http = UrlConnectionHttpClient.create(AwsClients::openConnection);
        this.credentials = credentials(settings);
    }

    /**
     * A connection to {@code uri} as the SDK's client would open it, with the JVM's default TLS (see the
     * class comment); the SDK sets method, headers, streaming and redirects itself.
     */
    static HttpURLConnection openConnection(URI uri) {
        try {
            HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
            connection.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
            connection.setReadTimeout((int) READ_TIMEOUT.toMillis());
            return connection;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a connection to " + uri.getHost(), e);
        }
    }

    /** The provider {@link AwsSettings#credentialSource()} names: one provider, not the SDK's whole default chain. */
    static AwsCredentialsProvider credentials(AwsSettings settings) {
        return switch (settings.credentialSource()) {
            case STATIC -> {
                AwsSettings.StaticKeys k = settings.staticKeys().orElseThrow();
                yield StaticCredentialsProvider.create(AwsBasicCredentials.create(k.accessKeyId(), k.secretAccessKey()));
            }
            case ENVIRONMENT -> EnvironmentVariableCredentialsProvider.create();
            case CONTAINER -> ContainerCredentialsProvider.builder().build();
            case DEFAULT_CHAIN -> DefaultCredentialsProvider.builder().build();
        };
    }

    public DynamoDbClient dynamoDb() {
        var builder = DynamoDbClient.builder()
                .httpClient(http)
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials);
        settings.dynamoDbEndpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    public S3Client s3() {
        var builder = S3Client.builder()
                .httpClient(http)
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .serviceConfiguration(s3Configuration())
                .overrideConfiguration(c -> c.addExecutionInterceptor(WITHOUT_EXPECT_CONTINUE));
        settings.s3Endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /** Drops the {@code Expect} header the S3 client adds to uploads (see the class comment). */
    static final ExecutionInterceptor WITHOUT_EXPECT_CONTINUE = new ExecutionInterceptor() {
        @Override
        public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
            SdkHttpRequest request = context.httpRequest();
            return request.firstMatchingHeader("Expect").isPresent()
                    ? request.toBuilder().removeHeader("Expect").build()
                    : request;
        }
    };

    public S3Presigner s3Presigner() {
        var builder = S3Presigner.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .serviceConfiguration(s3Configuration());
        settings.s3Endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    public SecretsManagerClient secretsManager() {
        return SecretsManagerClient.builder()
                .httpClient(http)
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .build();
    }

    /** An SQS client; only a function that declares the {@code sqs} module may call this. */
    public SqsClient sqs() {
        return SqsClient.builder()
                .httpClient(http)
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .build();
    }

    /** A CloudWatch client; only a function that declares the {@code cloudwatch} module may call this. */
    public CloudWatchClient cloudWatch() {
        var builder = CloudWatchClient.builder()
                .httpClient(http)
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials);
        settings.cloudWatchEndpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /** The credentials provider the clients sign with (the presigned-link lifetime depends on it). */
    public AwsCredentialsProvider credentials() {
        return credentials;
    }

    private S3Configuration s3Configuration() {
        // Emulators serve buckets by path, not by virtual host.
        return S3Configuration.builder()
                .pathStyleAccessEnabled(settings.s3Endpoint().isPresent())
                .build();
    }
}
