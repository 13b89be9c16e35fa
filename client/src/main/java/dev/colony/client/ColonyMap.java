package dev.colony.client;

import java.util.concurrent.ConcurrentMap;

/**
 * A shared map with the {@link ConcurrentMap} contract. Keys and values are compared by their
 * encoded bytes, so keys should encode deterministically (records and strings do). {@code
 * keySet()}, {@code values()} and {@code entrySet()} are views of the shared map, as
 * ConcurrentHashMap's are: removing through them (or their iterators, {@code removeIf}, {@code
 * retainAll}...) and {@code entry.setValue} change the map. They iterate in insertion order,
 * reading the map from the coordinator a page at a time ({@link
 * ColonyOptions.Builder#setPageSize}), and are weakly consistent: never a {@code
 * ConcurrentModificationException}, every entry that stays in the map seen exactly once. {@code
 * compute}, {@code merge} and friends are the ConcurrentMap compare-and-set loops, atomic per key
 * (the function may run more than once when another client changes the key meanwhile). Null keys
 * and values are refused.
 */
public interface ColonyMap<K, V> extends ConcurrentMap<K, V> {
  String name();

  /** The asynchronous view of this map: the same operations as CompletableFutures. */
  ColonyMapAsync<K, V> async();
}
