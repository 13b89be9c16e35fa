package dev.colony.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.colony.proto.v1.TaskCounts;
import org.junit.jupiter.api.Test;

class FinishRateTest {
  private static final long T0 = 1_700_000_000_000L;

  @Test
  void countsTheLastTenSecondsOfTheCoreClock() {
    FinishRate rate = new FinishRate();
    rate.describe(T0, TaskCounts.newBuilder());
    for (int second = 0; second < 20; second++) {
      for (int i = 0; i < second; i++) {
        rate.finished(T0 + second * 1000L + i);
      }
    }

    TaskCounts counts = rate.describe(T0 + 19_999, TaskCounts.newBuilder()).build();

    // Seconds 10..19 finished 10+11+...+19 = 145 tasks over the ten-second window.
    assertEquals(10_000 - 1, counts.getRateWindowMs());
    assertEquals(145 * 1000.0 / 9_999, counts.getFinishedPerSecond(), 1e-9);
  }

  @Test
  void aFreshCountStartsItsWindowAtItsFirstSight_andNeverBelowASecond() {
    FinishRate rate = new FinishRate();
    rate.finished(T0);
    rate.finished(T0 + 100);

    TaskCounts early = rate.describe(T0 + 200, TaskCounts.newBuilder()).build();
    TaskCounts later = rate.describe(T0 + 4_000, TaskCounts.newBuilder()).build();

    assertEquals(1000, early.getRateWindowMs());
    assertEquals(2.0, early.getFinishedPerSecond(), 1e-9);
    assertEquals(4_000, later.getRateWindowMs());
    assertEquals(0.5, later.getFinishedPerSecond(), 1e-9);
  }

  @Test
  void quietSecondsBringTheRateToZero() {
    FinishRate rate = new FinishRate();
    rate.finished(T0);

    TaskCounts counts = rate.describe(T0 + 60_000, TaskCounts.newBuilder()).build();

    assertEquals(0.0, counts.getFinishedPerSecond());
  }
}
