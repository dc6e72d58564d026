package com.runwayrelay.aws.runway;

import com.runwayrelay.aws.AwsClients;
import com.runwayrelay.aws.config.ConfigurationException;
import com.runwayrelay.aws.config.RunwaySettings;
import com.runwayrelay.domain.metrics.Metrics;
import com.runwayrelay.runway.RunwayClient;
import java.util.List;
import java.util.function.Function;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;

/**
 * Turns {@link RunwaySettings} into a {@link RunwayClient}: the key is read once, at init, from
 * Secrets Manager (deployed) or taken from the local-only variable (local stack). The key is
 * never logged and never part of an exception message.
 */
public final class RunwayClients {
    private RunwayClients() {
    }

    /** A client with the library's defaults for timeouts and retries (work off any request path). */
    public static RunwayClient create(RunwaySettings settings, AwsClients aws) {
        return builder(settings, aws).build();
    }

    /** A client whose calls keep within {@code limits}, the function's time budget. */
    public static RunwayClient create(RunwaySettings settings, AwsClients aws, RunwayCallLimits limits) {
        return limits.applyTo(builder(settings, aws)).build();
    }

    /** As {@link #create(RunwaySettings, AwsClients, RunwayCallLimits)}, recording every attempt in {@code metrics}. */
    public static RunwayClient create(RunwaySettings settings, AwsClients aws, RunwayCallLimits limits, Metrics metrics) {
        return limits.applyTo(builder(settings, aws)).metrics(metrics).build();
    }

    /**
     * A builder holding the base URL and the key, for callers that tune timeouts or retries.
     *
     * @throws ConfigurationException when the secret cannot be read or is empty
     */
    public static RunwayClient.Builder builder(RunwaySettings settings, AwsClients aws) {
        return builder(settings, arn -> {
            try (SecretsManagerClient secrets = aws.secretsManager()) {
                return secrets.getSecretValue(GetSecretValueRequest.builder().secretId(arn).build()).secretString();
            }
        });
    }

    /** As {@link #builder(RunwaySettings, AwsClients)}, with the secret read by {@code secretById}. */
    static RunwayClient.Builder builder(RunwaySettings settings, Function<String, String> secretById) {
        String key;
        if (settings.keySecretArn().isPresent()) {
            String arn = settings.keySecretArn().get();
            try {
                key = secretById.apply(arn);
            } catch (RuntimeException e) {
                // The SDK's message names the ARN and the cause, never the secret's value.
                throw new ConfigurationException(List.of("cannot read the Runway key from " + arn + ": "
                        + e.getClass().getSimpleName() + ": " + e.getMessage()));
            }
            if (key == null || key.isBlank()) {
                throw new ConfigurationException(List.of("the secret " + arn
                        + " has no SecretString (store the Runway key as plain text)"));
            }
        } else {
            key = settings.localKey().orElseThrow(() -> new ConfigurationException(
                    List.of("no Runway key: set RUNWAY_API_KEY_SECRET_ARN (or RUNWAYML_API_SECRET locally)")));
        }
        return RunwayClient.builder().baseUri(settings.baseUrl()).apiKey(key.trim());
    }
}
