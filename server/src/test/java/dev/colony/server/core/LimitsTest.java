package dev.colony.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LimitsTest {
  private static final long MIB = 1L << 20;

  @Test
  void sizedForHeap_keepsTwiceStoredAndRetryBytesPlusHeadroom_withinTheHeap() {
    for (long heap : new long[] {512 * MIB, 1024 * MIB, 6L << 30, 32L << 30}) {
      Limits limits = Limits.defaults().sizedForHeap(heap);
      long held = limits.maxStoredBytes() + limits.maxRetryBytes();
      assertTrue(2 * held + Limits.HEAP_HEADROOM_BYTES <= heap, "heap " + heap + ": " + limits);
      assertEquals(limits.maxStoredBytes() / 2, limits.maxBytesPerContainer());
      assertTrue(
          Math.abs(4 * limits.maxRetryBytes() - limits.maxStoredBytes()) <= 16,
          "four fifths stored, one fifth retry caches: " + limits);
    }
    Limits gib = Limits.defaults().sizedForHeap(1024 * MIB);
    assertEquals(307, gib.maxStoredBytes() / MIB);
    assertEquals(76, gib.maxRetryBytes() / MIB);
  }

  @Test
  void sizedForHeap_ofATinyHeap_stillLeavesRoomToWork() {
    Limits limits = Limits.defaults().sizedForHeap(64 * MIB);
    assertEquals(102, limits.maxStoredBytes() / MIB);
  }

  @Test
  void with_changesOneLimitOnly() {
    Limits changed = Limits.defaults().withMaxObjects(7);
    assertEquals(7, changed.maxObjects());
    assertEquals(
        Limits.defaults().withMaxObjects(Limits.defaults().maxObjects()), Limits.defaults());
    assertEquals(Limits.defaults().maxSessions(), changed.maxSessions());
  }
}
