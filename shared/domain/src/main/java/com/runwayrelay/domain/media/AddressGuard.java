package com.runwayrelay.domain.media;

import static com.runwayrelay.domain.media.MediaViolation.HOST_NOT_ALLOWED;
import static com.runwayrelay.domain.media.MediaViolation.IP_LITERAL;
import static com.runwayrelay.domain.media.MediaViolation.MALFORMED_URI;
import static com.runwayrelay.domain.media.MediaViolation.PRIVATE_ADDRESS;
import static com.runwayrelay.domain.media.MediaViolation.SCHEME_NOT_ALLOWED;
import static com.runwayrelay.domain.media.MediaViolation.USERINFO_NOT_ALLOWED;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Vets a connection the gateway makes itself (archiver downloads, webhook deliveries) before it is
 * opened.
 *
 * <p>{@link #checkedAddress} resolves the host once, rejects the target when any resolved address
 * is not {@link AddressClass#PUBLIC public}, and returns the address to connect to. Callers must
 * connect to that address (sending the original host name for TLS and the {@code Host} header)
 * rather than resolving the name again: a second lookup could return a different, internal
 * address (DNS rebinding). Redirects must not be followed; each hop would need its own check.
 *
 * <p>Targets must be {@code https}, without user information, named by a DNS name or a canonical
 * IP address ({@code 203.0.113.9}, {@code [2001:db8::1]}); other IPv4 spellings
 * ({@code 2130706433}, {@code 0x7f.1}) and IPv6 zone ids are refused, as are local and internal
 * names ({@code localhost}, {@code *.internal}, single-label names). Ports are not restricted:
 * webhook receivers legitimately listen on any port.
 *
 * <p>With {@code allowLoopbackHttp} (the local stack only) loopback addresses and
 * {@code localhost} names are accepted too, and plain {@code http} is accepted when every address
 * is loopback. Instances are immutable and thread-safe.
 */
public final class AddressGuard {
    private final HostResolver resolver;
    private final boolean allowLoopbackHttp;

    /**
     * Creates a guard.
     *
     * @param resolver          the DNS port; {@link HostResolver#system()} in production
     * @param allowLoopbackHttp accept loopback targets, over http or https; for the local stack only
     */
    public AddressGuard(HostResolver resolver, boolean allowLoopbackHttp) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.allowLoopbackHttp = allowLoopbackHttp;
    }

    /** A guard for production: https to public addresses only. */
    public static AddressGuard strict(HostResolver resolver) {
        return new AddressGuard(resolver, false);
    }

    /**
     * Where {@code address} points. Addresses embedded in IPv6 transition forms are judged by the
     * IPv4 address they carry; see {@link AddressClass}.
     */
    public static AddressClass classify(InetAddress address) {
        return AddressClassifier.classify(Objects.requireNonNull(address, "address"));
    }

    /**
     * Checks {@code target} and returns the address to connect to.
     *
     * @param target the absolute URI about to be requested
     * @return the first resolved address; every resolved address has been checked
     * @throws BlockedTargetException when the target breaks a rule; {@link BlockedTargetException#code()}
     *                                says which ({@code scheme_not_allowed}, {@code userinfo_not_allowed},
     *                                {@code malformed_uri}, {@code ip_literal}, {@code host_not_allowed},
     *                                {@code private_address})
     * @throws UnknownHostException   when the host does not resolve (possibly transient)
     */
    public InetAddress checkedAddress(URI target) throws BlockedTargetException, UnknownHostException {
        Objects.requireNonNull(target, "target");
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        boolean http = scheme.equals("http");
        if (!scheme.equals("https") && !(http && allowLoopbackHttp)) {
            throw blocked(SCHEME_NOT_ALLOWED, "outbound target must use https, not "
                    + (scheme.isEmpty() ? "a relative URI" : Excerpt.quote(scheme)));
        }
        if (target.getRawUserInfo() != null) {
            throw blocked(USERINFO_NOT_ALLOWED, "outbound target must not carry user information before the host");
        }
        String rawHost = target.getHost();
        if (rawHost == null) {
            throw unparsableHost(target);
        }
        List<InetAddress> addresses = addressesOf(rawHost);
        for (InetAddress address : addresses) {
            AddressClass addressClass = classify(address);
            boolean loopback = addressClass == AddressClass.LOOPBACK;
            if (!addressClass.isPublic() && !(allowLoopbackHttp && loopback)) {
                throw blocked(PRIVATE_ADDRESS, "outbound target host " + Excerpt.quote(rawHost) + " resolves to a "
                        + MediaUriPolicy.describe(addressClass) + " address");
            }
            if (http && !loopback) {
                throw blocked(SCHEME_NOT_ALLOWED, "plain http is allowed only to loopback targets in the local stack; host "
                        + Excerpt.quote(rawHost) + " is not loopback");
            }
        }
        return addresses.get(0);
    }

    private List<InetAddress> addressesOf(String rawHost) throws BlockedTargetException, UnknownHostException {
        if (rawHost.startsWith("[")) {
            String literal = rawHost.substring(1, rawHost.length() - 1);
            if (literal.indexOf('%') >= 0) {
                throw blocked(IP_LITERAL, "outbound target " + Excerpt.quote(rawHost) + " carries an IPv6 zone id");
            }
            return List.of(HostName.ipv6Literal(literal).orElseThrow(
                    () -> blocked(MALFORMED_URI, "outbound target " + Excerpt.quote(rawHost) + " is not a valid IPv6 address")));
        }
        String host;
        try {
            host = HostName.normalize(rawHost);
        } catch (IllegalArgumentException e) {
            throw blocked(MALFORMED_URI, "outbound target host " + Excerpt.quote(rawHost) + " is not a valid DNS name: "
                    + e.getMessage());
        }
        Optional<InetAddress> literal = HostName.canonicalIpv4(host);
        if (literal.isPresent()) {
            return List.of(literal.get());
        }
        if (HostName.endsInNumber(host)) {
            throw blocked(IP_LITERAL, "outbound target host " + Excerpt.quote(host)
                    + " is an IPv4 address in a non-canonical spelling; write it as four decimal numbers");
        }
        if (HostName.isInternal(host) && !(allowLoopbackHttp && HostName.isLoopbackName(host))) {
            throw blocked(HOST_NOT_ALLOWED, "outbound target host " + Excerpt.quote(host) + " is a local or internal name");
        }
        List<InetAddress> addresses = resolver.resolve(host);
        if (addresses.isEmpty()) {
            throw new UnknownHostException(host);
        }
        return addresses;
    }

    /**
     * The JDK leaves the host null when the authority is not a server name, for instance
     * {@code 127.1} or {@code 0x7f.1} (the last label starts with a digit); name the likely cause.
     */
    private static BlockedTargetException unparsableHost(URI target) {
        String authority = target.getRawAuthority();
        if (authority != null && authority.indexOf('@') >= 0) {
            return blocked(USERINFO_NOT_ALLOWED, "outbound target must not carry user information before the host");
        }
        if (authority != null) {
            int colon = authority.lastIndexOf(':');
            String host = colon < 0 ? authority : authority.substring(0, colon);
            try {
                if (HostName.endsInNumber(HostName.normalize(host))) {
                    return blocked(IP_LITERAL, "outbound target host " + Excerpt.quote(host)
                            + " is an IPv4 address in a non-canonical spelling; write it as four decimal numbers");
                }
            } catch (IllegalArgumentException e) {
                // Not even a DNS name: fall through to the generic answer.
            }
        }
        return blocked(MALFORMED_URI, "outbound target host part " + (authority == null ? "(none)" : Excerpt.quote(authority))
                + " is not a valid host (internationalized names must be written in punycode)");
    }

    private static BlockedTargetException blocked(String code, String message) {
        return new BlockedTargetException(code, message);
    }
}
