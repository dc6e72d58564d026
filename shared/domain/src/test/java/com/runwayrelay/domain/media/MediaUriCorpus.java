package com.runwayrelay.domain.media;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A corpus file under {@code src/test/resources/security}: allowlist and fake-DNS directives plus
 * one entry per line. The format is described at the top of {@code hostile-media-uris.txt}.
 */
record MediaUriCorpus(List<String> allowlist, FakeHostResolver resolver, List<Entry> entries) {

    /** One line: the expanded URI, the kinds the field accepts, the expected code ("ok" = accepted). */
    record Entry(int line, String uri, Set<MediaKind> kinds, String expectedCode, String reason) {
        String displayName() {
            return "line " + line + ": " + reason;
        }
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{U\\+([0-9A-Fa-f]{4})}|\\{(\\d+)\\*(.)}");

    static MediaUriCorpus load(String resource) throws IOException {
        String text;
        try (InputStream in = MediaUriCorpus.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing test resource " + resource);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> allowlist = new ArrayList<>();
        FakeHostResolver resolver = new FakeHostResolver();
        List<Entry> entries = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            int number = i + 1;
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] tokens = line.split("\\s+", 4);
            if (tokens[0].equals("@allow") && tokens.length == 2) {
                allowlist.add(tokens[1]);
            } else if (tokens[0].equals("@dns") && tokens.length == 3) {
                resolver.answer(tokens[1], tokens[2].split(","));
            } else {
                entries.add(parseEntry(number, line, tokens));
            }
        }
        return new MediaUriCorpus(List.copyOf(allowlist), resolver, List.copyOf(entries));
    }

    MediaUriPolicy policy() {
        return new MediaUriPolicy(MediaPolicySettings.of(allowlist), resolver);
    }

    private static Entry parseEntry(int number, String line, String[] tokens) {
        if (tokens.length < 4 || !tokens[3].startsWith("#")) {
            throw new IllegalArgumentException("line " + number + " is not '<uri> <kinds> <code> # <reason>': " + line);
        }
        Set<MediaKind> kinds = EnumSet.noneOf(MediaKind.class);
        for (String kind : tokens[1].split(",")) {
            kinds.add(MediaKind.valueOf(kind.toUpperCase(Locale.ROOT)));
        }
        return new Entry(number, expand(tokens[0]), kinds, tokens[2], tokens[3].substring(1).strip());
    }

    /** Replaces {@code {U+XXXX}} and {@code {N*c}} placeholders. */
    static String expand(String raw) {
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
