package com.runwayrelay.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code docs/api.md} as data: for every route section ({@code ## METHOD /path}) its table of
 * status codes (content type, response headers, problem slugs), the table of statuses any route
 * may answer (route {@code *}), and the JSON examples marked {@code <!-- response: ROUTE STATUS -->}.
 */
record ApiDoc(List<Row> rows, Map<String, JsonNode> examples) {
    static final Path FILE = Path.of("..", "..", "docs", "api.md");
    private static final Pattern ROUTE = Pattern.compile("^## (GET|POST|DELETE|PUT|PATCH|ANY) (/\\S*)$");
    private static final Pattern EXAMPLE = Pattern.compile("^<!-- response: (.+) (\\d{3}) -->$");
    private static final Pattern SLUG = Pattern.compile("`([a-z-]+)`");

    /** One documented answer of a route. */
    record Row(String route, int status, String contentType, Set<String> headers, Set<String> slugs) {
    }

    static ApiDoc load() throws IOException {
        List<String> lines = Files.readAllLines(FILE);
        List<Row> rows = new ArrayList<>();
        Map<String, JsonNode> examples = new LinkedHashMap<>();
        String route = "*";
        List<String> columns = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher heading = ROUTE.matcher(line);
            if (heading.matches()) {
                route = heading.group(1) + " " + heading.group(2);
                continue;
            }
            if (line.startsWith("## ")) {
                route = "*";
            }
            if (line.startsWith("| Status |")) {
                columns = cells(line);
                continue;
            }
            if (columns != null && line.startsWith("|") && line.matches("\\| \\d{3} \\|.*")) {
                List<String> cells = cells(line);
                rows.add(new Row(route, Integer.parseInt(cells.get(0)), cell(columns, cells, "Content-Type"),
                        words(cell(columns, cells, "Headers")), slugs(cell(columns, cells, "Slug"))));
                continue;
            }
            if (!line.startsWith("|")) {
                columns = null;
            }
            Matcher example = EXAMPLE.matcher(line);
            if (example.matches()) {
                int start = i + 1;
                if (!lines.get(start).equals("```json")) {
                    throw new IllegalStateException("docs/api.md line " + (start + 1) + ": an example marker must be followed by ```json");
                }
                StringBuilder json = new StringBuilder();
                int j = start + 1;
                for (; !lines.get(j).equals("```"); j++) {
                    json.append(lines.get(j)).append('\n');
                }
                examples.put(example.group(1) + " " + example.group(2), new ObjectMapper().readTree(json.toString()));
                i = j;
            }
        }
        return new ApiDoc(List.copyOf(rows), Map.copyOf(examples));
    }

    /**
     * Where {@code actual}'s shape differs from {@code example}'s: the same member names at every
     * level (arrays are compared by their first items; an object whose only member is named
     * {@code …} stands for any members). Empty when they agree.
     */
    static List<String> shapeDifferences(String where, JsonNode example, JsonNode actual) {
        List<String> out = new ArrayList<>();
        if (example.isObject()) {
            if (!actual.isObject()) {
                out.add(where + ": expected an object, got " + actual.getNodeType());
                return out;
            }
            if (example.has("…")) {
                // A map with free-form members, written { "…": "…" } in the docs.
                return out;
            }
            Set<String> documented = names(example);
            Set<String> real = names(actual);
            if (!documented.equals(real)) {
                Set<String> missing = new TreeSet<>(documented);
                missing.removeAll(real);
                Set<String> undocumented = new TreeSet<>(real);
                undocumented.removeAll(documented);
                out.add(where + ": documented but absent " + missing + ", present but undocumented " + undocumented);
            }
            for (String name : documented) {
                if (actual.has(name)) {
                    out.addAll(shapeDifferences(where + "." + name, example.get(name), actual.get(name)));
                }
            }
        } else if (example.isArray() && !example.isEmpty()) {
            if (!actual.isArray()) {
                out.add(where + ": expected an array, got " + actual.getNodeType());
            } else if (!actual.isEmpty()) {
                out.addAll(shapeDifferences(where + "[0]", example.get(0), actual.get(0)));
            }
        }
        return out;
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new TreeSet<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static List<String> cells(String row) {
        String inner = row.strip();
        inner = inner.substring(1, inner.length() - 1);
        return Arrays.stream(inner.split("\\|", -1)).map(String::strip).toList();
    }

    private static String cell(List<String> columns, List<String> cells, String name) {
        int index = columns.indexOf(name);
        return index < 0 || index >= cells.size() ? "" : cells.get(index);
    }

    private static Set<String> words(String text) {
        Set<String> out = new TreeSet<>();
        for (String word : text.split("[,\\s]+")) {
            if (!word.isBlank()) {
                out.add(word.replace("`", ""));
            }
        }
        return out;
    }

    private static Set<String> slugs(String text) {
        Set<String> out = new TreeSet<>();
        Matcher matcher = SLUG.matcher(text);
        while (matcher.find()) {
            out.add(matcher.group(1));
        }
        return out;
    }
}
