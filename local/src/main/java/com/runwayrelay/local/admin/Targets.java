package com.runwayrelay.local.admin;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * Which admin API a command talks to: {@code --url URL} or {@code --stack NAME} (with {@code --region})
 * pick a deployed stack, signed with the default AWS credential chain; without them the caller uses
 * the local stack (see {@link #local}).
 */
public final class Targets {
    /** The template's output holding the HTTP API's base URL. */
    static final String API_URL_OUTPUT = "ApiUrl";
    private static final Pattern EXECUTE_API_HOST = Pattern.compile("[a-z0-9]+\\.execute-api\\.([a-z0-9-]+)\\.amazonaws\\.com(\\.cn)?");
    private static final String DEFAULT_CHAIN_HINT = "signed with the default AWS credential chain: AWS_ACCESS_KEY_ID/"
            + "AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN, AWS_PROFILE and ~/.aws, SSO, or the instance role; check that they"
            + " are current, that --region is the stack's, that this machine's clock is right, and that the principal"
            + " is allowed execute-api:Invoke on the admin routes";

    private Targets() {
    }

    /**
     * The target options taken out of a command line, and the words left.
     *
     * @param url    {@code --url}: the API's base URL
     * @param stack  {@code --stack}: a CloudFormation stack whose {@code ApiUrl} output is the API
     * @param region {@code --region}
     * @param rest   the other words, in order
     */
    public record Options(Optional<URI> url, Optional<String> stack, Optional<String> region, List<String> rest) {
        /** Whether a deployed stack was named. */
        public boolean remote() {
            return url.isPresent() || stack.isPresent();
        }
    }

    /**
     * Takes {@code --url}, {@code --stack} and {@code --region} (as {@code --x v} or {@code --x=v}) out of
     * a command line.
     *
     * @throws AdminUsageException when one lacks its value, is given twice, both --url and --stack are
     *                             given, --region comes without either, or the URL is not http(s)
     */
    public static Options extract(List<String> words) {
        List<String> rest = new ArrayList<>();
        String url = null;
        String stack = null;
        String region = null;
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            String name = word.contains("=") ? word.substring(0, word.indexOf('=')) : word;
            if (!List.of("--url", "--stack", "--region").contains(name)) {
                rest.add(word);
                continue;
            }
            String value;
            if (word.contains("=")) {
                value = word.substring(word.indexOf('=') + 1);
            } else if (i + 1 < words.size() && !words.get(i + 1).startsWith("--")) {
                value = words.get(++i);
            } else {
                throw new AdminUsageException(name + " needs a value");
            }
            if (value.isBlank()) {
                throw new AdminUsageException(name + " needs a value");
            }
            switch (name) {
                case "--url" -> url = once(name, url, value);
                case "--stack" -> stack = once(name, stack, value);
                default -> region = once(name, region, value);
            }
        }
        if (url != null && stack != null) {
            throw new AdminUsageException("give either --url or --stack, not both");
        }
        if (region != null && url == null && stack == null) {
            throw new AdminUsageException("--region goes with --url or --stack (the local stack has its own region)");
        }
        return new Options(Optional.ofNullable(url).map(Targets::apiUrl), Optional.ofNullable(stack), Optional.ofNullable(region),
                List.copyOf(rest));
    }

    private static String once(String name, String previous, String value) {
        if (previous != null) {
            throw new AdminUsageException(name + " is given twice");
        }
        return value.strip();
    }

    private static URI apiUrl(String value) {
        try {
            URI uri = new URI(value);
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new URISyntaxException(value, "not an http(s) base URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new AdminUsageException("--url must be the API's base URL, such as the stack's ApiUrl output"
                    + " https://abc123.execute-api.us-east-1.amazonaws.com (got '" + value + "')");
        }
    }

    /**
     * The deployed stack the options name, signed with the default AWS credential chain.
     *
     * @throws AdminUsageException         when no region can be found
     * @throws StackLookupException when {@code --stack} cannot be read or has no {@code ApiUrl}
     */
    public static AdminTarget remote(Options options) {
        return remote(options, DefaultCredentialsProvider.builder().build(), Targets::defaultRegion,
                region -> CloudFormationStackOutputs.create(DefaultCredentialsProvider.builder().build(), region, null));
    }

    /** As {@link #remote(Options)}, with the credentials, the region fallback and the stack reader given. */
    static AdminTarget remote(Options options, AwsCredentialsProvider credentials, Supplier<Optional<String>> defaultRegion,
                              Function<String, StackOutputs> stacks) {
        if (options.url().isPresent()) {
            URI url = options.url().get();
            String region = options.region()
                    .or(() -> regionOf(url))
                    .or(defaultRegion)
                    .orElseThrow(() -> new AdminUsageException("no region to sign for " + url + ": give --region (the API's region)"
                            + " or set AWS_REGION"));
            return new AdminTarget(url, credentials, region, "the API at " + url.getHost(), DEFAULT_CHAIN_HINT);
        }
        String stack = options.stack().orElseThrow(() -> new IllegalArgumentException("neither --url nor --stack"));
        String region = options.region().or(defaultRegion).orElseThrow(() -> new AdminUsageException(
                "no region for stack " + stack + ": give --region or set AWS_REGION (or a region in your AWS profile)"));
        Map<String, String> outputs = stacks.apply(region).outputs(stack);
        String value = outputs.get(API_URL_OUTPUT);
        if (value == null || value.isBlank()) {
            throw new StackLookupException("stack " + stack + " in " + region + " has no " + API_URL_OUTPUT
                    + " output (outputs: " + (outputs.isEmpty() ? "none" : String.join(", ", outputs.keySet()))
                    + "); is it a runway-relay stack?");
        }
        URI url;
        try {
            url = apiUrl(value.strip());
        } catch (AdminUsageException e) {
            throw new StackLookupException("stack " + stack + "'s " + API_URL_OUTPUT + " output is not a URL: " + value);
        }
        // The API is signed for the region in its execute-api host name (the stack's own, normally).
        return new AdminTarget(url, credentials, regionOf(url).orElse(region), "stack " + stack + " (" + region + ")",
                DEFAULT_CHAIN_HINT);
    }

    /**
     * The local stack: its API URL, and the static keys and region of its {@code stack.json}
     * ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}, {@code AWS_REGION} of its environment).
     *
     * @throws AdminUsageException when the file lacks them
     */
    public static AdminTarget local(URI apiUrl, Map<String, String> stackEnvironment, String dataDir) {
        String accessKey = stackEnvironment.get("AWS_ACCESS_KEY_ID");
        String secretKey = stackEnvironment.get("AWS_SECRET_ACCESS_KEY");
        String region = stackEnvironment.get("AWS_REGION");
        if (accessKey == null || secretKey == null || region == null) {
            throw new AdminUsageException("the local stack's stack.json in " + dataDir + " has no AWS credentials or region"
                    + " (restart ./relay local to rewrite it)");
        }
        return new AdminTarget(apiUrl, StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)), region,
                "the local stack on " + dataDir, "signed with the local stack's credentials from " + dataDir
                + "/stack.json; if the stack was restarted, run the command again");
    }

    /** The region in an {@code execute-api} host name, if the URL is API Gateway's own. */
    static Optional<String> regionOf(URI url) {
        Matcher matcher = EXECUTE_API_HOST.matcher(url.getHost() == null ? "" : url.getHost());
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    private static Optional<String> defaultRegion() {
        try {
            return Optional.of(new DefaultAwsRegionProviderChain().getRegion().id());
        } catch (SdkClientException e) {
            return Optional.empty();
        }
    }
}
