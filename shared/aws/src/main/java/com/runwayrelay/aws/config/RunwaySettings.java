package com.runwayrelay.aws.config;

import java.net.URI;
import java.util.Optional;

/**
 * How to reach the Runway API.
 *
 * @param baseUrl      {@code RUNWAY_API_BASE_URL}, default {@value #DEFAULT_BASE_URL}
 * @param keySecretArn {@code RUNWAY_API_KEY_SECRET_ARN}: the Secrets Manager secret holding the key (deployed)
 * @param localKey     {@code RUNWAYML_API_SECRET}: the key itself, read only in local mode when no ARN is set
 */
public record RunwaySettings(URI baseUrl, Optional<String> keySecretArn, Optional<String> localKey) {
    public static final String DEFAULT_BASE_URL = "https://api.dev.runwayml.com";

    public static RunwaySettings from(Env env) {
        URI base = env.httpUri("RUNWAY_API_BASE_URL", DEFAULT_BASE_URL);
        String arn = env.optional("RUNWAY_API_KEY_SECRET_ARN", null);
        String local = arn == null ? env.localOnly("RUNWAYML_API_SECRET") : null;
        if (arn == null && local == null) {
            env.problem("RUNWAY_API_KEY_SECRET_ARN is not set (or, in local mode only, RUNWAYML_API_SECRET)");
        }
        return new RunwaySettings(base, Optional.ofNullable(arn), Optional.ofNullable(local));
    }

    @Override
    public String toString() {
        return "RunwaySettings[baseUrl=" + baseUrl + ", keySecretArn=" + keySecretArn.orElse("-")
                + ", localKey=" + (localKey.isPresent() ? "***" : "-") + "]";
    }
}
