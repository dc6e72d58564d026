package com.runwayrelay.domain.media;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** {@link HostResolver} backed by {@link InetAddress#getAllByName}. */
final class JdkHostResolver implements HostResolver {
    static final JdkHostResolver INSTANCE = new JdkHostResolver();

    private JdkHostResolver() {
    }

    @Override
    public List<InetAddress> resolve(String host) throws UnknownHostException {
        // getAllByName(null or "") answers with the loopback address instead of failing.
        if (host == null || host.isBlank()) {
            throw new UnknownHostException("empty host name");
        }
        InetAddress[] addresses = InetAddress.getAllByName(host);
        if (addresses.length == 0) {
            throw new UnknownHostException(host);
        }
        return List.of(addresses);
    }
}
