package com.runwayrelay.local.admin;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** A table of text with aligned columns: each column as wide as its widest cell, two spaces apart. */
final class Table {
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    Table(List<String> headers) {
        this.headers = List.copyOf(headers);
    }

    Table(String... headers) {
        this(List.of(headers));
    }

    Table row(List<String> cells) {
        if (cells.size() != headers.size()) {
            throw new IllegalArgumentException("a row of " + cells.size() + " cells in a table of " + headers.size() + " columns");
        }
        rows.add(cells.stream().map(cell -> cell == null ? "-" : cell.replaceAll("[\\r\\n\\t]", " ")).toList());
        return this;
    }

    Table row(String... cells) {
        return row(List.of(cells));
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    void print(PrintStream out, String indent) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        printRow(out, indent, headers, widths);
        rows.forEach(row -> printRow(out, indent, row, widths));
    }

    private static void printRow(PrintStream out, String indent, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder(indent);
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            line.append(cell);
            if (i < cells.size() - 1) {
                line.append(" ".repeat(widths[i] - cell.length() + 2));
            }
        }
        out.println(line.toString().stripTrailing());
    }
}
