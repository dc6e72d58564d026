package com.runwayrelay.domain.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JDK resolver, exercised only with names and literals that never leave the machine. */
class HostResolverTest {

    @Test
    void resolvesLocalhostToLoopback() throws UnknownHostException {
        List<InetAddress> addresses = HostResolver.system().resolve("localhost");
        assertFalse(addresses.isEmpty());
        assertTrue(addresses.stream().allMatch(InetAddress::isLoopbackAddress), addresses.toString());
    }

    @Test
    void returnsLiteralsWithoutLookingThemUp() throws UnknownHostException {
        assertEquals(List.of(FakeHostResolver.literal("203.0.113.7")), HostResolver.system().resolve("203.0.113.7"));
    }

    @Test
    void refusesBlankNames_insteadOfAnsweringLoopback() {
        assertThrows(UnknownHostException.class, () -> HostResolver.system().resolve(""));
        assertThrows(UnknownHostException.class, () -> HostResolver.system().resolve(" "));
        assertThrows(UnknownHostException.class, () -> HostResolver.system().resolve(null));
    }
}
