package com.runwayrelay.domain.media;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** In-memory {@link HostResolver}: answers from a table, records every lookup, never touches DNS. */
final class FakeHostResolver implements HostResolver {
    private final Map<String, List<InetAddress>> answers = new HashMap<>();
    private final List<String> lookups = new ArrayList<>();

    /** Makes {@code host} resolve to the given address literals, in order. */
    FakeHostResolver answer(String host, String... literals) {
        List<InetAddress> addresses = new ArrayList<>();
        for (String literal : literals) {
            addresses.add(literal(literal));
        }
        answers.put(host, List.copyOf(addresses));
        return this;
    }

    /** Makes {@code host} resolve to an empty list, which a well-behaved resolver never does. */
    FakeHostResolver answerNothing(String host) {
        answers.put(host, List.of());
        return this;
    }

    @Override
    public synchronized List<InetAddress> resolve(String host) throws UnknownHostException {
        lookups.add(host);
        List<InetAddress> addresses = answers.get(host);
        if (addresses == null) {
            throw new UnknownHostException(host);
        }
        return addresses;
    }

    synchronized List<String> lookups() {
        return List.copyOf(lookups);
    }

    /** Parses an IP literal without DNS (the JDK never queries DNS for a literal). */
    static InetAddress literal(String text) {
        if (!text.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("not an IP literal: " + text);
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP literal: " + text, e);
        }
    }
}
