package com.runwayrelay.domain.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class AddressClassificationTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "0.0.0.0, UNSPECIFIED",
        "0.1.2.3, UNSPECIFIED",
        "1.1.1.1, PUBLIC",
        "8.8.8.8, PUBLIC",
        "9.255.255.255, PUBLIC",
        "10.0.0.0, PRIVATE",
        "10.255.255.255, PRIVATE",
        "11.0.0.0, PUBLIC",
        "100.63.255.255, PUBLIC",
        "100.64.0.0, CGNAT",
        "100.100.100.200, CGNAT",
        "100.127.255.255, CGNAT",
        "100.128.0.0, PUBLIC",
        "126.255.255.255, PUBLIC",
        "127.0.0.1, LOOPBACK",
        "127.255.255.254, LOOPBACK",
        "128.0.0.0, PUBLIC",
        "169.253.255.255, PUBLIC",
        "169.254.0.1, LINK_LOCAL",
        "169.254.169.254, LINK_LOCAL",
        "169.255.0.1, PUBLIC",
        "172.15.255.255, PUBLIC",
        "172.16.0.0, PRIVATE",
        "172.31.255.255, PRIVATE",
        "172.32.0.0, PUBLIC",
        "192.0.0.8, RESERVED",
        "192.0.0.170, RESERVED",
        "192.0.2.1, DOCUMENTATION",
        "192.0.3.1, PUBLIC",
        "192.88.99.1, RESERVED",
        "192.167.255.255, PUBLIC",
        "192.168.0.1, PRIVATE",
        "192.168.255.255, PRIVATE",
        "192.169.0.0, PUBLIC",
        "198.17.255.255, PUBLIC",
        "198.18.0.0, BENCHMARK",
        "198.19.255.255, BENCHMARK",
        "198.20.0.0, PUBLIC",
        "198.51.100.7, DOCUMENTATION",
        "203.0.113.9, DOCUMENTATION",
        "203.0.114.1, PUBLIC",
        "223.255.255.255, PUBLIC",
        "224.0.0.1, MULTICAST",
        "239.255.255.250, MULTICAST",
        "240.0.0.1, RESERVED",
        "255.255.255.254, RESERVED",
        "255.255.255.255, BROADCAST",
    })
    void classifiesIpv4(String literal, AddressClass expected) {
        assertEquals(expected, AddressGuard.classify(FakeHostResolver.literal(literal)));
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "::, UNSPECIFIED",
        "::1, LOOPBACK",
        "::127.0.0.1, LOOPBACK",
        "::10.0.0.1, PRIVATE",
        "::169.254.169.254, LINK_LOCAL",
        "::8.8.8.8, RESERVED",
        "64:ff9b::7f00:1, LOOPBACK",
        "64:ff9b::a9fe:a9fe, LINK_LOCAL",
        "64:ff9b::c0a8:101, PRIVATE",
        "64:ff9b::6464:64c8, CGNAT",
        "64:ff9b::808:808, PUBLIC",
        "64:ff9b:1::a00:1, PRIVATE",
        "64:ff9b:1::808:808, PRIVATE",
        "2002:7f00:1::, LOOPBACK",
        "2002:a9fe:a9fe::1, LINK_LOCAL",
        "2002:c0a8:101::1, PRIVATE",
        "2002:a00:1::1, PRIVATE",
        "2002:6440:1::, CGNAT",
        "2002:0:1::, UNSPECIFIED",
        "2002:808:808::1, PUBLIC",
        "2001:0:4136:e378:8000:63bf:3fff:fdd2, RESERVED",
        "2001:1ff::1, RESERVED",
        "2001:2::1, BENCHMARK",
        "2001:db8::1, DOCUMENTATION",
        "2001:db8:ffff::1, DOCUMENTATION",
        "3fff::1, DOCUMENTATION",
        "3fff:fff::1, DOCUMENTATION",
        "3fff:1000::1, PUBLIC",
        "2001:4860:4860::8888, PUBLIC",
        "2606:4700:4700::1111, PUBLIC",
        "2a00:1450:4001::1, PUBLIC",
        "fc00::1, ULA",
        "fd00:ec2::254, ULA",
        "fdff:ffff:ffff::1, ULA",
        "fe80::1, LINK_LOCAL",
        "febf::1, LINK_LOCAL",
        "fec0::1, PRIVATE",
        "feff::1, PRIVATE",
        "ff02::1, MULTICAST",
        "ff05::1:3, MULTICAST",
        "100::1, RESERVED",
        "5f00::1, RESERVED",
        "1000::1, RESERVED",
        "4000::1, RESERVED",
        "e000::1, RESERVED",
    })
    void classifiesIpv6(String literal, AddressClass expected) {
        assertEquals(expected, AddressGuard.classify(FakeHostResolver.literal(literal)));
    }

    @ParameterizedTest(name = "::ffff:{0} is {1}")
    @CsvSource({
        "127.0.0.1, LOOPBACK",
        "10.1.2.3, PRIVATE",
        "169.254.169.254, LINK_LOCAL",
        "100.100.100.200, CGNAT",
        "0.0.0.0, UNSPECIFIED",
        "8.8.8.8, IPV4_MAPPED",
    })
    void classifiesIpv4MappedAddressesKeptAsIpv6(String ipv4, AddressClass expected) throws UnknownHostException {
        byte[] bytes = new byte[16];
        bytes[10] = (byte) 0xff;
        bytes[11] = (byte) 0xff;
        System.arraycopy(FakeHostResolver.literal(ipv4).getAddress(), 0, bytes, 12, 4);
        InetAddress mapped = Inet6Address.getByAddress(null, bytes, -1);
        assertInstanceOf(Inet6Address.class, mapped);
        assertEquals(expected, AddressGuard.classify(mapped));
    }

    @Test
    void classifiesMappedLiteralsTheJdkTurnsIntoIpv4_byTheirIpv4Address() {
        InetAddress converted = FakeHostResolver.literal("::ffff:169.254.169.254");
        assertEquals(4, converted.getAddress().length);
        assertEquals(AddressClass.LINK_LOCAL, AddressGuard.classify(converted));
    }

    @Test
    void ignoresScopeIds_whenClassifying() throws UnknownHostException {
        byte[] bytes = FakeHostResolver.literal("fe80::1").getAddress();
        assertEquals(AddressClass.LINK_LOCAL, AddressGuard.classify(Inet6Address.getByAddress(null, bytes, 3)));
    }

    @Test
    void neverCallsAnAddressPublic_whenTheJdkFlagsItAsLocal() throws UnknownHostException {
        Random random = new Random(20_260_101L);
        for (int i = 0; i < 200_000; i++) {
            byte[] bytes = new byte[i % 2 == 0 ? 4 : 16];
            random.nextBytes(bytes);
            if (bytes.length == 16 && i % 4 == 1) {
                // Bias IPv6 samples towards the special prefixes; uniform bytes almost never hit them.
                bytes[0] = (byte) (random.nextBoolean() ? 0xfe : 0xff);
            }
            InetAddress address = InetAddress.getByAddress(bytes);
            boolean jdkLocal = address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                    || address.isSiteLocalAddress() || address.isMulticastAddress();
            if (jdkLocal) {
                assertNotEquals(AddressClass.PUBLIC, AddressGuard.classify(address), Arrays.toString(bytes));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(AddressClass.class)
    void onlyPublicIsPublic(AddressClass addressClass) {
        if (addressClass == AddressClass.PUBLIC) {
            assertTrue(addressClass.isPublic());
        } else {
            assertFalse(addressClass.isPublic());
        }
    }
}
