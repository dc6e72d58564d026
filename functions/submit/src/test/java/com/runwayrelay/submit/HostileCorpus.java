package com.runwayrelay.submit;

import com.runwayrelay.domain.media.HostResolver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The domain module's hostile media URI corpus ({@code shared/domain/src/test/resources/security/
 * hostile-media-uris.txt}), read in place so there is one corpus: its allowlist, its fake DNS
 * answers and its entries. The format is described at the top of the file.
 */
record HostileCorpus(List<String> allowlist, Map<String, List<String>> dns, List<Entry> entries) {
    static final Path FILE = Path.of("..", "..", "shared", "domain", "src", "test", "resources", "security",
            "hostile-media-uris.txt");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{U\\+([0-9A-Fa-f]{4})}|\\{(\\d+)\\*(.)}");

    /** One hostile URI and the first kind of media its field accepts ({@code image}, {@code video}, {@code audio}). */
    record Entry(int line, String uri, String kind, String reason) {
        @Override
        public String toString() {
            return "line " + line + " (" + reason + ")";
        }
    }

    static HostileCorpus load() throws IOException {
        List<String> allow = new ArrayList<>();
        Map<String, List<String>> dns = new HashMap<>();
        List<Entry> entries = new ArrayList<>();
        List<String> lines = Files.readAllLines(FILE);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] tokens = line.split("\\s+", 4);
            if (tokens[0].equals("@allow")) {
                allow.add(tokens[1]);
            } else if (tokens[0].equals("@dns")) {
                dns.put(tokens[1], List.of(tokens[2].split(",")));
            } else {
                entries.add(new Entry(i + 1, expand(tokens[0]), tokens[1].split(",")[0], tokens[3].substring(1).strip()));
            }
        }
        return new HostileCorpus(List.copyOf(allow), Map.copyOf(dns), List.copyOf(entries));
    }

    /** The corpus's DNS: the listed answers, every other name unknown. */
    HostResolver resolver() {
        return host -> {
            List<String> answers = dns.get(host);
            if (answers == null) {
                throw new UnknownHostException(host);
            }
            List<InetAddress> addresses = new ArrayList<>();
            for (String answer : answers) {
                addresses.add(InetAddress.getByName(answer));
            }
            return addresses;
        };
    }

    private static String expand(String raw) {
        Matcher matcher = PLACEHOLDER.matcher(raw);
        StringBuilder out = new StringBuilder();
        int last = 0;
        while (matcher.find()) {
            out.append(raw, last, matcher.start());
            if (matcher.group(1) != null) {
                out.append((char) Integer.parseInt(matcher.group(1), 16));
            } else {
                out.repeat(matcher.group(3), Integer.parseInt(matcher.group(2)));
            }
            last = matcher.end();
        }
        return out.append(raw, last, raw.length()).toString();
    }
}
