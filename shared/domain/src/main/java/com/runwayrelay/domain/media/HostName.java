package com.runwayrelay.domain.media;

import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Host-name syntax shared by the media policy and the address guard. */
final class HostName {
    private static final int MAX_NAME_LENGTH = 253;
    private static final int MAX_LABEL_LENGTH = 63;

    /**
     * Names that reach the local machine or a private network whatever the allowlist says:
     * RFC 6761 {@code localhost}, mDNS {@code .local}, the ICANN-reserved {@code .internal}
     * (which also covers {@code metadata.google.internal} and {@code *.ec2.internal}),
     * {@code home.arpa}, and the private-use suffixes RFC 6762 appendix G lists.
     */
    private static final List<String> INTERNAL_SUFFIXES = List.of(
            "localhost", "local", "internal", "localdomain", "home.arpa",
            "intranet", "private", "corp", "home", "lan");

    private HostName() {
    }

    /**
     * The comparable form of a URI host: ASCII (non-ASCII names go through {@link IDN#toASCII}),
     * lower case, one trailing dot removed.
     *
     * @throws IllegalArgumentException naming the problem when the result is not a valid DNS name
     *                                  made of letters, digits and hyphens
     */
    static String normalize(String rawHost) {
        // Punycode never makes a name shorter, so a longer raw host can only fail; checking first
        // also keeps IDN.toASCII from its own "input too long" RuntimeException (found by fuzzing).
        if (rawHost.length() > MAX_NAME_LENGTH + 1) {
            throw new IllegalArgumentException("it is longer than " + MAX_NAME_LENGTH + " characters");
        }
        String ascii = rawHost;
        if (!isAscii(rawHost)) {
            try {
                ascii = IDN.toASCII(rawHost);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("it is not a valid internationalized domain name");
            }
        }
        String host = ascii.toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("it is empty");
        }
        if (host.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("it is longer than " + MAX_NAME_LENGTH + " characters");
        }
        for (String label : host.split("\\.", -1)) {
            checkLabel(label);
        }
        return host;
    }

    private static void checkLabel(String label) {
        if (label.isEmpty()) {
            throw new IllegalArgumentException("it has an empty label");
        }
        if (label.length() > MAX_LABEL_LENGTH) {
            throw new IllegalArgumentException("a label is longer than " + MAX_LABEL_LENGTH + " characters");
        }
        if (label.startsWith("-") || label.endsWith("-")) {
            throw new IllegalArgumentException("a label starts or ends with a hyphen");
        }
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
            if (!ok) {
                throw new IllegalArgumentException("it contains a character other than letters, digits, '-' and '.'");
            }
        }
    }

    /**
     * True when URL parsers would read this normalized host as an IPv4 address in some spelling:
     * its last label is a decimal number or {@code 0x}-prefixed hex. That covers {@code 127.1},
     * {@code 2130706433}, {@code 0177.0.0.1} and {@code 0x7f.1}. No real top-level domain is
     * numeric, so no DNS name is lost.
     */
    static boolean endsInNumber(String host) {
        String last = host.substring(host.lastIndexOf('.') + 1);
        if (last.startsWith("0x")) {
            return last.substring(2).chars().allMatch(c -> Character.digit(c, 16) >= 0);
        }
        return last.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /**
     * The address for a host written as a canonical dotted quad ({@code 203.0.113.9}: four
     * decimal parts, no leading zeros), or empty for any other spelling.
     */
    static Optional<InetAddress> canonicalIpv4(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')
                    || (part.length() > 1 && part.charAt(0) == '0')) {
                return Optional.empty();
            }
            int value = Integer.parseInt(part);
            if (value > 255) {
                return Optional.empty();
            }
            bytes[i] = (byte) value;
        }
        try {
            return Optional.of(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always a valid IPv4 address", e);
        }
    }

    /**
     * The address for the inside of a bracketed IPv6 literal ({@code ::1}, {@code ::ffff:10.0.0.1}),
     * or empty when it is not one. Zone ids ({@code %eth0}) are refused.
     */
    static Optional<InetAddress> ipv6Literal(String text) {
        if (text.isEmpty() || text.indexOf(':') < 0) {
            return Optional.empty();
        }
        // Only hex digits, ':' and '.': with those the JDK parses a literal and never queries DNS.
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!hex && c != ':' && c != '.') {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(InetAddress.getByName(text));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** True for {@code localhost} and its subdomains (RFC 6761 maps them to loopback). */
    static boolean isLoopbackName(String host) {
        return host.equals("localhost") || host.endsWith(".localhost");
    }

    /**
     * True for names that point inside the machine or a private network: single-label names
     * (resolved through the search domains, as {@code instance-data} and {@code metadata} are),
     * {@code localhost.*} and names under one of the internal suffixes.
     */
    static boolean isInternal(String host) {
        if (host.indexOf('.') < 0 || host.startsWith("localhost.")) {
            return true;
        }
        for (String suffix : INTERNAL_SUFFIXES) {
            if (host.equals(suffix) || host.endsWith("." + suffix)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0x7f) {
                return false;
            }
        }
        return true;
    }
}
