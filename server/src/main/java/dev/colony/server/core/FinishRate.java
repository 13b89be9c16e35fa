package dev.colony.server.core;

import dev.colony.proto.v1.TaskCounts;

/**
 * How many tasks finished per second lately, by the core's clock, so {@code colony status} answers
 * at once instead of sampling the counts twice. A metric, not state: it stays out of snapshots, and
 * a coordinator that starts (or restores a snapshot) counts afresh.
 */
final class FinishRate {
  private static final int SECONDS = 10;

  private final long[] finished = new long[SECONDS];
  private final long[] second = new long[SECONDS];
  private long countingSince = -1;

  void finished(long now) {
    start(now);
    long current = Math.floorDiv(now, 1000);
    int slot = (int) Math.floorMod(current, SECONDS);
    if (second[slot] != current) {
      second[slot] = current;
      finished[slot] = 0;
    }
    finished[slot]++;
  }

  /**
   * Sets the rate and its window, the last ten seconds or since counting began, on {@code counts}.
   */
  TaskCounts.Builder describe(long now, TaskCounts.Builder counts) {
    start(now);
    long current = Math.floorDiv(now, 1000);
    long windowStart = Math.max(countingSince, (current - SECONDS + 1) * 1000);
    long total = 0;
    for (int slot = 0; slot < SECONDS; slot++) {
      if (second[slot] > current - SECONDS && second[slot] <= current) {
        total += finished[slot];
      }
    }
    // At least a second, so the first tasks after a start do not read as a burst.
    long windowMs = Math.max(1000, now - windowStart);
    return counts.setFinishedPerSecond(total * 1000.0 / windowMs).setRateWindowMs(windowMs);
  }

  private void start(long now) {
    if (countingSince < 0) {
      countingSince = now;
    }
  }
}
