package com.runwayrelay.domain.media;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Port for DNS resolution, so policy checks can be tested without a network and the gateway can
 * swap in a resolver of its own.
 */
@FunctionalInterface
public interface HostResolver {

    /**
     * Every address {@code host} currently resolves to (A and AAAA records).
     *
     * @param host a DNS name in ASCII, lower case, without a trailing dot; never an IP literal
     *             (callers handle literals themselves)
     * @return the addresses, never empty
     * @throws UnknownHostException when the name does not resolve
     */
    List<InetAddress> resolve(String host) throws UnknownHostException;

    /** The JDK resolver ({@link InetAddress#getAllByName}), subject to the JVM's DNS cache settings. */
    static HostResolver system() {
        return JdkHostResolver.INSTANCE;
    }
}
