package com.runwayrelay.domain.media;

import static com.runwayrelay.domain.media.MediaViolation.HOST_NOT_ALLOWED;
import static com.runwayrelay.domain.media.MediaViolation.ILLEGAL_CHARACTER;
import static com.runwayrelay.domain.media.MediaViolation.IP_LITERAL;
import static com.runwayrelay.domain.media.MediaViolation.MALFORMED_URI;
import static com.runwayrelay.domain.media.MediaViolation.PORT_NOT_ALLOWED;
import static com.runwayrelay.domain.media.MediaViolation.PRIVATE_ADDRESS;
import static com.runwayrelay.domain.media.MediaViolation.SCHEME_NOT_ALLOWED;
import static com.runwayrelay.domain.media.MediaViolation.TOO_LONG;
import static com.runwayrelay.domain.media.MediaViolation.UNRESOLVABLE_HOST;
import static com.runwayrelay.domain.media.MediaViolation.USERINFO_NOT_ALLOWED;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides whether a media URI from an app's request may be passed on to Runway.
 *
 * <p>Accepted forms:
 * <ul>
 *   <li>{@code https://} URLs of at most {@link MediaPolicySettings#maxUrlLength()} characters whose
 *       host is on the allowlist, is a DNS name (never an IP address in any spelling), is not a
 *       local or internal name ({@code localhost}, {@code *.local}, {@code *.internal},
 *       {@code metadata.google.internal}, single-label names such as {@code instance-data}), and
 *       resolves only to public addresses (every address is checked, not just the first). No user
 *       information, no port other than 443 unless the matching allowlist entry names it, no
 *       backslash, whitespace, control or invisible format character anywhere, no percent-encoded
 *       host.</li>
 *   <li>{@code runway://} upload URIs of 13 to {@value #MAX_RUNWAY_URI_CHARS} characters.</li>
 *   <li>{@code data:} URIs whose media type is one Runway takes for one of the field's kinds
 *       ({@code image/jpeg}, {@code image/png} or {@code image/webp} for an image field; see
 *       {@link MediaSignature}), marked {@code ;base64} with a valid standard-alphabet payload
 *       whose decoded data starts with that type's signature, at most
 *       {@link MediaPolicySettings#maxDataUriChars()} characters in total.</li>
 * </ul>
 * Schemes must be written in lower case, as Runway's own patterns require. With
 * {@link MediaPolicySettings#allowHttp()} plain {@code http://} (port 80) is accepted too, and
 * hosts in {@link MediaPolicySettings#loopbackHostsAllowed()} may point at this machine; both
 * exist for the local stack only.
 *
 * <p>DNS is consulted only after every other rule has passed, through the {@link HostResolver}
 * given at construction. Instances are immutable and thread-safe.
 */
public final class MediaUriPolicy {
    /** Runway's cap on {@code runway://} URIs. */
    public static final int MAX_RUNWAY_URI_CHARS = 5000;
    /** Runway's minimum length for {@code runway://} URIs. */
    static final int MIN_RUNWAY_URI_CHARS = 13;

    private static final String HTTPS = "https://";
    private static final String HTTP = "http://";
    private static final String RUNWAY = "runway://";
    private static final Set<String> OUR_SCHEMES = Set.of("https", "http", "runway", "data");

    private final MediaPolicySettings settings;
    private final List<HostPattern> allowlist;
    private final Set<String> loopbackHosts;
    private final HostResolver resolver;

    /**
     * Creates a policy; the settings were validated when they were built.
     *
     * @param settings validated configuration
     * @param resolver the DNS port; {@link HostResolver#system()} in production
     */
    public MediaUriPolicy(MediaPolicySettings settings, HostResolver resolver) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.allowlist = settings.hostAllowlist().stream().map(HostPattern::parse).toList();
        this.loopbackHosts = settings.loopbackHostsAllowed().stream()
                .map(MediaPolicySettings::normalizeLoopbackHost)
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Checks one media URI.
     *
     * @param uri           the value of a media field as the app sent it; {@code null} and the
     *                      empty string are reported as {@code malformed_uri}
     * @param acceptedKinds the media kinds the field accepts (decides which {@code data:} media
     *                      types pass); must not be empty
     * @return an empty list when the URI is acceptable; otherwise the violation found. Rules are
     *         applied in order (form, length, characters, structure, host, port, DNS) and checking
     *         stops at the first failure, because later rules depend on earlier ones.
     * @throws IllegalArgumentException when {@code acceptedKinds} is empty
     */
    public List<MediaViolation> check(String uri, Set<MediaKind> acceptedKinds) {
        Objects.requireNonNull(acceptedKinds, "acceptedKinds");
        if (acceptedKinds.isEmpty()) {
            throw new IllegalArgumentException("acceptedKinds must name at least one media kind");
        }
        return firstViolation(uri, acceptedKinds).map(List::of).orElse(List.of());
    }

    private Optional<MediaViolation> firstViolation(String uri, Set<MediaKind> acceptedKinds) {
        if (uri == null || uri.isEmpty()) {
            return reject(MALFORMED_URI, "media URI is empty");
        }
        if (uri.startsWith(DataUriCheck.PREFIX)) {
            return DataUriCheck.check(uri, acceptedKinds, settings.maxDataUriChars());
        }
        if (uri.startsWith(RUNWAY)) {
            return checkRunwayUri(uri);
        }
        if (uri.startsWith(HTTPS)) {
            return checkUrl(uri, HTTPS, 443);
        }
        if (uri.startsWith(HTTP) && settings.allowHttp()) {
            return checkUrl(uri, HTTP, 80);
        }
        return checkUnsupportedForm(uri);
    }

    private Optional<MediaViolation> checkUnsupportedForm(String uri) {
        int bad = firstIllegalChar(uri);
        if (bad >= 0) {
            return illegalCharacter(bad);
        }
        int colon = uri.indexOf(':');
        String scheme = colon > 0 ? uri.substring(0, colon) : "";
        if (!isSchemeSyntax(scheme)) {
            return reject(MALFORMED_URI, "media URI " + Excerpt.quoteWithoutQuery(uri)
                    + " is not an absolute URI; expected https://, runway:// or data:");
        }
        String lower = scheme.toLowerCase(Locale.ROOT);
        if (lower.equals("http") && !settings.allowHttp()) {
            return reject(SCHEME_NOT_ALLOWED, "plain http:// media URLs are not allowed; use https://");
        }
        if (OUR_SCHEMES.contains(lower) && !scheme.equals(lower)) {
            return reject(SCHEME_NOT_ALLOWED, "scheme " + Excerpt.quote(scheme) + " must be written in lower case, as "
                    + Excerpt.quote(lower) + "; Runway matches it case-sensitively");
        }
        if (OUR_SCHEMES.contains(lower)) {
            return reject(MALFORMED_URI, "media URI " + Excerpt.quoteWithoutQuery(uri) + " must start with '" + lower
                    + (lower.equals("data") ? ":'" : "://'"));
        }
        return reject(SCHEME_NOT_ALLOWED, "scheme " + Excerpt.quote(scheme)
                + " is not allowed; media URIs must be https://, runway:// or data: URIs");
    }

    private Optional<MediaViolation> checkRunwayUri(String uri) {
        if (uri.length() > MAX_RUNWAY_URI_CHARS) {
            return reject(TOO_LONG, "runway:// URI is " + uri.length() + " characters long; the limit is "
                    + MAX_RUNWAY_URI_CHARS);
        }
        if (uri.length() < MIN_RUNWAY_URI_CHARS) {
            return reject(MALFORMED_URI, "runway:// URI " + Excerpt.quote(uri) + " is shorter than the "
                    + MIN_RUNWAY_URI_CHARS + " characters Runway accepts");
        }
        int bad = firstIllegalChar(uri);
        return bad >= 0 ? illegalCharacter(bad) : Optional.empty();
    }

    private Optional<MediaViolation> checkUrl(String uri, String prefix, int defaultPort) {
        if (uri.length() > settings.maxUrlLength()) {
            return reject(TOO_LONG, "media URL is " + uri.length() + " characters long; the limit is "
                    + settings.maxUrlLength());
        }
        int bad = firstIllegalChar(uri);
        if (bad >= 0) {
            return illegalCharacter(bad);
        }
        int start = prefix.length();
        int end = start;
        while (end < uri.length() && "/?#".indexOf(uri.charAt(end)) < 0) {
            end++;
        }
        String authority = uri.substring(start, end);
        if (authority.isEmpty()) {
            return reject(MALFORMED_URI, "media URL " + Excerpt.quoteWithoutQuery(uri) + " has no host");
        }
        if (authority.indexOf('@') >= 0) {
            // The user information may be a password: it is not quoted back.
            return reject(USERINFO_NOT_ALLOWED,
                    "media URL contains user information ('...@' before the host); credentials are not allowed in media URLs");
        }
        Optional<MediaViolation> syntax = checkAgreesWithJdkParser(uri, authority);
        if (syntax.isPresent()) {
            return syntax;
        }
        return checkAuthority(authority, defaultPort);
    }

    /**
     * The JDK must parse the URL and find the same authority we did: a URL two parsers read
     * differently is how allowlists get bypassed.
     */
    private static Optional<MediaViolation> checkAgreesWithJdkParser(String uri, String authority) {
        try {
            URI parsed = new URI(uri);
            if (!authority.equals(parsed.getRawAuthority())) {
                return reject(MALFORMED_URI, "media URL host part " + Excerpt.quote(authority) + " is ambiguous");
            }
            return Optional.empty();
        } catch (URISyntaxException e) {
            return reject(MALFORMED_URI, "media URL is not a valid URI: " + e.getReason() + " at index " + e.getIndex());
        }
    }

    private Optional<MediaViolation> checkAuthority(String authority, int defaultPort) {
        String rawHost;
        String portText = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                return reject(MALFORMED_URI, "host " + Excerpt.quote(authority) + " opens '[' without closing it");
            }
            rawHost = authority.substring(0, close + 1);
            String rest = authority.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                return reject(MALFORMED_URI, "host " + Excerpt.quote(authority) + " has text after ']'");
            }
            portText = rest.isEmpty() ? null : rest.substring(1);
            if (!loopbackHosts.contains(rawHost.toLowerCase(Locale.ROOT))) {
                return reject(IP_LITERAL, "host " + Excerpt.quote(rawHost)
                        + " is an IPv6 address; media URLs must name an allowlisted host");
            }
        } else {
            int colon = authority.lastIndexOf(':');
            if (colon != authority.indexOf(':')) {
                return reject(IP_LITERAL, "host " + Excerpt.quote(authority)
                        + " looks like an IPv6 address; media URLs must name an allowlisted host");
            }
            rawHost = colon < 0 ? authority : authority.substring(0, colon);
            portText = colon < 0 ? null : authority.substring(colon + 1);
        }
        int port = defaultPort;
        if (portText != null) {
            port = parsePort(portText);
            if (port < 0) {
                return reject(MALFORMED_URI, "port " + Excerpt.quote(portText) + " is not a number from 1 to 65535");
            }
        }
        if (rawHost.indexOf('%') >= 0) {
            return reject(MALFORMED_URI, "host " + Excerpt.quote(rawHost)
                    + " contains '%'; percent-encoded hosts and IPv6 zone ids are not allowed");
        }
        if (rawHost.startsWith("[")) {
            Optional<InetAddress> literal = HostName.ipv6Literal(rawHost.substring(1, rawHost.length() - 1));
            if (literal.isEmpty()) {
                return reject(MALFORMED_URI, "host " + Excerpt.quote(rawHost) + " is not a valid IPv6 address");
            }
            return checkClasses(rawHost, true, List.of(literal.get()));
        }
        String host;
        try {
            host = HostName.normalize(rawHost);
        } catch (IllegalArgumentException e) {
            return reject(MALFORMED_URI, "host " + Excerpt.quote(rawHost) + " is not a valid DNS name: " + e.getMessage());
        }
        if (loopbackHosts.contains(host)) {
            Optional<InetAddress> literal = HostName.canonicalIpv4(host);
            return literal.isPresent() ? checkClasses(host, true, List.of(literal.get())) : checkResolved(host, true);
        }
        return checkPublicHost(host, port, defaultPort);
    }

    private Optional<MediaViolation> checkPublicHost(String host, int port, int defaultPort) {
        if (HostName.endsInNumber(host)) {
            return reject(IP_LITERAL, "host " + Excerpt.quote(host)
                    + " is an IP address (in some spelling); media URLs must name an allowlisted host");
        }
        if (HostName.isInternal(host)) {
            return reject(HOST_NOT_ALLOWED, "host " + Excerpt.quote(host)
                    + " is a local or internal name and is never allowed");
        }
        List<HostPattern> matching = allowlist.stream().filter(pattern -> pattern.matches(host)).toList();
        if (matching.isEmpty()) {
            return reject(HOST_NOT_ALLOWED, "host " + Excerpt.quote(host) + " is not on the media host allowlist");
        }
        if (port != defaultPort && matching.stream().noneMatch(pattern -> pattern.port() == port)) {
            return reject(PORT_NOT_ALLOWED, "port " + port + " is not allowed for host " + Excerpt.quote(host)
                    + "; use the default port " + defaultPort);
        }
        return checkResolved(host, false);
    }

    private Optional<MediaViolation> checkResolved(String host, boolean loopbackAllowed) {
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            return reject(UNRESOLVABLE_HOST, "host " + Excerpt.quote(host) + " does not resolve");
        }
        if (addresses.isEmpty()) {
            return reject(UNRESOLVABLE_HOST, "host " + Excerpt.quote(host) + " does not resolve");
        }
        return checkClasses(host, loopbackAllowed, addresses);
    }

    /** Every address must be public, or loopback when the host is an allowed loopback host. */
    private static Optional<MediaViolation> checkClasses(String host, boolean loopbackAllowed, List<InetAddress> addresses) {
        for (InetAddress address : addresses) {
            AddressClass addressClass = AddressClassifier.classify(address);
            boolean ok = addressClass.isPublic() || (loopbackAllowed && addressClass == AddressClass.LOOPBACK);
            if (!ok) {
                return reject(PRIVATE_ADDRESS, "host " + Excerpt.quote(host) + " resolves to a "
                        + describe(addressClass) + " address; every address of a media host must be public");
            }
        }
        return Optional.empty();
    }

    static String describe(AddressClass addressClass) {
        return addressClass.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The index of the first backslash, control, whitespace or format character, or -1. */
    static int firstIllegalChar(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' || Excerpt.isInvisible(c)) {
                return i;
            }
        }
        return -1;
    }

    private static Optional<MediaViolation> illegalCharacter(int index) {
        return reject(ILLEGAL_CHARACTER, "media URI contains a backslash, whitespace, control or invisible character at index "
                + index + "; percent-encode it or remove it");
    }

    private static boolean isSchemeSyntax(String scheme) {
        if (scheme.isEmpty() || !Character.isLetter(scheme.charAt(0)) || scheme.charAt(0) > 0x7f) {
            return false;
        }
        return scheme.chars().allMatch(c -> c < 0x80 && (Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.'));
    }

    /** The port number, or -1 unless {@code text} is 1 to 5 digits giving 1..65535. */
    private static int parsePort(String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        int port = Integer.parseInt(text);
        return port >= 1 && port <= 65535 ? port : -1;
    }

    private static Optional<MediaViolation> reject(String code, String message) {
        return Optional.of(new MediaViolation(code, message));
    }
}
