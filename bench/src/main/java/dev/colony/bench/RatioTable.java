package dev.colony.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Colony's rows beside each peer's figure and the best one of each row, as a text table. */
final class RatioTable {
  /** One line: our figure, each peer's by column, the best peer's (if any) and colony / best. */
  record Line(
      ResultRow colony,
      Map<String, PeerResults.Figure> byColumn,
      Optional<PeerResults.Figure> best) {
    Optional<Double> ratio() {
      return best.map(b -> colony.opsPerSecond() / b.opsPerSecond());
    }
  }

  private final List<Line> lines;
  private final List<String> peerColumns;

  private RatioTable(List<Line> lines, List<String> peerColumns) {
    this.lines = List.copyOf(lines);
    this.peerColumns = List.copyOf(peerColumns);
  }

  static RatioTable of(List<ResultRow> colony, PeerResults peers) {
    List<Line> lines = new ArrayList<>();
    Set<String> columns = new LinkedHashSet<>();
    for (ResultRow row : colony) {
      Map<String, PeerResults.Figure> byColumn = peers.bestPerColumn(row.op(), row.clients());
      columns.addAll(byColumn.keySet());
      lines.add(new Line(row, byColumn, peers.best(row.op(), row.clients())));
    }
    return new RatioTable(lines, new ArrayList<>(columns));
  }

  List<Line> lines() {
    return lines;
  }

  /** The table; {@code runs} > 1 labels our column as medians. */
  String format(int runs) {
    String ours = runs > 1 ? "colony (median of " + runs + ")" : "colony";
    List<String> header = new ArrayList<>(List.of("op", ours, "p50/p99 µs"));
    header.addAll(peerColumns);
    header.addAll(List.of("best peer", "ratio colony/best"));
    List<String[]> cells = new ArrayList<>();
    cells.add(header.toArray(String[]::new));
    for (Line line : lines) {
      ResultRow row = line.colony();
      List<String> cell = new ArrayList<>();
      cell.add(row.key());
      cell.add(rate(row.opsPerSecond()) + " " + row.unit() + (row.truncated() ? " †" : ""));
      cell.add(
          Double.isNaN(row.p50Micros())
              ? "-"
              : micros(row.p50Micros()) + " / " + micros(row.p99Micros()));
      for (String column : peerColumns) {
        PeerResults.Figure figure = line.byColumn().get(column);
        cell.add(figure == null ? "-" : rate(figure.opsPerSecond()));
      }
      cell.add(line.best().map(PeerResults.Figure::column).orElse("(no peer row)"));
      cell.add(line.ratio().map(r -> String.format(Locale.ROOT, "%.2fx", r)).orElse("-"));
      cells.add(cell.toArray(String[]::new));
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
        boolean numeric = i == 1 || (i >= 3 && i < row.length - 2) || i == row.length - 1;
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
