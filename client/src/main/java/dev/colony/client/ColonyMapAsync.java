package dev.colony.client;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The asynchronous view of a {@link ColonyMap} ({@link ColonyMap#async()}): each operation one call
 * ({@link #putAll} too), many in flight on the client's session stream, applied in the order one
 * caller made them; futures complete in that order on the client's callback thread, failures as
 * {@link ColonyException}. Null keys and values are refused as by the map itself.
 */
public interface ColonyMapAsync<K, V> {
  /** The value, or null if the key is absent. */
  CompletableFuture<V> get(K key);

  /** Completes with the previous value, or null. */
  CompletableFuture<V> put(K key, V value);

  /** Completes with the present value (nothing put), or null (put). */
  CompletableFuture<V> putIfAbsent(K key, V value);

  /** Completes with the removed value, or null. */
  CompletableFuture<V> remove(K key);

  CompletableFuture<Boolean> containsKey(K key);

  /** All entries in one call. */
  CompletableFuture<Void> putAll(Map<? extends K, ? extends V> entries);
}
