package dev.colony.client;

import java.util.concurrent.CompletableFuture;

/**
 * The asynchronous view of a {@link ColonyAtomicLong} ({@link ColonyAtomicLong#async()}): each
 * operation one call, many in flight on the client's session stream, applied in the order one
 * caller made them; futures complete in that order on the client's callback thread, failures as
 * {@link ColonyException}.
 */
public interface ColonyAtomicLongAsync {
  CompletableFuture<Long> get();

  CompletableFuture<Void> set(long value);

  CompletableFuture<Long> getAndSet(long value);

  CompletableFuture<Boolean> compareAndSet(long expected, long update);

  CompletableFuture<Long> incrementAndGet();

  CompletableFuture<Long> decrementAndGet();

  CompletableFuture<Long> addAndGet(long delta);

  CompletableFuture<Long> getAndAdd(long delta);
}
