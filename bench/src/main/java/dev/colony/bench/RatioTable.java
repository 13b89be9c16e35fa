package dev.colony.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Colony's rows beside the best peer's figure of each row, as a text table. */
final class RatioTable {
  /** One line: our figure, the best peer's (if any) and colony / best. */
  record Line(ResultRow colony, Optional<PeerResults.Figure> best) {
    Optional<Double> ratio() {
      return best.map(b -> colony.opsPerSecond() / b.opsPerSecond());
    }
  }

  private final List<Line> lines;

  private RatioTable(List<Line> lines) {
    this.lines = List.copyOf(lines);
  }

  static RatioTable of(List<ResultRow> colony, PeerResults peers) {
    List<Line> lines = new ArrayList<>();
    for (ResultRow row : colony) {
      lines.add(new Line(row, peers.best(row.op(), row.clients())));
    }
    return new RatioTable(lines);
  }

  List<Line> lines() {
    return lines;
  }

  /** The table; {@code runs} > 1 labels our column as medians. */
  String format(int runs) {
    String ours = runs > 1 ? "colony (median of " + runs + ")" : "colony";
    List<String[]> cells = new ArrayList<>();
    cells.add(new String[] {"op", ours, "p50/p99 µs", "best peer", "peer", "ratio colony/best"});
    for (Line line : lines) {
      ResultRow row = line.colony();
      cells.add(
          new String[] {
            row.key(),
            rate(row.opsPerSecond()) + " " + row.unit() + (row.truncated() ? " †" : ""),
            Double.isNaN(row.p50Micros())
                ? "-"
                : micros(row.p50Micros()) + " / " + micros(row.p99Micros()),
            line.best().map(b -> rate(b.opsPerSecond())).orElse("-"),
            line.best().map(PeerResults.Figure::column).orElse("(no peer row)"),
            line.ratio().map(r -> String.format(Locale.ROOT, "%.2fx", r)).orElse("-")
          });
    }
    int[] widths = new int[cells.get(0).length];
    for (String[] row : cells) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder text = new StringBuilder();
    for (int r = 0; r < cells.size(); r++) {
      String[] row = cells.get(r);
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        boolean numeric = i == 1 || i == 3 || i == 5;
        String format = "%" + (numeric && r > 0 ? "" : "-") + widths[i] + "s";
        line.append(i == 0 ? "" : " | ").append(String.format(Locale.ROOT, format, row[i]));
      }
      text.append(line.toString().stripTrailing()).append('\n');
      if (r == 0) {
        text.append("-".repeat(line.length())).append('\n');
      }
    }
    return text.toString();
  }

  /** The peer files the table used, with when each peer run started. */
  Map<String, String> sources() {
    Map<String, String> sources = new LinkedHashMap<>();
    for (Line line : lines) {
      line.best().ifPresent(b -> sources.putIfAbsent(b.file(), b.startedUtc()));
    }
    return sources;
  }

  /** One row as a line of progress output. */
  static String describe(ResultRow row) {
    String latency =
        Double.isNaN(row.p50Micros())
            ? ""
            : " (p50 " + micros(row.p50Micros()) + " / p99 " + micros(row.p99Micros()) + " µs)";
    return String.format(
        Locale.ROOT,
        "%-30s %s %s%s%s",
        row.key(),
        rate(row.opsPerSecond()),
        row.unit(),
        latency,
        row.truncated() ? " truncated at its time cap" : "");
  }

  static String rate(double value) {
    return String.format(Locale.ROOT, "%,.0f", value);
  }

  static String micros(double value) {
    return String.format(Locale.ROOT, "%,.1f", value);
  }
}
