package com.runwayrelay.bench.poller;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** {@code name=value} command-line arguments; unknown names are refused (typos). */
final class BenchArgs {
    private final Map<String, String> values = new HashMap<>();

    BenchArgs(String[] args, Set<String> known) {
        for (String arg : args) {
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            if (eq < 0 || !known.contains(name)) {
                throw new IllegalArgumentException("expected name=value with name one of " + known + ", got '" + arg + "'");
            }
            values.put(name, arg.substring(eq + 1));
        }
    }

    int integer(String name, int defaultValue) {
        String value = values.get(name);
        return value == null ? defaultValue : Integer.parseInt(value.replace("_", ""));
    }

    String string(String name, String defaultValue) {
        return values.getOrDefault(name, defaultValue);
    }
}
