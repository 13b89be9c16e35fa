package dev.colony.client;

import java.util.concurrent.TimeUnit;

/**
 * A shared counting semaphore with the {@link java.util.concurrent.Semaphore} method names and
 * contracts, fair unless created otherwise: waiters are served in FIFO order, and only an untimed
 * {@link #tryAcquire()} takes free permits ahead of them (an unfair semaphore lets any new acquire
 * do so). The available permits may be below zero (created so, or after {@link #reducePermits}).
 * Permits this client acquired (or drained) and did not release come back when its session ends.
 */
public interface ColonySemaphore {
  String name();

  /** The asynchronous view of this semaphore: the same operations as CompletableFutures. */
  ColonySemaphoreAsync async();

  void acquire() throws InterruptedException;

  void acquire(int permits) throws InterruptedException;

  /** Waits for a permit; an interrupt does not stop the wait but stays set afterwards. */
  void acquireUninterruptibly();

  void acquireUninterruptibly(int permits);

  /** Takes a permit if one is free now, even ahead of waiters on a fair semaphore. */
  boolean tryAcquire();

  /** Takes the permits if they are free now, even ahead of waiters on a fair semaphore. */
  boolean tryAcquire(int permits);

  boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException;

  boolean tryAcquire(int permits, long timeout, TimeUnit unit) throws InterruptedException;

  void release();

  /**
   * Returns permits. A bounded semaphore refuses to go above its initial permits with a {@link
   * ColonyException} ({@code SEMAPHORE_OVERFLOW}).
   */
  void release(int permits);

  int availablePermits();

  /**
   * Acquires every permit available now and returns how many; if fewer than zero are available,
   * sets them to zero and returns that negative count.
   */
  int drainPermits();

  /**
   * Lowers the available permits by {@code reduction} without waiting (they may go below zero).
   * Protected in {@link java.util.concurrent.Semaphore}, public here since the proxy is not meant
   * to be subclassed.
   *
   * @throws IllegalArgumentException if {@code reduction} is negative
   */
  void reducePermits(int reduction);

  /** Whether anyone, in any client, waits to acquire. */
  boolean hasQueuedThreads();

  /** Callers waiting to acquire, over every client. */
  int getQueueLength();

  boolean isFair();

  /**
   * The fencing token of the current thread's last successful acquire.
   *
   * @throws IllegalStateException if this thread never acquired through this proxy
   */
  long fencingToken();
}
