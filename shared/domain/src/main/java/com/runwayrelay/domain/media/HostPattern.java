package com.runwayrelay.domain.media;

import java.util.Locale;

/**
 * One allowlist entry: an exact host ({@code media.example.com}) or every subdomain of a domain
 * ({@code *.example.com}, which does not match {@code example.com} itself), optionally with one
 * extra port ({@code media.example.com:8443}).
 *
 * @param domain   the normalized host, or for a wildcard the domain below the {@code *.}
 * @param wildcard whether subdomains of {@code domain} match rather than {@code domain} itself
 * @param port     an extra port the entry permits besides the scheme's default, or -1
 */
record HostPattern(String domain, boolean wildcard, int port) {

    /**
     * Parses an allowlist entry.
     *
     * @throws IllegalArgumentException naming the entry when it is not a host name, is an IP
     *                                  address, an internal name, a wildcard over a top-level
     *                                  domain, or carries an invalid port
     */
    static HostPattern parse(String entry) {
        if (entry == null || entry.isEmpty()) {
            throw new IllegalArgumentException("media host allowlist entry is empty");
        }
        String text = entry.toLowerCase(Locale.ROOT);
        int port = -1;
        int colon = text.lastIndexOf(':');
        if (colon >= 0) {
            port = parsePort(text.substring(colon + 1), entry);
            text = text.substring(0, colon);
        }
        boolean wildcard = text.startsWith("*.");
        String domainText = wildcard ? text.substring(2) : text;
        if (domainText.indexOf('*') >= 0) {
            throw invalid(entry, "'*' is allowed only as the whole first label, as in *.example.com");
        }
        String domain;
        try {
            domain = HostName.normalize(domainText);
        } catch (IllegalArgumentException e) {
            throw invalid(entry, "the host is not a valid DNS name: " + e.getMessage());
        }
        if (HostName.endsInNumber(domain)) {
            throw invalid(entry, "IP addresses cannot be allowlisted; media hosts must be DNS names");
        }
        if (wildcard && domain.indexOf('.') < 0) {
            throw invalid(entry, "a wildcard must cover a domain such as *.example.com, not a whole top-level domain");
        }
        if (HostName.isInternal(domain)) {
            throw invalid(entry, "local and internal names are never allowed; loopbackHostsAllowed covers the local stack");
        }
        return new HostPattern(domain, wildcard, port);
    }

    /** Whether the normalized {@code host} is covered by this entry (ports aside). */
    boolean matches(String host) {
        return wildcard ? host.endsWith("." + domain) : host.equals(domain);
    }

    private static int parsePort(String text, String entry) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw invalid(entry, "the port must be a number from 1 to 65535");
        }
        int port = Integer.parseInt(text);
        if (port < 1 || port > 65535) {
            throw invalid(entry, "the port must be a number from 1 to 65535");
        }
        return port;
    }

    private static IllegalArgumentException invalid(String entry, String reason) {
        return new IllegalArgumentException("media host allowlist entry " + Excerpt.quote(entry) + " is invalid: " + reason);
    }
}
