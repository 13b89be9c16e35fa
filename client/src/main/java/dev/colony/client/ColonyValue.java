package dev.colony.client;

/**
 * A shared typed value ({@code Long}, {@code Double}, {@code String} or {@code byte[]}); its kind
 * is fixed when it is created. {@code compareAndSet} compares by value (byte content for arrays).
 */
public interface ColonyValue<T> {
  String name();

  /** The asynchronous view of this value: the same operations as CompletableFutures. */
  ColonyValueAsync<T> async();

  T get();

  void set(T value);

  T getAndSet(T value);

  boolean compareAndSet(T expected, T update);
}
