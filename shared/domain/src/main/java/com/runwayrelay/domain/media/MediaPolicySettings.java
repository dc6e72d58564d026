package com.runwayrelay.domain.media;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Configuration of a {@link MediaUriPolicy}. Validated on construction, so a bad entry fails at
 * init rather than on the first request.
 *
 * @param hostAllowlist        hosts {@code https://} media may come from: {@code media.example.com}
 *                             (that host only) or {@code *.example.com} (any subdomain, at any depth,
 *                             but not {@code example.com} itself); an entry may add one permitted
 *                             port, {@code media.example.com:8443}. Case and a trailing dot do not
 *                             matter; non-ASCII names are compared in their ASCII (punycode) form.
 *                             IP addresses, internal names and wildcards over a top-level domain are
 *                             refused. May be empty (then only {@code runway://} and {@code data:} pass).
 * @param maxDataUriChars      the longest {@code data:} URI accepted, counted in characters of the
 *                             whole URI; Runway's cap is {@value #DEFAULT_MAX_DATA_URI_CHARS} (5 MiB)
 * @param maxUrlLength         the longest {@code https://} URL accepted; Runway's cap is
 *                             {@value #DEFAULT_MAX_URL_LENGTH}
 * @param allowHttp            also accept plain {@code http://} (port 80 by default). Meant for the
 *                             local stack only; every other rule still applies.
 * @param loopbackHostsAllowed hosts that may point at this machine, for the local stack only:
 *                             {@code localhost}, {@code *.localhost} names, {@code 127.x.y.z} or
 *                             {@code ::1}. Such a host needs no allowlist entry, may use any port and
 *                             must resolve to loopback or public addresses only. Anything else in
 *                             this set is refused.
 */
public record MediaPolicySettings(
        List<String> hostAllowlist,
        long maxDataUriChars,
        int maxUrlLength,
        boolean allowHttp,
        Set<String> loopbackHostsAllowed) {

    /** Runway's data-URI cap since SDK 4.17.1: 5 MiB of encoded text, for every media kind. */
    public static final long DEFAULT_MAX_DATA_URI_CHARS = 5L * 1024 * 1024;
    /** Runway's cap on {@code https://} media URLs. */
    public static final int DEFAULT_MAX_URL_LENGTH = 2048;

    /**
     * Validates and copies the settings.
     *
     * @throws IllegalArgumentException naming the first invalid allowlist or loopback entry, or a
     *                                  limit that is not positive
     */
    public MediaPolicySettings {
        hostAllowlist = List.copyOf(Objects.requireNonNull(hostAllowlist, "hostAllowlist"));
        loopbackHostsAllowed = Set.copyOf(Objects.requireNonNull(loopbackHostsAllowed, "loopbackHostsAllowed"));
        if (maxDataUriChars <= 0) {
            throw new IllegalArgumentException("maxDataUriChars must be positive, was " + maxDataUriChars);
        }
        if (maxUrlLength <= 0) {
            throw new IllegalArgumentException("maxUrlLength must be positive, was " + maxUrlLength);
        }
        hostAllowlist.forEach(HostPattern::parse);
        loopbackHostsAllowed.forEach(MediaPolicySettings::normalizeLoopbackHost);
    }

    /** Production settings: the given allowlist with Runway's limits, https only, no loopback. */
    public static MediaPolicySettings of(List<String> hostAllowlist) {
        return new MediaPolicySettings(hostAllowlist, DEFAULT_MAX_DATA_URI_CHARS, DEFAULT_MAX_URL_LENGTH, false, Set.of());
    }

    /**
     * The comparable form of a loopback entry: a normalized name, a canonical {@code 127.x.y.z},
     * or {@code [::1]} (brackets added when missing).
     */
    static String normalizeLoopbackHost(String entry) {
        if (entry == null) {
            throw new IllegalArgumentException("loopbackHostsAllowed contains null");
        }
        String text = entry.toLowerCase(Locale.ROOT);
        if (text.equals("::1") || text.equals("[::1]")) {
            return "[::1]";
        }
        String host;
        try {
            host = HostName.normalize(text);
        } catch (IllegalArgumentException e) {
            throw notLoopback(entry);
        }
        boolean loopbackLiteral = HostName.canonicalIpv4(host)
                .map(address -> AddressClassifier.classify(address) == AddressClass.LOOPBACK)
                .orElse(false);
        if (!loopbackLiteral && !HostName.isLoopbackName(host)) {
            throw notLoopback(entry);
        }
        return host;
    }

    private static IllegalArgumentException notLoopback(String entry) {
        return new IllegalArgumentException("loopbackHostsAllowed entry " + Excerpt.quote(entry)
                + " is not a loopback host; use localhost, a *.localhost name, 127.x.y.z or ::1");
    }
}
