package dev.colony.it.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a {@link ConcurrentMap} does; bound to ConcurrentHashMap and the Colony Map. */
abstract class ConcurrentMapContract {

  protected final Concurrently threads = new Concurrently();

  /** A new empty map. */
  protected abstract ConcurrentMap<String, Long> newMap();

  @AfterEach
  void stopThreads() throws InterruptedException {
    threads.close();
  }

  @Test
  void putAndGet_returnPreviousValues() {
    ConcurrentMap<String, Long> map = newMap();
    assertNull(map.get("a"));
    assertNull(map.put("a", 1L));
    assertEquals(1L, map.put("a", 2L));
    assertEquals(2L, map.get("a"));
    assertTrue(map.containsKey("a"));
    assertFalse(map.containsKey("b"));
    assertEquals(1, map.size());
    assertFalse(map.isEmpty());
  }

  @Test
  void putIfAbsent_keepsTheFirstValue() {
    ConcurrentMap<String, Long> map = newMap();
    assertNull(map.putIfAbsent("k", 1L));
    assertEquals(1L, map.putIfAbsent("k", 2L));
    assertEquals(1L, map.get("k"));
  }

  @Test
  void removeKeyValue_removesOnlyOnMatch() {
    ConcurrentMap<String, Long> map = newMap();
    map.put("k", 1L);
    assertFalse(map.remove("k", 2L));
    assertTrue(map.containsKey("k"));
    assertTrue(map.remove("k", 1L));
    assertFalse(map.containsKey("k"));
    assertEquals(0, map.size());
  }

  @Test
  void remove_returnsTheRemovedValue() {
    ConcurrentMap<String, Long> map = newMap();
    map.put("k", 7L);
    assertEquals(7L, map.remove("k"));
    assertNull(map.remove("k"));
  }

  @Test
  void replace_onlyReplacesExistingOrMatchingValues() {
    ConcurrentMap<String, Long> map = newMap();
    assertNull(map.replace("k", 1L));
    assertFalse(map.containsKey("k"));
    map.put("k", 1L);
    assertEquals(1L, map.replace("k", 2L));
    assertFalse(map.replace("k", 1L, 3L));
    assertTrue(map.replace("k", 2L, 3L));
    assertEquals(3L, map.get("k"));
  }

  @Test
  void computeAndMerge_updateValues() {
    ConcurrentMap<String, Long> map = newMap();
    assertEquals(1L, map.compute("k", (k, v) -> v == null ? 1L : v + 1));
    assertEquals(2L, map.compute("k", (k, v) -> v == null ? 1L : v + 1));
    assertEquals(12L, map.merge("k", 10L, Long::sum));
    assertEquals(5L, map.merge("other", 5L, Long::sum));
    assertNull(map.compute("other", (k, v) -> null));
    assertFalse(map.containsKey("other"));
    assertEquals(Map.of("k", 12L), Map.copyOf(map));
  }

  @Test
  void keySetAndClear_reflectContents() {
    ConcurrentMap<String, Long> map = newMap();
    map.putAll(Map.of("a", 1L, "b", 2L));
    assertEquals(Set.of("a", "b"), Set.copyOf(map.keySet()));
    assertTrue(map.containsValue(2L));
    map.clear();
    assertTrue(map.isEmpty());
  }

  @Test
  void concurrentMerges_loseNoUpdate() throws Exception {
    ConcurrentMap<String, Long> map = newMap();
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      workers.add(
          threads.run(
              () -> {
                for (int i = 0; i < 25; i++) {
                  map.merge("hits", 1L, Long::sum);
                }
              }));
    }
    for (Future<?> worker : workers) {
      Concurrently.get(worker);
    }
    assertEquals(100L, map.get("hits"));
  }
}
