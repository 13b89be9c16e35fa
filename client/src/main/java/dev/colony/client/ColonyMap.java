package dev.colony.client;

import java.util.concurrent.ConcurrentMap;

/**
 * A shared map with the {@link ConcurrentMap} contract. Keys and values are compared by their
 * encoded bytes, so keys should encode deterministically (records and strings do). {@code
 * keySet()}, {@code values()} and {@code entrySet()} are snapshot copies taken in one call:
 * changing them does not change the map. {@code compute}, {@code merge} and friends are the
 * ConcurrentMap compare-and-set loops, atomic per key. Null keys and values are refused.
 */
public interface ColonyMap<K, V> extends ConcurrentMap<K, V> {
  String name();
}
