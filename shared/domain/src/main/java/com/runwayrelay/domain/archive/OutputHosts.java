package com.runwayrelay.domain.archive;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The hosts outputs may be downloaded from. Checked before anything is fetched; the connection
 * itself is vetted again by the download adapter (addresses, resolved once).
 *
 * <p>An entry is a host ({@code dnznrvs05pmza.cloudfront.net}, that host only) or a wildcard over
 * a domain's subdomains ({@code *.cloudfront.net}, any depth, not the domain itself), optionally
 * with a port other than 443 ({@code cdn.example.com:8443}). Links must be {@code https} without
 * user information. With {@code allowLoopback} (the local stack only), links to this machine
 * ({@code localhost}, {@code 127.x.y.z}, {@code [::1]}) pass too, on any port and over plain
 * {@code http}: the Runway simulator serves its outputs that way.
 *
 * <p>Immutable and thread-safe.
 */
public final class OutputHosts {
    private static final Pattern LABELS = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");
    private static final Pattern LOOPBACK_V4 = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

    private final List<Entry> entries;
    private final boolean allowLoopback;

    private OutputHosts(List<Entry> entries, boolean allowLoopback) {
        this.entries = entries;
        this.allowLoopback = allowLoopback;
    }

    /**
     * Parses an allowlist.
     *
     * @param allowLoopback accept links to this machine, also over http; for the local stack only
     * @throws IllegalArgumentException naming the first entry that is not a host name or wildcard
     */
    public static OutputHosts of(List<String> entries, boolean allowLoopback) {
        return new OutputHosts(entries.stream().map(Entry::parse).toList(), allowLoopback);
    }

    /** Whether links to this machine are accepted (local stack). */
    public boolean allowsLoopback() {
        return allowLoopback;
    }

    /**
     * Why {@code url} may not be downloaded, or empty when it may. The reason names the host,
     * never the query string (signed links carry credentials there).
     */
    public Optional<String> refusal(URI url) {
        Objects.requireNonNull(url, "url");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        String rawHost = url.getHost();
        if (!url.isAbsolute() || rawHost == null) {
            return Optional.of("the output link is not an absolute URL with a host");
        }
        if (url.getRawUserInfo() != null) {
            return Optional.of("the output link carries user information before the host");
        }
        String host = normalize(rawHost);
        if (allowLoopback && isLoopback(host) && (scheme.equals("http") || scheme.equals("https"))) {
            return Optional.empty();
        }
        int port = url.getPort() == -1 ? 443 : url.getPort();
        String where = port == 443 || url.getPort() == -1 ? host : host + ":" + port;
        if (!scheme.equals("https")) {
            return Optional.of("the output link to " + where + " uses " + (scheme.isEmpty() ? "no scheme" : scheme)
                    + "; only https is allowed");
        }
        for (Entry entry : entries) {
            if (entry.matches(host) && (port == 443 || port == entry.port())) {
                return Optional.empty();
            }
        }
        return Optional.of("the output host " + where + " is not on the output host allowlist");
    }

    private static String normalize(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.endsWith(".localhost") || host.equals("[::1]")
                || LOOPBACK_V4.matcher(host).matches();
    }

    private record Entry(String domain, boolean wildcard, int port) {
        static Entry parse(String text) {
            if (text == null || text.isBlank()) {
                throw new IllegalArgumentException("an output host allowlist entry is empty");
            }
            String t = normalize(text.trim());
            int port = -1;
            int colon = t.lastIndexOf(':');
            if (colon >= 0) {
                String digits = t.substring(colon + 1);
                if (!digits.matches("\\d{1,5}") || Integer.parseInt(digits) < 1 || Integer.parseInt(digits) > 65535) {
                    throw invalid(text, "the port must be a number from 1 to 65535");
                }
                port = Integer.parseInt(digits);
                t = t.substring(0, colon);
            }
            boolean wildcard = t.startsWith("*.");
            String domain = wildcard ? t.substring(2) : t;
            if (!LABELS.matcher(domain).matches()) {
                throw invalid(text, "expected a host name such as cdn.example.com or a wildcard such as *.example.com");
            }
            if (domain.matches(".*\\.\\d+") || domain.matches("\\d+")) {
                throw invalid(text, "IP addresses cannot be allowlisted; name the host");
            }
            if (wildcard && domain.indexOf('.') < 0) {
                throw invalid(text, "a wildcard must cover a domain such as *.example.com, not a top-level domain");
            }
            return new Entry(domain, wildcard, port);
        }

        boolean matches(String host) {
            return wildcard ? host.endsWith("." + domain) : host.equals(domain);
        }

        private static IllegalArgumentException invalid(String entry, String why) {
            return new IllegalArgumentException("output host allowlist entry '" + entry + "' is invalid: " + why);
        }
    }
}
