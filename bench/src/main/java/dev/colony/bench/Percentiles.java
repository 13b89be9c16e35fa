package dev.colony.bench;

/** Nearest-rank percentiles, as the peers' harness computes them (benchlib.py, Bench.java). */
public final class Percentiles {
  private Percentiles() {}

  /**
   * The nearest-rank {@code q} percentile of the first {@code n} values of {@code sortedNanos}
   * (ascending), in microseconds rounded to 0.1 µs: the value at rank ceil(q·n), clamped to 1..n.
   *
   * @return NaN when {@code n} is 0
   */
  public static double nearestRankMicros(long[] sortedNanos, int n, double q) {
    if (q < 0 || q > 1) {
      throw new IllegalArgumentException("q must be within 0..1, got " + q);
    }
    if (n == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(q * n);
    int index = Math.min(Math.max(rank, 1), n) - 1;
    return Math.round(sortedNanos[index] / 100.0) / 10.0;
  }

  static double round1(double value) {
    return Math.round(value * 10.0) / 10.0;
  }

  static double round3(double value) {
    return Math.round(value * 1000.0) / 1000.0;
  }
}
