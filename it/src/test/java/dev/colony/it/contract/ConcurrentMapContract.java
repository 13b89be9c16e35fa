package dev.colony.it.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
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

  // ---- the rest of ConcurrentMap's defaults -------------------------------------------------

  @Test
  void getOrDefaultForEachAndReplaceAll_seeAndChangeEveryEntry() {
    ConcurrentMap<String, Long> map = newMap();
    map.putAll(Map.of("a", 1L, "b", 2L));
    assertEquals(1L, map.getOrDefault("a", 9L));
    assertEquals(9L, map.getOrDefault("z", 9L));
    Map<String, Long> seen = new HashMap<>();
    map.forEach(seen::put);
    assertEquals(Map.of("a", 1L, "b", 2L), seen);
    map.replaceAll((k, v) -> v * 10);
    assertEquals(Map.of("a", 10L, "b", 20L), Map.copyOf(map));
    assertThrows(NullPointerException.class, () -> map.replaceAll((k, v) -> null));
  }

  @Test
  void computeIfAbsentAndIfPresent_followTheJdkRulesForNull() {
    ConcurrentMap<String, Long> map = newMap();
    assertEquals(1L, map.computeIfAbsent("k", k -> 1L));
    assertEquals(1L, map.computeIfAbsent("k", k -> 2L));
    assertNull(map.computeIfAbsent("none", k -> null));
    assertFalse(map.containsKey("none"));
    assertNull(map.computeIfPresent("none", (k, v) -> 5L));
    assertEquals(2L, map.computeIfPresent("k", (k, v) -> v + 1));
    assertNull(map.computeIfPresent("k", (k, v) -> null));
    assertFalse(map.containsKey("k"));
    assertEquals(3L, map.merge("m", 3L, (a, b) -> null));
    assertNull(map.merge("m", 4L, (a, b) -> null));
    assertFalse(map.containsKey("m"));
    assertThrows(NullPointerException.class, () -> map.merge("m", null, Long::sum));
  }

  @Test
  void nullsAndForeignTypes_areRefusedOrAbsent_likeConcurrentHashMap() {
    ConcurrentMap<String, Long> map = newMap();
    map.put("k", 1L);
    assertThrows(NullPointerException.class, () -> map.put(null, 1L));
    assertThrows(NullPointerException.class, () -> map.put("k", null));
    assertThrows(NullPointerException.class, () -> map.get(null));
    assertThrows(NullPointerException.class, () -> map.containsKey(null));
    assertThrows(NullPointerException.class, () -> map.containsValue(null));
    assertThrows(NullPointerException.class, () -> map.replace("k", null, 2L));
    assertFalse(map.remove("k", null));
    assertNull(map.get(42));
    assertFalse(map.containsKey(42));
    assertFalse(map.remove("k", "not a long"));
    assertEquals(1L, map.get("k"));
  }

  @Test
  void equalsHashCodeAndToString_areThoseOfAMap() {
    ConcurrentMap<String, Long> map = newMap();
    map.putAll(Map.of("a", 1L, "b", 2L));
    assertEquals(Map.of("a", 1L, "b", 2L), map);
    assertEquals(map, Map.of("a", 1L, "b", 2L));
    assertEquals(Map.of("a", 1L, "b", 2L).hashCode(), map.hashCode());
    map.remove("b");
    assertEquals("{a=1}", map.toString());
    assertTrue(map.containsValue(1L));
    assertFalse(map.containsValue(2L));
  }

  // ---- the views write through ---------------------------------------------------------------

  @Test
  void keySet_removalsWriteThrough_andAddIsUnsupported() {
    ConcurrentMap<String, Long> map = newMap();
    map.putAll(Map.of("a", 1L, "b", 2L, "c", 3L, "d", 4L, "e", 5L));
    Set<String> keys = map.keySet();
    assertTrue(keys.remove("a"));
    assertFalse(keys.remove("a"));
    assertTrue(keys.removeAll(Set.of("b", "z")));
    assertTrue(keys.removeIf(k -> k.equals("c")));
    assertTrue(keys.retainAll(Set.of("e")));
    assertEquals(Map.of("e", 5L), Map.copyOf(map));
    assertTrue(keys.contains("e"));
    assertEquals(1, keys.size());
    assertThrows(UnsupportedOperationException.class, () -> keys.add("f"));
    keys.clear();
    assertTrue(map.isEmpty());
  }

  @Test
  void values_removalsWriteThrough_oneMappingPerRemove() {
    ConcurrentMap<String, Long> map = newMap();
    map.putAll(Map.of("a", 1L, "b", 1L, "c", 2L, "d", 3L));
    Collection<Long> values = map.values();
    assertTrue(values.contains(2L));
    assertTrue(values.remove(1L));
    assertEquals(3, map.size());
    assertEquals(1, Collections.frequency(map.values(), 1L));
    assertTrue(values.removeIf(v -> v == 2L));
    assertFalse(values.removeIf(v -> v == 9L));
    assertTrue(values.removeAll(List.of(3L)));
    assertEquals(List.of(1L), new ArrayList<>(values));
    assertThrows(UnsupportedOperationException.class, () -> values.add(7L));
  }

  @Test
  void entrySet_removeIfContainsRemoveAndAdd_writeThrough() {
    ConcurrentMap<String, Long> map = newMap();
    map.putAll(Map.of("a", 1L, "b", 2L, "c", 3L));
    Set<Map.Entry<String, Long>> entries = map.entrySet();
    assertTrue(entries.contains(Map.entry("a", 1L)));
    assertFalse(entries.contains(Map.entry("a", 2L)));
    assertFalse(entries.remove(Map.entry("a", 2L)));
    assertTrue(entries.remove(Map.entry("a", 1L)));
    assertTrue(entries.removeIf(e -> e.getValue() > 2));
    assertTrue(entries.add(Map.entry("d", 4L)));
    assertFalse(entries.add(Map.entry("d", 5L)));
    assertEquals(Map.of("b", 2L, "d", 5L), Map.copyOf(map));
  }

  @Test
  void entrySetValue_writesThroughToTheMap() {
    ConcurrentMap<String, Long> map = newMap();
    map.put("a", 1L);
    Map.Entry<String, Long> entry = map.entrySet().iterator().next();
    assertEquals(1L, entry.setValue(2L));
    assertEquals(2L, entry.getValue());
    assertEquals(2L, map.get("a"));
    assertEquals(Map.entry("a", 2L), entry);
    assertEquals(Map.entry("a", 2L).hashCode(), entry.hashCode());
    assertThrows(NullPointerException.class, () -> entry.setValue(null));
  }

  @Test
  void iteratorRemove_onEveryView_removesTheKeyFromTheMap() {
    ConcurrentMap<String, Long> map = newMap();
    map.putAll(Map.of("a", 1L, "b", 2L, "c", 3L));
    removeWhere(map.keySet().iterator(), k -> k.equals("a"));
    removeWhere(map.values().iterator(), v -> v == 2L);
    removeWhere(map.entrySet().iterator(), e -> e.getKey().equals("c"));
    assertTrue(map.isEmpty());
    Iterator<String> fresh = map.keySet().iterator();
    assertThrows(IllegalStateException.class, fresh::remove);
  }

  private static <T> void removeWhere(Iterator<T> it, java.util.function.Predicate<T> matches) {
    while (it.hasNext()) {
      if (matches.test(it.next())) {
        it.remove();
        assertThrows(IllegalStateException.class, it::remove);
      }
    }
  }

  @Test
  void views_readAMapLargerThanAPage() {
    ConcurrentMap<String, Long> map = newMap();
    Map<String, Long> expected = new HashMap<>();
    for (long i = 0; i < SmallPages.MORE_THAN_A_PAGE; i++) {
      expected.put("k" + i, i);
    }
    map.putAll(expected);
    assertEquals(expected.keySet(), new HashSet<>(map.keySet()));
    assertEquals(expected.size(), map.keySet().stream().count());
    assertEquals(sorted(expected.values()), sorted(map.values()));
    assertEquals(expected, Map.copyOf(map));
    assertEquals(expected.size(), map.entrySet().toArray().length);
    assertTrue(map.containsValue(SmallPages.MORE_THAN_A_PAGE - 1L));
  }

  private static List<Long> sorted(Collection<Long> values) {
    List<Long> copy = new ArrayList<>(values);
    Collections.sort(copy);
    return copy;
  }

  @Test
  void iterator_isWeaklyConsistent_whileAnotherThreadChangesTheMap() throws Exception {
    ConcurrentMap<String, Long> map = newMap();
    Map<String, Long> initial = new HashMap<>();
    for (long i = 0; i < SmallPages.MORE_THAN_A_PAGE; i++) {
      initial.put("k" + i, i);
    }
    map.putAll(initial);
    Iterator<String> it = map.keySet().iterator();
    List<String> seen = new ArrayList<>();
    seen.add(it.next());
    String removed =
        initial.keySet().stream().filter(k -> !k.equals(seen.get(0))).findFirst().get();
    Concurrently.get(
        threads.run(
            () -> {
              map.remove(removed);
              map.put("late", 99L);
              map.replace(seen.get(0), -1L);
            }));
    it.forEachRemaining(seen::add);
    // Keys that stayed the whole time are seen exactly once; the removed and the late key may
    // or may not be.
    for (String key : initial.keySet()) {
      if (!key.equals(removed)) {
        assertEquals(1, Collections.frequency(seen, key), key + " in " + seen);
      }
    }
    assertEquals(seen.size(), new HashSet<>(seen).size(), "seen twice: " + seen);
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
