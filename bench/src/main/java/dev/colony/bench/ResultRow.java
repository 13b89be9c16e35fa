package dev.colony.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One measured row in the peers' schema (shared/peers/README.md, "Result files"). Batch rows have
 * no latency ({@code p50Micros}/{@code p99Micros} NaN, written as null).
 */
public record ResultRow(
    String op,
    String unit,
    int clients,
    int count,
    double seconds,
    double opsPerSecond,
    double p50Micros,
    double p99Micros,
    boolean truncated,
    String what) {

  public static final String COLUMN = "colony";

  /** A row whose latencies are the nearest-rank percentiles of {@code sortedNanos[0..count)}. */
  static ResultRow timed(
      String op,
      String unit,
      int clients,
      long[] sortedNanos,
      int count,
      double seconds,
      boolean truncated,
      String what) {
    return new ResultRow(
        op,
        unit,
        clients,
        count,
        Percentiles.round3(seconds),
        Percentiles.round1(count / seconds),
        Percentiles.nearestRankMicros(sortedNanos, count, 0.50),
        Percentiles.nearestRankMicros(sortedNanos, count, 0.99),
        truncated,
        what);
  }

  /** A batch row: throughput only. */
  static ResultRow batch(String op, String unit, int count, double seconds, String what) {
    return new ResultRow(
        op,
        unit,
        1,
        count,
        Percentiles.round3(seconds),
        Percentiles.round1(count / seconds),
        Double.NaN,
        Double.NaN,
        false,
        what);
  }

  /** The key rows are compared on: op and number of clients. */
  public String key() {
    return key(op, clients);
  }

  static String key(String op, int clients) {
    return clients == 1 ? op : op + " (" + clients + " clients)";
  }

  /** The JSON object of this row, fields in the peers' order. */
  Map<String, Object> toJson() {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("op", op);
    row.put("unit", unit);
    row.put("clients", clients);
    row.put("count", count);
    row.put("seconds", seconds);
    row.put("ops_per_s", opsPerSecond);
    row.put("p50_us", Double.isNaN(p50Micros) ? null : p50Micros);
    row.put("p99_us", Double.isNaN(p99Micros) ? null : p99Micros);
    row.put("truncated", truncated);
    row.put("what", what);
    row.put("column", COLUMN);
    return row;
  }
}
