package com.runwayrelay.aws.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads configuration variables from an environment map and collects every problem, so a
 * function fails once at init naming all missing or malformed variables rather than one per
 * deploy.
 *
 * <p>The environment is a parameter: tests and the local stack pass their own map, nothing
 * touches the process environment. Every name read is remembered ({@link #namesRead()}); the
 * template contract test uses that to prove {@code template.yaml} sets each variable a function
 * reads. Variables that only the local stack sets are read through {@link #localOnly} and kept
 * apart ({@link #localOnlyNamesRead()}).
 *
 * <p>Typical use: read everything, then call {@link #check()} before building the record.
 */
public final class Env {
    private final Map<String, String> vars;
    private final Set<String> namesRead = new LinkedHashSet<>();
    private final Set<String> localOnlyNamesRead = new LinkedHashSet<>();
    private final List<String> problems = new ArrayList<>();

    public Env(Map<String, String> vars) {
        this.vars = Map.copyOf(vars);
    }

    /** A variable that must be set to a non-blank value. Returns "" when missing (a problem is recorded). */
    public String required(String name) {
        String value = raw(name);
        if (value == null) {
            problems.add(name + " is not set");
            return "";
        }
        return value;
    }

    /** A variable with a default used when it is unset or blank. */
    public String optional(String name, String defaultValue) {
        String value = raw(name);
        return value == null ? defaultValue : value;
    }

    /** A variable only the local stack sets (never the template), e.g. a Runway key in local mode. */
    public String localOnly(String name) {
        localOnlyNamesRead.add(name);
        String value = vars.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    /**
     * A whole number of seconds within {@code [min, max]} that only the local stack sets (see {@link #localOnly}),
     * e.g. a shorter lease for the fault soak; {@code defaultValue} when unset, and a problem when it is not such
     * a number.
     */
    public Duration localOnlySeconds(String name, Duration defaultValue, long min, long max) {
        String value = localOnly(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            long seconds = Long.parseLong(value);
            if (seconds >= min && seconds <= max) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // named below
        }
        problems.add(name + " must be whole seconds from " + min + " to " + max + ", got '" + value + "'");
        return defaultValue;
    }

    /** An integer within {@code [min, max]}. */
    public int integer(String name, int defaultValue, int min, int max) {
        return (int) longValue(name, defaultValue, min, max);
    }

    /** A whole number of seconds within {@code [min, max]}. */
    public Duration seconds(String name, Duration defaultValue, long min, long max) {
        return Duration.ofSeconds(longValue(name, defaultValue.toSeconds(), min, max));
    }

    /** A long within {@code [min, max]}. */
    public long longValue(String name, long defaultValue, long min, long max) {
        String value = raw(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed < min || parsed > max) {
                problems.add(name + " must be between " + min + " and " + max + " (got " + parsed + ")");
                return defaultValue;
            }
            return parsed;
        } catch (NumberFormatException e) {
            problems.add(name + " must be a whole number (got '" + value + "')");
            return defaultValue;
        }
    }

    /** {@code true}/{@code false}, case-insensitive. */
    public boolean bool(String name, boolean defaultValue) {
        String value = raw(name);
        if (value == null) {
            return defaultValue;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> {
                problems.add(name + " must be true or false (got '" + value + "')");
                yield defaultValue;
            }
        };
    }

    /** An absolute http(s) URI. */
    public URI httpUri(String name, String defaultValue) {
        String value = optional(name, defaultValue);
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme();
            if (uri.getHost() == null || scheme == null
                    || !(scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http"))) {
                problems.add(name + " must be an absolute http(s) URL (got '" + value + "')");
                return URI.create(defaultValue);
            }
            return uri;
        } catch (URISyntaxException e) {
            problems.add(name + " is not a valid URL (got '" + value + "')");
            return URI.create(defaultValue);
        }
    }

    /** A comma-separated list; blanks dropped, entries trimmed. Unset means empty. */
    public List<String> list(String name) {
        String value = raw(name);
        if (value == null) {
            return List.of();
        }
        return Arrays.stream(value.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    /** One of an enum's constants, matched case-insensitively. */
    public <E extends Enum<E>> E oneOf(String name, Class<E> type, E defaultValue) {
        String value = raw(name);
        if (value == null) {
            return defaultValue;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value)) {
                return constant;
            }
        }
        problems.add(name + " must be one of " + Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(Locale.ROOT)).toList() + " (got '" + value + "')");
        return defaultValue;
    }

    /** Records a problem found while combining variables (e.g. neither of two alternatives set). */
    public void problem(String message) {
        problems.add(message);
    }

    /** Throws a {@link ConfigurationException} naming every problem recorded so far. */
    public void check() {
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
    }

    /** Names read through every method but {@link #localOnly}, in first-read order. */
    public Set<String> namesRead() {
        return Set.copyOf(namesRead);
    }

    /** Names read through {@link #localOnly}. */
    public Set<String> localOnlyNamesRead() {
        return Set.copyOf(localOnlyNamesRead);
    }

    private String raw(String name) {
        namesRead.add(name);
        String value = vars.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
