package dev.colony.client;

import static dev.colony.client.ColonyServerFixture.name;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class DataProxiesTest {
  record Seat(String row, int number) {}

  private ColonyClient client;

  @BeforeEach
  void connect() {
    client = ColonyServerFixture.connect();
  }

  @AfterEach
  void close() {
    client.close();
  }

  @Test
  void atomicLong_behavesLikeAtomicLong() {
    ColonyAtomicLong counter = client.atomicLong(name("counter"));

    assertEquals(0, counter.get());
    assertEquals(1, counter.incrementAndGet());
    assertEquals(1, counter.getAndIncrement());
    assertEquals(2, counter.getAndAdd(10));
    assertEquals(11, counter.decrementAndGet());
    assertEquals(11, counter.getAndDecrement());
    assertEquals(15, counter.addAndGet(5));
    assertTrue(counter.compareAndSet(15, 100));
    assertFalse(counter.compareAndSet(15, 200));
    assertEquals(100, counter.getAndSet(7));
    assertEquals(14, counter.updateAndGet(v -> v * 2));
    assertEquals(14, counter.getAndUpdate(v -> v + 1));
    assertEquals(45, counter.accumulateAndGet(3, (v, x) -> v * x));
    counter.set(-1);
    assertEquals(-1, counter.get());
  }

  @Test
  void atomicLong_concurrentIncrementsFromTwoClients_loseNothing() throws Exception {
    String name = name("shared-counter");
    try (ColonyClient other = ColonyServerFixture.connect()) {
      CompletableFuture<Void> a = incrementMany(client.atomicLong(name), 200);
      CompletableFuture<Void> b = incrementMany(other.atomicLong(name), 200);
      a.get(20, TimeUnit.SECONDS);
      b.get(20, TimeUnit.SECONDS);
    }
    assertEquals(400, client.atomicLong(name).get());
  }

  private static CompletableFuture<Void> incrementMany(ColonyAtomicLong counter, int n) {
    return ColonyServerFixture.runAsync(
        () -> {
          for (int i = 0; i < n; i++) {
            counter.updateAndGet(v -> v + 1);
          }
        });
  }

  @Test
  void value_ofEachKind_startsEmptyAndSwaps() {
    ColonyValue<String> text = client.value(name("text"), String.class);
    assertEquals("", text.get());
    text.set("hello");
    assertEquals("hello", text.getAndSet("bye"));
    assertTrue(text.compareAndSet("bye", "again"));
    assertFalse(text.compareAndSet("bye", "never"));
    assertEquals("again", text.get());

    ColonyValue<Double> ratio = client.value(name("ratio"), Double.class);
    assertEquals(0.0, ratio.get());
    ratio.set(0.5);
    assertEquals(0.5, ratio.get());

    ColonyValue<Long> count = client.value(name("count"), Long.class);
    assertEquals(0L, count.get());
    assertTrue(count.compareAndSet(0L, 9L));
    assertEquals(9L, count.get());

    ColonyValue<byte[]> blob = client.value(name("blob"), byte[].class);
    assertArrayEquals(new byte[0], blob.get());
    blob.set(new byte[] {1, 2});
    assertTrue(blob.compareAndSet(new byte[] {1, 2}, new byte[] {3}));
    assertArrayEquals(new byte[] {3}, blob.get());
  }

  @Test
  void value_ofUnsupportedType_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> client.value(name("v"), Seat.class));
  }

  @Test
  void map_supportsTheConcurrentMapOperations() {
    ColonyMap<String, Seat> seats = client.map(name("seats"), String.class, Seat.class);

    assertNull(seats.put("alice", new Seat("A", 1)));
    assertEquals(new Seat("A", 1), seats.put("alice", new Seat("A", 2)));
    assertEquals(new Seat("A", 2), seats.get("alice"));
    assertNull(seats.get("nobody"));
    assertNull(seats.get(42));
    assertEquals(new Seat("A", 2), seats.putIfAbsent("alice", new Seat("Z", 9)));
    assertNull(seats.putIfAbsent("bob", new Seat("B", 1)));
    assertTrue(seats.containsKey("bob"));
    assertTrue(seats.containsValue(new Seat("B", 1)));
    assertEquals(2, seats.size());

    assertFalse(seats.replace("bob", new Seat("X", 0), new Seat("B", 2)));
    assertTrue(seats.replace("bob", new Seat("B", 1), new Seat("B", 2)));
    assertEquals(new Seat("B", 2), seats.replace("bob", new Seat("B", 3)));
    assertNull(seats.replace("carol", new Seat("C", 1)));
    assertFalse(seats.remove("bob", new Seat("B", 2)));
    assertTrue(seats.remove("bob", new Seat("B", 3)));
    assertEquals(new Seat("A", 2), seats.remove("alice"));
    assertTrue(seats.isEmpty());

    seats.putAll(Map.of("x", new Seat("X", 1), "y", new Seat("Y", 2)));
    assertEquals(Set.of("x", "y"), seats.keySet());
    assertEquals(2, seats.entrySet().size());
    assertEquals(Map.of("x", new Seat("X", 1), "y", new Seat("Y", 2)), Map.copyOf(seats));
    seats.clear();
    assertEquals(0, seats.size());
  }

  @Test
  void map_computeAndMerge_workThroughCasLoops() {
    ColonyMap<String, Long> counts = client.map(name("counts"), String.class, Long.class);

    assertEquals(1L, counts.merge("a", 1L, Long::sum));
    assertEquals(3L, counts.merge("a", 2L, Long::sum));
    assertEquals(10L, counts.compute("b", (k, v) -> v == null ? 10L : v + 1));
    assertEquals(11L, counts.compute("b", (k, v) -> v == null ? 10L : v + 1));
    assertEquals(5L, counts.computeIfAbsent("c", k -> 5L));
    assertEquals(5L, counts.computeIfAbsent("c", k -> 99L));
    assertEquals(6L, counts.computeIfPresent("c", (k, v) -> v + 1));
    assertNull(counts.compute("c", (k, v) -> null));
    assertFalse(counts.containsKey("c"));
    assertEquals(Map.of("a", 3L, "b", 11L), Map.copyOf(counts));
  }

  @Test
  void map_views_writeThroughAndSeeLaterChanges() {
    ColonyMap<String, Integer> map = client.map(name("views"), String.class, Integer.class);
    map.put("k", 1);

    Set<String> keys = map.keySet();
    map.put("later", 2);

    assertEquals(Set.of("k", "later"), keys);
    assertTrue(keys.remove("k"));
    assertFalse(map.containsKey("k"));
  }

  @Test
  void list_supportsIndexOperationsAndSnapshots() {
    ColonyList<String> list = client.list(name("list"), String.class);

    assertTrue(list.add("b"));
    list.add(0, "a");
    list.addAll(List.of("c", "d"));
    assertEquals(4, list.size());
    assertEquals("c", list.get(2));
    assertEquals("c", list.set(2, "C"));
    assertEquals("d", list.remove(3));
    assertEquals(List.of("a", "b", "C"), new ArrayList<>(list));
    assertTrue(list.contains("b"));
    assertEquals(1, list.indexOf("b"));
    assertArrayEquals(new Object[] {"a", "b", "C"}, list.toArray());
    assertEquals(List.of("a", "b", "C"), list);

    assertThrows(IndexOutOfBoundsException.class, () -> list.get(10));
    assertThrows(UnsupportedOperationException.class, () -> list.remove("a"));
    list.clear();
    assertTrue(list.isEmpty());
  }

  @Test
  void delete_removesTheObject() {
    String name = name("doomed");
    client.atomicLong(name).incrementAndGet();

    assertTrue(client.delete(name));
    assertFalse(client.delete(name));
    assertEquals(0, client.atomicLong(name).get());
  }
}
