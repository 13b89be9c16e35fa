package dev.colony.client;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * A shared lock with the {@link Lock} contract exactly: {@code lock()} waits uninterruptibly,
 * {@code lockInterruptibly()} throws {@link InterruptedException}, {@code tryLock(t, u)} returns
 * false on timeout, and {@code unlock()} by a thread that does not hold it throws {@link
 * IllegalMonitorStateException}. The owner is this client's session plus the calling thread.
 *
 * <p>If the client dies while holding the lock, the coordinator releases it when the session lease
 * runs out (default 10 s), so a dead client never holds it forever; the next holder gets a higher
 * {@link #fencingToken()}.
 */
public interface ColonyLock extends Lock {
  String name();

  /** The asynchronous view of this lock: the same operations as CompletableFutures. */
  ColonyLockAsync async();

  /**
   * The fencing token of the current thread's hold: strictly increasing per lock across all owners,
   * so a resource can refuse a stale holder.
   *
   * @throws IllegalMonitorStateException if the current thread does not hold the lock
   */
  long fencingToken();

  boolean isHeldByCurrentThread();

  /** Holds of the current thread (0 or 1 for a non-reentrant lock). */
  int getHoldCount();

  /** Whether any owner, in any client, holds the lock. */
  boolean isLocked();

  /** Whether anyone, in any client, waits to acquire the lock. */
  boolean hasQueuedThreads();

  /**
   * Whether {@code thread}, a thread of this client, waits to acquire the lock.
   *
   * @throws NullPointerException if {@code thread} is null
   */
  boolean hasQueuedThread(Thread thread);

  /** Callers waiting to acquire the lock, over every client. */
  int getQueueLength();

  /**
   * Whether anyone, in any client, awaits {@code condition} (a condition of this lock).
   *
   * @throws IllegalMonitorStateException if the current thread does not hold this lock
   * @throws IllegalArgumentException if {@code condition} is not one of this lock's
   * @throws NullPointerException if {@code condition} is null
   */
  boolean hasWaiters(Condition condition);

  /**
   * Callers, over every client, awaiting {@code condition} (a condition of this lock).
   *
   * @throws IllegalMonitorStateException if the current thread does not hold this lock
   * @throws IllegalArgumentException if {@code condition} is not one of this lock's
   * @throws NullPointerException if {@code condition} is null
   */
  int getWaitQueueLength(Condition condition);

  /** Always true: the lock is granted in FIFO order, and only {@link #tryLock()} barges. */
  boolean isFair();

  /** The lock's default condition, named {@code <lock>.condition}. */
  @Override
  ColonyCondition newCondition();

  /** A named condition bound to this lock (get-or-create). */
  ColonyCondition newCondition(String name);
}
