package dev.colony.bench;

import java.util.List;

/** Cells in aligned columns: the first column left-aligned, the others right-aligned. */
final class TextTable {
  private TextTable() {}

  /** The rows (the first one a header, underlined), each line starting with {@code indent}. */
  static String format(List<String[]> rows, String indent) {
    int columns = rows.stream().mapToInt(r -> r.length).max().orElse(0);
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder text = new StringBuilder();
    for (int r = 0; r < rows.size(); r++) {
      String[] row = rows.get(r);
      StringBuilder line = new StringBuilder(indent);
      for (int i = 0; i < columns; i++) {
        String cell = i < row.length ? row[i] : "";
        String pad = " ".repeat(widths[i] - cell.length());
        line.append(i == 0 ? "" : "  ").append(i == 0 ? cell + pad : pad + cell);
      }
      text.append(line.toString().stripTrailing()).append('\n');
      if (r == 0) {
        text.append(indent).append("-".repeat(line.length() - indent.length())).append('\n');
      }
    }
    return text.toString();
  }
}
