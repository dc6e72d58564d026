package com.runwayrelay.local.admin;

import java.net.URI;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Where the admin API is and how to sign for it.
 *
 * @param apiUrl      the HTTP API's base URL (the stack's {@code ApiUrl} output, or the local stack's
 *                    {@code apiUrl}); {@code /admin/v1/...} is appended
 * @param credentials who signs: the default AWS credential chain, or the local stack's static keys
 * @param region      the region in the signature's scope (the API's region)
 * @param description how errors name the target, e.g. {@code stack prod (us-east-1)}
 * @param credentialsHint what to check when a signature is refused
 */
public record AdminTarget(URI apiUrl, AwsCredentialsProvider credentials, String region, String description,
                          String credentialsHint) {
    public AdminTarget {
        Objects.requireNonNull(apiUrl, "apiUrl");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(credentialsHint, "credentialsHint");
    }

    @Override
    public String toString() {
        return "AdminTarget[" + description + " at " + apiUrl + ", region " + region + "]";
    }
}
