package com.runwayrelay.archiver;

import com.runwayrelay.aws.archive.S3ArchiveStore;
import com.runwayrelay.aws.config.Env;
import com.runwayrelay.aws.config.TableSettings;
import com.runwayrelay.aws.config.RunwaySettings;
import com.runwayrelay.domain.archive.ArchiveKeys;
import com.runwayrelay.domain.archive.OutputHosts;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The archiver's configuration, read once at init.
 *
 * @param table               {@code RELAY_TABLE}
 * @param bucket              {@code RELAY_BUCKET}
 * @param dueShards           {@code RELAY_DUE_SHARDS}: due-index shards; every writer of tasks uses the same number (default 8)
 * @param outputHostAllowlist {@code RELAY_OUTPUT_HOST_ALLOWLIST}: hosts outputs may be downloaded from
 *                            ({@code cdn.example.com} or {@code *.example.com}; required)
 * @param allowLoopbackHttp   {@code RELAY_ALLOW_LOOPBACK_HTTP} (local stack only, never set by the template):
 *                            {@code true} lets outputs come from this machine, over plain http too (default false)
 * @param keyPrefix           {@code RELAY_ARCHIVE_PREFIX}: first segment(s) of every object key (default {@code outputs})
 * @param maxBytes            {@code RELAY_ARCHIVE_MAX_MIB}: largest output archived, in MiB (default and most 5120, S3's
 *                            single-copy limit)
 * @param partSize            {@code RELAY_ARCHIVE_PART_MIB}: multipart part size in MiB (default 8, 5 to 512)
 * @param uploadConcurrency   {@code RELAY_ARCHIVE_UPLOAD_CONCURRENCY}: parts uploading at once (default 2, 1 to 8);
 *                            memory holds about {@code (concurrency + 1) * partSize} of buffers plus the HTTP
 *                            client's copy of each part in flight
 * @param maxAttempts         {@code RELAY_ARCHIVE_MAX_ATTEMPTS}: archive attempts per task (default 3, 1 to 5; keep it
 *                            at most the stream's {@code MaximumRetryAttempts} so the task fails before the record
 *                            is parked in the failure queue)
 * @param readTimeout         {@code RELAY_ARCHIVE_READ_TIMEOUT_SECONDS}: longest wait for data from the output host
 *                            (default 30)
 * @param writeTimeout        {@code RELAY_ARCHIVE_WRITE_TIMEOUT_SECONDS}: longest S3 may take none of a part's bytes
 *                            before the part's attempt fails (default 30)
 * @param connectTimeout      bound on connecting to the output host: 10 s
 * @param runway              how to reach Runway (fresh output links when one expired)
 */
public record ArchiverConfig(String table, String bucket, int dueShards, List<String> outputHostAllowlist,
                             boolean allowLoopbackHttp, String keyPrefix, long maxBytes, int partSize,
                             int uploadConcurrency, int maxAttempts, Duration readTimeout, Duration writeTimeout,
                             Duration connectTimeout,
                             RunwaySettings runway) {
    /** Default number of due-index shards. */
    private static final long MIB = 1024 * 1024;

    public static ArchiverConfig from(Env env) {
        String table = env.required("RELAY_TABLE");
        String bucket = env.required("RELAY_BUCKET");
        int shards = TableSettings.dueShards(env);
        List<String> hosts = env.list("RELAY_OUTPUT_HOST_ALLOWLIST");
        if (hosts.isEmpty()) {
            env.problem("RELAY_OUTPUT_HOST_ALLOWLIST is empty: no output could ever be downloaded");
        }
        boolean loopback = switch (String.valueOf(env.localOnly("RELAY_ALLOW_LOOPBACK_HTTP")).toLowerCase(Locale.ROOT)) {
            case "null", "false" -> false;
            case "true" -> true;
            default -> {
                env.problem("RELAY_ALLOW_LOOPBACK_HTTP must be true or false");
                yield false;
            }
        };
        try {
            OutputHosts.of(hosts, loopback);
        } catch (IllegalArgumentException e) {
            env.problem("RELAY_OUTPUT_HOST_ALLOWLIST: " + e.getMessage());
        }
        String prefix = env.optional("RELAY_ARCHIVE_PREFIX", "outputs");
        try {
            ArchiveKeys.checkPrefix(prefix);
        } catch (IllegalArgumentException e) {
            env.problem("RELAY_ARCHIVE_PREFIX: " + e.getMessage());
        }
        long maxMib = env.longValue("RELAY_ARCHIVE_MAX_MIB", S3ArchiveStore.MAX_OBJECT_SIZE / MIB, 1,
                S3ArchiveStore.MAX_OBJECT_SIZE / MIB);
        int partMib = env.integer("RELAY_ARCHIVE_PART_MIB", 8, (int) (S3ArchiveStore.MIN_PART_SIZE / MIB), 512);
        int concurrency = env.integer("RELAY_ARCHIVE_UPLOAD_CONCURRENCY", 2, 1, 8);
        int attempts = env.integer("RELAY_ARCHIVE_MAX_ATTEMPTS", 3, 1, 5);
        Duration read = env.seconds("RELAY_ARCHIVE_READ_TIMEOUT_SECONDS", Duration.ofSeconds(30), 1, 300);
        Duration write = env.seconds("RELAY_ARCHIVE_WRITE_TIMEOUT_SECONDS", Duration.ofSeconds(30), 1, 300);
        RunwaySettings runway = RunwaySettings.from(env);
        env.check();
        return new ArchiverConfig(table, bucket, shards, hosts, loopback, prefix, maxMib * MIB, (int) (partMib * MIB),
                concurrency, attempts, read, write, Duration.ofSeconds(10), runway);
    }
}
