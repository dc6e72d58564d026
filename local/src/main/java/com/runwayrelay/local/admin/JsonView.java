package com.runwayrelay.local.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Shows any JSON object to a person: scalars as aligned {@code name: value} lines, nested objects
 * indented below their name, lists of scalars joined, lists of objects as tables. It knows no member
 * by name, so whatever the API adds is shown too.
 */
final class JsonView {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonView() {
    }

    static void describe(JsonNode object, PrintStream out) {
        describe(object, out, "");
    }

    private static void describe(JsonNode object, PrintStream out, String indent) {
        int width = 0;
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            width = Math.max(width, field.getKey().length());
        }
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            String name = field.getKey();
            JsonNode value = field.getValue();
            String label = indent + name + ":";
            if (value.isObject() && !value.isEmpty()) {
                out.println(label);
                describe(value, out, indent + "  ");
            } else if (value.isArray() && !value.isEmpty() && allObjects(value)) {
                out.println(label);
                table(value).print(out, indent + "  ");
            } else {
                out.println((label + " ".repeat(width - name.length() + 1) + text(value)).stripTrailing());
            }
        }
    }

    /** A list of objects as a table: one column per member any of them has, nested values as compact JSON. */
    static Table table(JsonNode array) {
        Set<String> columns = new LinkedHashSet<>();
        array.forEach(item -> item.fieldNames().forEachRemaining(columns::add));
        Table table = new Table(columns.stream().toList());
        for (JsonNode item : array) {
            List<String> cells = new ArrayList<>();
            for (String column : columns) {
                cells.add(item.has(column) ? text(item.get(column)) : "");
            }
            table.row(cells);
        }
        return table;
    }

    private static boolean allObjects(JsonNode array) {
        for (JsonNode item : array) {
            if (!item.isObject()) {
                return false;
            }
        }
        return true;
    }

    /** A value on one line: {@code -} for null or missing, lists of scalars joined with commas, other JSON compact. */
    static String text(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "-";
        }
        if (value.isValueNode()) {
            return value.asText();
        }
        if (value.isArray() && value.isEmpty()) {
            return "[]";
        }
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            for (JsonNode item : value) {
                if (!item.isValueNode()) {
                    return compact(value);
                }
                items.add(text(item));
            }
            return String.join(", ", items);
        }
        return compact(value);
    }

    static String compact(JsonNode value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pretty(JsonNode value) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
