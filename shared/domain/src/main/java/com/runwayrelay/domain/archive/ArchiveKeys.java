package com.runwayrelay.domain.archive;

import java.util.regex.Pattern;

/**
 * Object keys of archived outputs: {@code <prefix>/<appId>/<taskId>/<n>.<ext>}, with {@code n}
 * the output's index in Runway's {@code output} array (from 0). Deterministic, so archiving the
 * same task again writes the same keys instead of adding objects.
 */
public final class ArchiveKeys {
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*");

    private ArchiveKeys() {
    }

    /**
     * The key of output {@code index}.
     *
     * @throws IllegalArgumentException when a part would change the key's shape (a '/', "..", an
     *                                  empty or oddly spelled id) or the index is negative
     */
    public static String of(String prefix, String appId, String taskId, int index, String extension) {
        checkPrefix(prefix);
        check("app id", appId);
        check("task id", taskId);
        check("extension", extension);
        if (index < 0) {
            throw new IllegalArgumentException("output index must be >= 0");
        }
        return prefix + "/" + appId + "/" + taskId + "/" + index + "." + extension;
    }

    /**
     * The key of a workflow invocation's output {@code index} of node {@code node}:
     * {@code <prefix>/<appId>/<taskId>/<node>/<index>.<ext>}, with {@code index} counted within the node.
     *
     * @throws IllegalArgumentException as {@link #of(String, String, String, int, String)}, and for a node id
     *                                  that cannot be one key segment
     */
    public static String of(String prefix, String appId, String taskId, String node, int index, String extension) {
        check("node id", node);
        String taskKey = of(prefix, appId, taskId, index, extension);
        String base = taskPrefix(prefix, appId, taskId);
        return base + node + "/" + taskKey.substring(base.length());
    }

    /** The prefix every key of one task starts with, {@code <prefix>/<appId>/<taskId>/}. */
    public static String taskPrefix(String prefix, String appId, String taskId) {
        checkPrefix(prefix);
        check("app id", appId);
        check("task id", taskId);
        return prefix + "/" + appId + "/" + taskId + "/";
    }

    /**
     * Checks a key prefix: one or more segments of letters, digits, '.', '_' and '-' separated by
     * single slashes, without a leading or trailing slash.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static String checkPrefix(String prefix) {
        if (prefix == null || !PREFIX.matcher(prefix).matches() || prefix.contains("..")) {
            throw new IllegalArgumentException("archive key prefix '" + prefix + "' must be segments of letters, "
                    + "digits, '.', '_' or '-' separated by single slashes, e.g. outputs or relay/outputs");
        }
        return prefix;
    }

    private static void check(String what, String value) {
        if (value == null || !SEGMENT.matcher(value).matches() || value.contains("..")) {
            throw new IllegalArgumentException(what + " '" + value + "' cannot be part of an archive key");
        }
    }
}
