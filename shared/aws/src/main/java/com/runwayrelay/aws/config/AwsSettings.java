package com.runwayrelay.aws.config;

import java.net.URI;
import java.util.Optional;

/**
 * Where the AWS clients connect and as whom.
 *
 * <p>Read from the standard variables: {@code AWS_REGION} (set by Lambda),
 * {@code AWS_ENDPOINT_URL_DYNAMODB}, {@code AWS_ENDPOINT_URL_S3} and {@code AWS_ENDPOINT_URL_CLOUDWATCH}
 * (the SDK's own names for an endpoint override; set only by the local stack and tests). With an override, the static keys
 * {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY} of the same map are used; without one,
 * the one provider Lambda's environment names ({@link CredentialSource}).
 */
public record AwsSettings(
        String region,
        Optional<URI> dynamoDbEndpoint,
        Optional<URI> s3Endpoint,
        Optional<URI> cloudWatchEndpoint,
        Optional<StaticKeys> staticKeys,
        CredentialSource credentialSource) {

    /**
     * Where the clients' credentials come from when no static keys are given. Lambda gives a function its role's
     * credentials in one of two ways, fixed for the life of the process: as {@code AWS_ACCESS_KEY_ID},
     * {@code AWS_SECRET_ACCESS_KEY} and {@code AWS_SESSION_TOKEN}, or, for SnapStart versions, through the
     * container endpoint named by {@code AWS_CONTAINER_CREDENTIALS_FULL_URI} (no key variables at all). Choosing
     * that provider at init skips the SDK's default chain (system properties, web identity, profile files,
     * container, instance metadata), whose first lookup loaded about 250 classes more (docs/BENCHMARKS.md).
     */
    public enum CredentialSource {
        /** Static keys from the same map (local stack, tests). */
        STATIC,
        /** {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY} are set: Lambda without SnapStart. */
        ENVIRONMENT,
        /** Only the container endpoint is set: a SnapStart version. */
        CONTAINER,
        /** Neither: the SDK's default chain (anything else, e.g. a developer's profile). */
        DEFAULT_CHAIN
    }

    /** Access key pair for emulators. {@link #toString()} never shows the secret. */
    public record StaticKeys(String accessKeyId, String secretAccessKey) {
        @Override
        public String toString() {
            return "StaticKeys[accessKeyId=" + accessKeyId + ", secretAccessKey=***]";
        }
    }

    /** Names of the standard AWS variables this record reads (runtime- or SDK-defined, never in the template). */
    public static final java.util.Set<String> STANDARD_VARIABLES = java.util.Set.of(
            "AWS_REGION", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_CLOUDWATCH",
            "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_CONTAINER_CREDENTIALS_FULL_URI");

    public static AwsSettings from(java.util.Map<String, String> env) {
        String region = env.get("AWS_REGION");
        if (region == null || region.isBlank()) {
            throw new ConfigurationException(java.util.List.of(
                    "AWS_REGION is not set (Lambda sets it; locally set it explicitly)"));
        }
        Optional<URI> dynamo = endpoint(env, "AWS_ENDPOINT_URL_DYNAMODB");
        Optional<URI> s3 = endpoint(env, "AWS_ENDPOINT_URL_S3");
        Optional<URI> cloudWatch = endpoint(env, "AWS_ENDPOINT_URL_CLOUDWATCH");
        Optional<StaticKeys> keys = Optional.empty();
        if (dynamo.isPresent() || s3.isPresent() || cloudWatch.isPresent()) {
            String id = env.get("AWS_ACCESS_KEY_ID");
            String secret = env.get("AWS_SECRET_ACCESS_KEY");
            if (id == null || secret == null) {
                throw new ConfigurationException(java.util.List.of(
                        "an AWS endpoint override is set, so AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set too"));
            }
            keys = Optional.of(new StaticKeys(id, secret));
        }
        return new AwsSettings(region.trim(), dynamo, s3, cloudWatch, keys, keys.isPresent() ? CredentialSource.STATIC
                : present(env, "AWS_ACCESS_KEY_ID") && present(env, "AWS_SECRET_ACCESS_KEY") ? CredentialSource.ENVIRONMENT
                : present(env, "AWS_CONTAINER_CREDENTIALS_FULL_URI") ? CredentialSource.CONTAINER
                : CredentialSource.DEFAULT_CHAIN);
    }

    private static boolean present(java.util.Map<String, String> env, String name) {
        String value = env.get(name);
        return value != null && !value.isBlank();
    }

    private static Optional<URI> endpoint(java.util.Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(URI.create(value.trim()));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(java.util.List.of(name + " is not a valid URL (got '" + value + "')"));
        }
    }
}
