package com.runwayrelay.local.admin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One command's words: {@code --name value} (or {@code --name=value}) options, {@code --flag}
 * switches that take no value, and positional words, in order.
 */
record Words(Map<String, String> named, Set<String> flags, List<String> positional) {

    static Words parse(List<String> words, Set<String> switches) {
        Map<String, String> named = new LinkedHashMap<>();
        Set<String> flags = new LinkedHashSet<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (!word.startsWith("--") || word.equals("--")) {
                positional.add(word);
                continue;
            }
            String name = word.substring(2);
            int eq = name.indexOf('=');
            if (eq < 0 && switches.contains(name)) {
                if (!flags.add(name)) {
                    throw new AdminUsageException("--" + name + " is given twice");
                }
                continue;
            }
            String value;
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
                if (switches.contains(name)) {
                    throw new AdminUsageException("--" + name + " takes no value");
                }
            } else if (i + 1 < words.size() && !words.get(i + 1).startsWith("--")) {
                value = words.get(++i);
            } else {
                throw new AdminUsageException("--" + name + " needs a value");
            }
            if (named.put(name, value) != null) {
                throw new AdminUsageException("--" + name + " is given twice");
            }
        }
        return new Words(named, flags, positional);
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    /** Refuses any option not named here (switches included). */
    void allowOnly(String... names) {
        Set<String> allowed = Set.of(names);
        for (String name : named.keySet()) {
            if (!allowed.contains(name)) {
                throw new AdminUsageException("unknown option --" + name);
            }
        }
        for (String name : flags) {
            if (!allowed.contains(name)) {
                throw new AdminUsageException("unknown option --" + name);
            }
        }
    }

    void noPositional() {
        if (!positional.isEmpty()) {
            throw new AdminUsageException("unexpected argument '" + positional.getFirst() + "'");
        }
    }

    String onePositional(String usage) {
        if (positional.size() != 1) {
            throw new AdminUsageException("usage: " + usage);
        }
        return positional.getFirst();
    }

    /** Exactly {@code count} positional words, else a usage error quoting {@code usage}. */
    List<String> positionals(int count, String usage) {
        if (positional.size() != count) {
            throw new AdminUsageException("usage: " + usage);
        }
        return positional;
    }

    Optional<String> value(String name) {
        return Optional.ofNullable(named.get(name));
    }

    String required(String name) {
        return value(name).orElseThrow(() -> new AdminUsageException("--" + name + " is required"));
    }

    Optional<Long> number(String name) {
        return value(name).map(value -> {
            try {
                return Long.parseLong(value.strip());
            } catch (NumberFormatException e) {
                throw new AdminUsageException("--" + name + " must be a whole number (got '" + value + "')");
            }
        });
    }

    /** A comma-separated list; the word {@code all} is the empty list (everything allowed). */
    Optional<List<String>> list(String name) {
        return value(name).map(value -> {
            if (value.strip().equalsIgnoreCase("all")) {
                return List.of();
            }
            List<String> items = Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).distinct().toList();
            if (items.isEmpty()) {
                throw new AdminUsageException("--" + name + " needs at least one name, or 'all'");
            }
            return items;
        });
    }
}
