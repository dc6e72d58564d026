package com.runwayrelay.domain.media;

/**
 * Where an IP address points, as far as outbound-connection safety is concerned. Only
 * {@link #PUBLIC} is safe to connect to on behalf of a user; the other constants say why an
 * address is not.
 *
 * <p>Addresses embedded in IPv6 transition forms (IPv4-mapped, IPv4-compatible, 6to4, NAT64) are
 * classified by the IPv4 address they carry when that address is not public.
 */
public enum AddressClass {
    /** Globally routable unicast. */
    PUBLIC,
    /** {@code 127.0.0.0/8}, {@code ::1}. */
    LOOPBACK,
    /** {@code 10/8}, {@code 172.16/12}, {@code 192.168/16}; deprecated IPv6 site-local {@code fec0::/10}; local-use NAT64 {@code 64:ff9b:1::/48}. */
    PRIVATE,
    /** {@code 169.254/16} (includes the cloud metadata address {@code 169.254.169.254}), {@code fe80::/10}. */
    LINK_LOCAL,
    /** Carrier-grade NAT {@code 100.64/10} (includes Alibaba's metadata address {@code 100.100.100.200}). */
    CGNAT,
    /** IPv6 unique-local {@code fc00::/7} (includes AWS's IPv6 metadata address {@code fd00:ec2::254}). */
    ULA,
    /** {@code 224/4}, {@code ff00::/8}. */
    MULTICAST,
    /** {@code 0.0.0.0/8} ("this network"; {@code 0.0.0.0} reaches the local host on Linux) and {@code ::}. */
    UNSPECIFIED,
    /** The limited broadcast address {@code 255.255.255.255}. */
    BROADCAST,
    /** Benchmarking {@code 198.18/15}, {@code 2001:2::/48}. */
    BENCHMARK,
    /** Documentation {@code 192.0.2/24}, {@code 198.51.100/24}, {@code 203.0.113/24}, {@code 2001:db8::/32}, {@code 3fff::/20}. */
    DOCUMENTATION,
    /** An IPv4-mapped IPv6 address ({@code ::ffff:0:0/96}) whose IPv4 part is public: never a legitimate DNS answer. */
    IPV4_MAPPED,
    /**
     * Anything else not globally routable: {@code 240/4}, {@code 192.0.0/24}, {@code 192.88.99/24},
     * IPv4-compatible IPv6, {@code 2001::/23} (Teredo and protocol assignments), {@code 100::/64},
     * {@code 5f00::/16} and all IPv6 outside {@code 2000::/3}.
     */
    RESERVED;

    /** True only for {@link #PUBLIC}. */
    public boolean isPublic() {
        return this == PUBLIC;
    }
}
