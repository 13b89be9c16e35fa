package dev.colony.client;

import java.util.concurrent.CompletableFuture;

/**
 * The asynchronous view of a {@link ColonyValue} ({@link ColonyValue#async()}). As for {@link
 * ColonyQueueAsync}: many calls in flight on the client's session stream, applied in the order one
 * caller made them, futures completed in that order on the client's callback thread, failures as
 * {@link ColonyException}.
 */
public interface ColonyValueAsync<T> {
  CompletableFuture<T> get();

  CompletableFuture<Void> set(T value);

  /** Sets the value; completes with the previous one. */
  CompletableFuture<T> getAndSet(T value);

  CompletableFuture<Boolean> compareAndSet(T expected, T update);
}
