package com.runwayrelay.domain.delivery;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a task's outputs go besides the archive ({@code relay.deliverTo}): either one URL per output,
 * in output order, or one URL template whose {@value #INDEX} and {@value #EXT} placeholders are
 * replaced by the output's index and file extension. The URLs are pre-signed PUT URLs of the app's
 * own storage; they carry credentials in their query and are never shown back.
 *
 * @param urls     one URL per output (output {@code i} goes to {@code urls[i]}; outputs past the end are
 *                 not delivered), or empty when a template is given
 * @param template the URL template, or null when {@code urls} are given
 */
public record DeliverTo(List<String> urls, String template) {
    /** Replaced by the output's index, counting from 0. */
    public static final String INDEX = "{index}";
    /** Replaced by the output's file extension without the dot, e.g. {@code png}. */
    public static final String EXT = "{ext}";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{[^{}]*}");

    public DeliverTo {
        urls = urls == null ? List.of() : List.copyOf(urls);
        if (urls.isEmpty() == (template == null)) {
            throw new IllegalArgumentException("deliverTo takes either URLs or a template");
        }
    }

    /** One URL per output. */
    public static DeliverTo of(List<String> urls) {
        return new DeliverTo(urls, null);
    }

    /** A template for every output. */
    public static DeliverTo template(String template) {
        return new DeliverTo(List.of(), Objects.requireNonNull(template, "template"));
    }

    /** The URL output {@code index} (stored as {@code extension}) goes to, if any. */
    public Optional<String> urlFor(int index, String extension) {
        if (template != null) {
            return Optional.of(expand(template, index, extension));
        }
        return index < urls.size() ? Optional.of(urls.get(index)) : Optional.empty();
    }

    /** {@code template} with both placeholders replaced. */
    public static String expand(String template, int index, String extension) {
        return template.replace(INDEX, Integer.toString(index)).replace(EXT, extension);
    }

    /** The {@code {...}} groups of {@code template} other than {@value #INDEX} and {@value #EXT}, in order. */
    public static List<String> unknownPlaceholders(String template) {
        Matcher m = PLACEHOLDER.matcher(template);
        return m.results().map(r -> r.group()).filter(p -> !p.equals(INDEX) && !p.equals(EXT)).toList();
    }
}
