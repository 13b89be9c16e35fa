package dev.colony.bench;

import java.util.Arrays;

/**
 * The peers' measurement rule (shared/peers/README.md, "How a number is taken"): {@code warmup}
 * untimed iterations, then up to {@code count} iterations each timed on its own with {@link
 * System#nanoTime()}; both loops stop once {@code maxSeconds} have passed (the row is then
 * truncated). Throughput = completed iterations / wall time of the timed loop.
 */
final class Measurement {
  /** How often the progress display is told (a few hundred updates per row at most). */
  private static final int PROGRESS_EVERY = 256;

  /** One iteration: a pair, one op or one task round trip. */
  @FunctionalInterface
  interface Body {
    void run(long i) throws Exception;
  }

  private Measurement() {}

  static ResultRow measure(
      String op,
      String unit,
      int warmup,
      int count,
      double maxSeconds,
      String what,
      Progress progress,
      Body body)
      throws Exception {
    long capNanos = (long) (maxSeconds * 1e9);
    try (Progress.Bar bar = progress.start(op, (long) warmup + count)) {
      long warmDeadline = System.nanoTime() + capNanos;
      for (int i = 0; i < warmup && System.nanoTime() < warmDeadline; i++) {
        body.run(-1 - i);
        if (i % PROGRESS_EVERY == 0) {
          bar.stepTo(i);
        }
      }
      bar.stepTo(warmup);

      long[] latencies = new long[count];
      int n = 0;
      boolean truncated = false;
      long start = System.nanoTime();
      long deadline = start + capNanos;
      while (n < count) {
        long t0 = System.nanoTime();
        body.run(n);
        long t1 = System.nanoTime();
        latencies[n++] = t1 - t0;
        if (n % PROGRESS_EVERY == 0) {
          bar.stepTo((long) warmup + n);
        }
        if (t1 > deadline && n < count) {
          truncated = true;
          break;
        }
      }
      long end = System.nanoTime();
      bar.stepTo((long) warmup + n);
      Arrays.sort(latencies, 0, n);
      return ResultRow.timed(op, unit, 1, latencies, n, (end - start) / 1e9, truncated, what);
    }
  }
}
