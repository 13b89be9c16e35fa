package dev.colony.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PercentilesTest {

  /** 1 µs, 2 µs, ..., 100 µs in nanoseconds. */
  private static long[] oneToHundredMicros() {
    long[] nanos = new long[100];
    for (int i = 0; i < nanos.length; i++) {
      nanos[i] = (i + 1) * 1_000L;
    }
    return nanos;
  }

  @Test
  void nearestRank_onHundredValues_takesRankCeilQTimesN() {
    long[] nanos = oneToHundredMicros();

    assertEquals(50.0, Percentiles.nearestRankMicros(nanos, 100, 0.50));
    assertEquals(99.0, Percentiles.nearestRankMicros(nanos, 100, 0.99));
    assertEquals(100.0, Percentiles.nearestRankMicros(nanos, 100, 1.0));
    assertEquals(1.0, Percentiles.nearestRankMicros(nanos, 100, 0.0));
  }

  @Test
  void nearestRank_usesOnlyTheFirstNValues() {
    long[] nanos = oneToHundredMicros();

    // Ten values 1..10 µs: p50 is rank 5, p99 is rank ceil(9.9) = 10.
    assertEquals(5.0, Percentiles.nearestRankMicros(nanos, 10, 0.50));
    assertEquals(10.0, Percentiles.nearestRankMicros(nanos, 10, 0.99));
  }

  @Test
  void nearestRank_ofOddCount_isNotInterpolated() {
    long[] nanos = {1_000, 2_000, 9_000};

    // Rank ceil(1.5) = 2: the middle value, where interpolation would also give 2; rank for
    // q = 0.4 is ceil(1.2) = 2 as well, where linear interpolation would give 1.8.
    assertEquals(2.0, Percentiles.nearestRankMicros(nanos, 3, 0.50));
    assertEquals(2.0, Percentiles.nearestRankMicros(nanos, 3, 0.40));
    assertEquals(9.0, Percentiles.nearestRankMicros(nanos, 3, 0.99));
  }

  @Test
  void nearestRank_roundsToTenthOfMicrosecond() {
    long[] nanos = {123_449, 123_450};

    assertEquals(123.4, Percentiles.nearestRankMicros(nanos, 1, 0.5));
    assertEquals(123.5, Percentiles.nearestRankMicros(new long[] {123_450}, 1, 0.5));
  }

  @Test
  void nearestRank_ofNoValues_isNaN() {
    assertTrue(Double.isNaN(Percentiles.nearestRankMicros(new long[0], 0, 0.5)));
  }

  @Test
  void nearestRank_outsideZeroToOne_isRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Percentiles.nearestRankMicros(new long[] {1}, 1, 1.5));
  }

  @Test
  void median_ofEvenCount_isMeanOfTheMiddleTwo() {
    assertEquals(3.0, Medians.median(new double[] {1, 9, 2, 4}));
    assertEquals(4.0, Medians.median(new double[] {9, 4, 1}));
  }

  @Test
  void medians_ofBatchRows_keepNoLatency_andTakeTheMedianThroughput() {
    List<BenchRun> runs = new ArrayList<>();
    for (double rate : new double[] {300, 100, 200}) {
      runs.add(
          new BenchRun(
              List.of(ResultRow.batch("task_batch_1per_msg", "tasks/s", 10, 10 / rate, "")),
              List.of(),
              null,
              "2026-11-25T00:00:00Z",
              1.0,
              "test"));
    }

    ResultRow median = Medians.of(runs).get(0);

    assertEquals(200.0, median.opsPerSecond());
    assertTrue(Double.isNaN(median.p50Micros()));
    assertNull(median.toJson().get("p99_us"));
  }

  @Test
  void defaultChunksize_isPythonsPoolChunking() {
    // 100 000 items over 2 processes: ceil(100000 / 8) = 12 500 items per task.
    assertEquals(12_500, BenchParams.fullCounts().defaultChunksize());
  }
}
