package dev.colony.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The asynchronous view of a {@link ColonySemaphore} ({@link ColonySemaphore#async()}): permits are
 * held by this client's session plus the calling thread, as for the synchronous methods. Futures
 * complete on the client's callback thread in the order the calls were made; failures as {@link
 * ColonyException}. Cancelling a pending {@link #acquire(int)} withdraws it; permits granted as the
 * cancel raced are released.
 */
public interface ColonySemaphoreAsync {
  /** Waits for the permits. */
  CompletableFuture<Void> acquire(int permits);

  /** Takes the permits if they are free now, ahead of waiters. */
  CompletableFuture<Boolean> tryAcquire(int permits);

  /** Waits up to the timeout; false if the permits did not come free. */
  CompletableFuture<Boolean> tryAcquire(int permits, long timeout, TimeUnit unit);

  CompletableFuture<Void> release(int permits);
}
