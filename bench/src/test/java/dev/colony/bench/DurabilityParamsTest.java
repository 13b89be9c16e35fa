package dev.colony.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DurabilityParamsTest {
  @Test
  void fullCounts_areTheMeasurementsOfTheBrief() {
    DurabilityParams full = DurabilityParams.fullCounts(20);
    assertEquals(1_000_000, full.loadOps());
    assertEquals(8, full.clients());
    assertEquals(64L << 20, full.sizeBoundBytes());
  }

  @Test
  void with_overridesWhatIsGiven_andTheWarmUpFollowsTheCount() {
    DurabilityParams p = DurabilityParams.quickCounts(20).with(5_000L, 4, 1_000, 16L);
    assertEquals(5_000, p.loadOps());
    assertEquals(4, p.clients());
    assertEquals(1_000, p.count());
    assertEquals(200, p.warmup());
    assertEquals(16L << 20, p.sizeBoundBytes());
    assertEquals(
        DurabilityParams.quickCounts(20),
        DurabilityParams.quickCounts(20).with(null, null, null, null));
  }

  @Test
  void nonsense_isRefused() {
    DurabilityParams quick = DurabilityParams.quickCounts(20);
    assertThrows(IllegalArgumentException.class, () -> quick.with(1L, null, null, null));
    assertThrows(IllegalArgumentException.class, () -> quick.with(null, 0, null, null));
    assertThrows(IllegalArgumentException.class, () -> quick.with(null, null, 0, null));
    assertThrows(IllegalArgumentException.class, () -> quick.with(null, null, null, 0L));
  }

  @Test
  void shares_splitAnOpCountEvenly() {
    assertArrayEquals(new int[] {4, 3, 3}, ConcurrentLoad.shares(10, 3));
    assertArrayEquals(new int[] {1, 1, 0, 0}, ConcurrentLoad.shares(2, 4));
  }
}
