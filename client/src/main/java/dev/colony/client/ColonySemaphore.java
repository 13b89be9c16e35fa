package dev.colony.client;

import java.util.concurrent.TimeUnit;

/**
 * A shared fair counting semaphore with the {@link java.util.concurrent.Semaphore} method names and
 * contracts. Permits this client acquired and did not release come back when its session ends.
 */
public interface ColonySemaphore {
  String name();

  void acquire() throws InterruptedException;

  void acquire(int permits) throws InterruptedException;

  /** Waits for a permit; an interrupt does not stop the wait but stays set afterwards. */
  void acquireUninterruptibly();

  void acquireUninterruptibly(int permits);

  boolean tryAcquire();

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
   * The fencing token of the current thread's last successful acquire.
   *
   * @throws IllegalStateException if this thread never acquired through this proxy
   */
  long fencingToken();
}
