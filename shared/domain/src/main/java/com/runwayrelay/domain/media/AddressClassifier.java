package com.runwayrelay.domain.media;

import static com.runwayrelay.domain.media.AddressClass.BENCHMARK;
import static com.runwayrelay.domain.media.AddressClass.BROADCAST;
import static com.runwayrelay.domain.media.AddressClass.CGNAT;
import static com.runwayrelay.domain.media.AddressClass.DOCUMENTATION;
import static com.runwayrelay.domain.media.AddressClass.IPV4_MAPPED;
import static com.runwayrelay.domain.media.AddressClass.LINK_LOCAL;
import static com.runwayrelay.domain.media.AddressClass.LOOPBACK;
import static com.runwayrelay.domain.media.AddressClass.MULTICAST;
import static com.runwayrelay.domain.media.AddressClass.PRIVATE;
import static com.runwayrelay.domain.media.AddressClass.PUBLIC;
import static com.runwayrelay.domain.media.AddressClass.RESERVED;
import static com.runwayrelay.domain.media.AddressClass.ULA;
import static com.runwayrelay.domain.media.AddressClass.UNSPECIFIED;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;

/**
 * Classifies addresses with explicit CIDR tables (IANA special-purpose registries), first match
 * wins. The JDK's {@code isSiteLocalAddress()} and friends are not used: they miss CGNAT, ULA and
 * every embedded-IPv4 form.
 */
final class AddressClassifier {

    private record Cidr(byte[] prefix, int bits, AddressClass addressClass) {
        boolean contains(byte[] address) {
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (prefix[full] & mask);
        }
    }

    private static final List<Cidr> IPV4 = List.of(
            v4("0.0.0.0", 8, UNSPECIFIED),
            v4("10.0.0.0", 8, PRIVATE),
            v4("100.64.0.0", 10, CGNAT),
            v4("127.0.0.0", 8, LOOPBACK),
            v4("169.254.0.0", 16, LINK_LOCAL),
            v4("172.16.0.0", 12, PRIVATE),
            v4("192.0.0.0", 24, RESERVED),
            v4("192.0.2.0", 24, DOCUMENTATION),
            v4("192.88.99.0", 24, RESERVED),
            v4("192.168.0.0", 16, PRIVATE),
            v4("198.18.0.0", 15, BENCHMARK),
            v4("198.51.100.0", 24, DOCUMENTATION),
            v4("203.0.113.0", 24, DOCUMENTATION),
            v4("224.0.0.0", 4, MULTICAST),
            v4("255.255.255.255", 32, BROADCAST),
            v4("240.0.0.0", 4, RESERVED));

    /** Plain IPv6 ranges; the embedded-IPv4 forms are handled before this table is consulted. */
    private static final List<Cidr> IPV6 = List.of(
            v6(0x0100, 0, 64, RESERVED),
            v6(0x2001, 0x0002, 48, BENCHMARK),
            v6(0x2001, 0, 23, RESERVED),
            v6(0x2001, 0x0db8, 32, DOCUMENTATION),
            v6(0x3fff, 0, 20, DOCUMENTATION),
            v6(0x5f00, 0, 16, RESERVED),
            v6(0xfc00, 0, 7, ULA),
            v6(0xfe80, 0, 10, LINK_LOCAL),
            v6(0xfec0, 0, 10, PRIVATE),
            v6(0xff00, 0, 8, MULTICAST),
            v6(0x2000, 0, 3, PUBLIC));

    /**
     * IPv6 ranges that carry an IPv4 address, with where it sits. The range's own class applies
     * when the embedded address is public; otherwise the embedded address's class does.
     */
    private record Embedding(Cidr range, int offset) {
    }

    private static final List<Embedding> EMBEDDINGS = List.of(
            new Embedding(v6(new int[] {0, 0, 0, 0, 0, 0xffff}, 96, IPV4_MAPPED), 12),
            new Embedding(v6(new int[] {0, 0, 0, 0, 0, 0}, 96, RESERVED), 12),
            new Embedding(v6(new int[] {0x64, 0xff9b, 0, 0, 0, 0}, 96, PUBLIC), 12),
            new Embedding(v6(new int[] {0x64, 0xff9b, 1}, 48, PRIVATE), 12),
            new Embedding(v6(new int[] {0x2002}, 16, PUBLIC), 2));

    private AddressClassifier() {
    }

    static AddressClass classify(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == 4 ? classifyIpv4(bytes) : classifyIpv6(bytes);
    }

    static AddressClass classifyIpv4(byte[] bytes) {
        for (Cidr cidr : IPV4) {
            if (cidr.contains(bytes)) {
                return cidr.addressClass();
            }
        }
        return PUBLIC;
    }

    private static AddressClass classifyIpv6(byte[] bytes) {
        if (isAllZero(bytes, 0, 16)) {
            return UNSPECIFIED;
        }
        if (isAllZero(bytes, 0, 15) && bytes[15] == 1) {
            return LOOPBACK;
        }
        for (Embedding embedding : EMBEDDINGS) {
            if (embedding.range().contains(bytes)) {
                int offset = embedding.offset();
                AddressClass embedded = classifyIpv4(Arrays.copyOfRange(bytes, offset, offset + 4));
                return embedded.isPublic() ? embedding.range().addressClass() : embedded;
            }
        }
        for (Cidr cidr : IPV6) {
            if (cidr.contains(bytes)) {
                return cidr.addressClass();
            }
        }
        return RESERVED;
    }

    private static boolean isAllZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static Cidr v4(String dotted, int bits, AddressClass addressClass) {
        String[] parts = dotted.split("\\.");
        byte[] prefix = new byte[4];
        for (int i = 0; i < 4; i++) {
            prefix[i] = (byte) Integer.parseInt(parts[i]);
        }
        return new Cidr(prefix, bits, addressClass);
    }

    private static Cidr v6(int w0, int w1, int bits, AddressClass addressClass) {
        return v6(new int[] {w0, w1}, bits, addressClass);
    }

    /** A prefix given as its leading 16-bit words; the remaining words are zero. */
    private static Cidr v6(int[] words, int bits, AddressClass addressClass) {
        byte[] prefix = new byte[16];
        for (int i = 0; i < words.length; i++) {
            prefix[2 * i] = (byte) (words[i] >>> 8);
            prefix[2 * i + 1] = (byte) words[i];
        }
        return new Cidr(prefix, bits, addressClass);
    }
}
