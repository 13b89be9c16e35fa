package dev.colony.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The asynchronous view of a {@link ColonyLock} ({@link ColonyLock#async()}). The owner of a hold
 * is this client's session plus the thread that called the method (as with Redisson's {@code
 * lockAsync()}), so a lock taken here from thread T is released by {@link #unlock()} called from T,
 * or by {@link ColonyLock#unlock()} on T. Futures complete on the client's callback thread in the
 * order the calls were made; failures as {@link ColonyException} (reason {@code NOT_OWNER} for an
 * unlock by a thread that holds nothing). Cancelling a pending {@link #lock()} or timed {@link
 * #tryLock(long, TimeUnit)} withdraws it; a grant that raced the cancel is released.
 */
public interface ColonyLockAsync {
  /** Waits for the lock; completes with the grant's fencing token. */
  CompletableFuture<Long> lock();

  /** Takes the lock if it is free now. */
  CompletableFuture<Boolean> tryLock();

  /** Waits up to the timeout; false if the lock stayed held by another owner. */
  CompletableFuture<Boolean> tryLock(long time, TimeUnit unit);

  /** Releases one hold of the calling thread. */
  CompletableFuture<Void> unlock();
}
