package dev.colony.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Combines the rows of several runs into one row per (op, clients): medians of each figure. */
final class Medians {
  private Medians() {}

  static List<ResultRow> of(List<BenchRun> runs) {
    Map<String, List<ResultRow>> byKey = new LinkedHashMap<>();
    for (BenchRun run : runs) {
      for (ResultRow row : run.rows()) {
        byKey.computeIfAbsent(row.key(), k -> new ArrayList<>()).add(row);
      }
    }
    List<ResultRow> medians = new ArrayList<>();
    for (List<ResultRow> rows : byKey.values()) {
      ResultRow first = rows.get(0);
      medians.add(
          new ResultRow(
              first.op(),
              first.unit(),
              first.clients(),
              rows.stream().mapToInt(ResultRow::count).min().orElse(0),
              median(rows.stream().mapToDouble(ResultRow::seconds).toArray()),
              median(rows.stream().mapToDouble(ResultRow::opsPerSecond).toArray()),
              median(rows.stream().mapToDouble(ResultRow::p50Micros).toArray()),
              median(rows.stream().mapToDouble(ResultRow::p99Micros).toArray()),
              rows.stream().anyMatch(ResultRow::truncated),
              first.what()));
    }
    return medians;
  }

  /** The median (mean of the middle two for an even count); NaN for none or NaN values. */
  static double median(double[] values) {
    if (values.length == 0 || java.util.Arrays.stream(values).anyMatch(Double::isNaN)) {
      return Double.NaN; // Batch rows have no latency: they stay without one.
    }
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    int mid = sorted.length / 2;
    double median = sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    return Percentiles.round1(median);
  }
}
