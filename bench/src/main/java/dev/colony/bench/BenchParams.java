package dev.colony.bench;

/**
 * Counts, warm-ups and caps of one bench run. {@link #fullCounts()} are the counts of the peers'
 * harness (shared/peers/README.md, "Counts"): 20 000 object ops after 5 000 warm-up (the JVM peers'
 * warm-up), 10 000 pairs per client in the multi-client row, 100 000 pool items, 5 000 task round
 * trips. {@link #quickCounts()} are the harness's --quick counts.
 *
 * @param count timed iterations of each single-client object row
 * @param warmup untimed iterations before them
 * @param concurrentCount timed queue pairs per client in the multi-client row
 * @param concurrentWarmup untimed pairs per client before the start barrier
 * @param clients client processes of the multi-client row
 * @param poolItems items of each task batch row
 * @param poolWarmupItems items of one untimed map before the task rows (both workers busy once)
 * @param latencyCount timed task round trips
 * @param latencyWarmup untimed task round trips
 * @param maxSeconds cap of each warm-up loop and each timed loop
 * @param workers worker processes (Python's Pool(processes=2) has 2)
 * @param slots task slots per worker
 * @param quick whether these are the smoke-test counts (reported in meta)
 */
public record BenchParams(
    int count,
    int warmup,
    int concurrentCount,
    int concurrentWarmup,
    int clients,
    int poolItems,
    int poolWarmupItems,
    int latencyCount,
    int latencyWarmup,
    double maxSeconds,
    int workers,
    int slots,
    boolean quick) {

  public static final double DEFAULT_MAX_SECONDS = 20.0;

  public BenchParams {
    requireAtLeast("count", count, 1);
    requireAtLeast("warmup", warmup, 0);
    requireAtLeast("concurrentCount", concurrentCount, 1);
    requireAtLeast("concurrentWarmup", concurrentWarmup, 0);
    requireAtLeast("clients", clients, 1);
    requireAtLeast("poolItems", poolItems, 1);
    requireAtLeast("poolWarmupItems", poolWarmupItems, 0);
    requireAtLeast("latencyCount", latencyCount, 1);
    requireAtLeast("latencyWarmup", latencyWarmup, 0);
    requireAtLeast("workers", workers, 1);
    requireAtLeast("slots", slots, 1);
    if (!(maxSeconds > 0)) {
      throw new IllegalArgumentException("maxSeconds must be positive, got " + maxSeconds);
    }
  }

  public static BenchParams fullCounts() {
    return new BenchParams(
        20_000,
        5_000,
        10_000,
        200,
        4,
        100_000,
        2_000,
        5_000,
        500,
        DEFAULT_MAX_SECONDS,
        2,
        4,
        false);
  }

  public static BenchParams quickCounts() {
    return new BenchParams(
        500, 100, 300, 50, 4, 5_000, 500, 300, 100, DEFAULT_MAX_SECONDS, 2, 4, true);
  }

  /**
   * Python's default Pool chunking: ceil(items / (processes * 4)), with the worker processes as the
   * Pool's processes (100 000 items, 2 workers: 12 500).
   */
  public int defaultChunksize() {
    int parts = workers * 4;
    return Math.max(1, (poolItems + parts - 1) / parts);
  }

  private static void requireAtLeast(String name, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
    }
  }
}
