package dev.colony.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table with aligned columns, for terminals and {@code grep}: a header row, then one
 * line per row; columns whose cells are all numbers are right-aligned.
 */
final class Table {
  private static final String GAP = "  ";

  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  Table(String... headers) {
    this.headers = List.of(headers);
  }

  Table row(Object... cells) {
    if (cells.length != headers.size()) {
      throw new IllegalArgumentException(
          "expected " + headers.size() + " cells, got " + cells.length);
    }
    List<String> row = new ArrayList<>(cells.length);
    for (Object cell : cells) {
      row.add(cell == null ? "" : String.valueOf(cell));
    }
    rows.add(row);
    return this;
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  void print(PrintWriter out) {
    int columns = headers.size();
    int[] widths = new int[columns];
    boolean[] numeric = new boolean[columns];
    for (int c = 0; c < columns; c++) {
      widths[c] = headers.get(c).length();
      numeric[c] = !rows.isEmpty();
      for (List<String> row : rows) {
        widths[c] = Math.max(widths[c], row.get(c).length());
        numeric[c] &= row.get(c).matches("-?\\d+(\\.\\d+)?");
      }
    }
    printLine(out, headers, widths, numeric);
    for (List<String> row : rows) {
      printLine(out, row, widths, numeric);
    }
  }

  private static void printLine(
      PrintWriter out, List<String> cells, int[] widths, boolean[] numeric) {
    StringBuilder line = new StringBuilder();
    for (int c = 0; c < cells.size(); c++) {
      String cell = cells.get(c);
      boolean last = c == cells.size() - 1;
      String padding = " ".repeat(widths[c] - cell.length());
      if (numeric[c]) {
        line.append(padding).append(cell);
      } else {
        line.append(cell).append(last ? "" : padding);
      }
      if (!last) {
        line.append(GAP);
      }
    }
    out.println(line.toString().stripTrailing());
  }
}
