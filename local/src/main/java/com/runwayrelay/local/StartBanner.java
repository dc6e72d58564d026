package com.runwayrelay.local;

import java.io.PrintStream;
import java.util.Map;

/**
 * What {@code ./relay local} prints once it serves requests: the dev app key, every endpoint, a
 * {@code curl} example and an official-SDK example; and, when the real Runway API is used, a warning
 * nobody can miss.
 */
final class StartBanner {
    private StartBanner() {
    }

    static void print(LocalStack stack, PrintStream out) {
        String api = stack.apiUrl().toString();
        String key = stack.devApp().key();
        Map<String, String> aws = stack.aws().environment();
        StackOptions options = stack.options();
        if (stack.simulatorKey().isEmpty()) {
            realRunwayWarning(out, stack.runwayBaseUrl().toString(), options.runwayKeySource());
        }
        out.println();
        out.printf("runway-relay local stack is up (started in %.1f s)%n%n", stack.startTime().toMillis() / 1000.0);
        out.printf("  API (Runway-compatible)  %s%n", api);
        out.printf("  dev app key              %s%n", key);
        if (stack.simulatorKey().isPresent()) {
            out.printf("  Runway                   %s at %s (no credits are spent), key %s%n",
                    stack.simulator().isPresent() ? "simulator" : "external simulator", stack.runwayBaseUrl(), stack.simulatorKey().get());
        } else {
            out.printf("  Runway                   REAL API at %s%n", stack.runwayBaseUrl());
        }
        out.printf("  %-24s %s  table %s%n", stack.aws().dynamoLabel(), aws.get("AWS_ENDPOINT_URL_DYNAMODB"), aws.get("RELAY_TABLE"));
        out.printf("  %-24s %s  bucket %s%n", stack.aws().s3Label(), aws.get("AWS_ENDPOINT_URL_S3"), aws.get("RELAY_BUCKET"));
        out.printf("  AWS credentials          %s / %s, region %s%n", aws.get("AWS_ACCESS_KEY_ID"), aws.get("AWS_SECRET_ACCESS_KEY"),
                aws.get("AWS_REGION"));
        out.printf("  data folder              %s%n", stack.dataDir().map(Object::toString).orElse("(in memory: nothing is kept)"));
        stack.stackFile().ifPresent(file -> out.printf("  all of the above in      %s%n", file));
        out.println();
        out.println("Create a task and read it back:");
        out.printf("  curl -s %s/v1/text_to_image -H 'Authorization: Bearer %s' \\%n", api, key);
        out.println("    -H 'X-Runway-Version: 2024-11-06' -H 'Content-Type: application/json' \\");
        out.println("    -d '{\"model\":\"gen4_image\",\"promptText\":\"A lighthouse at dusk\",\"ratio\":\"1280:720\"}'");
        out.printf("  curl -s %s/v1/tasks/<id> -H 'Authorization: Bearer %s' -H 'X-Runway-Version: 2024-11-06'%n", api, key);
        out.println();
        out.println("With the official Runway SDK (npm install @runwayml/sdk), only the base URL and the key change:");
        out.println("  import RunwayML from '@runwayml/sdk';");
        out.printf("  const client = new RunwayML({ baseURL: '%s', apiKey: '%s' });%n", api, key);
        out.println("  const task = await client.textToImage");
        out.println("    .create({ model: 'gen4_image', promptText: 'A lighthouse at dusk', ratio: '1280:720' })");
        out.println("    .waitForTaskOutput();");
        out.println("  console.log(task.output);   // links into the local S3, re-signed on every read");
        out.printf("  (Python: RunwayML(base_url='%s', api_key='%s'))%n", api, key);
        out.println();
        out.printf("The poller runs every %s; stream readers feed the archiver and the notifier. ./relay demo runs an example. Ctrl-C stops everything.%n",
                human(options.pollInterval()));
        if (stack.simulatorKey().isEmpty()) {
            realRunwayWarning(out, stack.runwayBaseUrl().toString(), options.runwayKeySource());
        }
        out.flush();
    }

    static void realRunwayWarning(PrintStream out, String baseUrl, String keySource) {
        String bar = "!".repeat(78);
        out.println(bar);
        out.println("!!  REAL RUNWAY API: " + baseUrl);
        out.println("!!  Every task created through this stack SPENDS REAL RUNWAY CREDITS.");
        out.println("!!  The key comes from " + keySource + ". Unset it to use the free simulator.");
        out.println(bar);
    }

    private static String human(java.time.Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? (millis / 1000) + " s" : millis + " ms";
    }
}
