package dev.colony.client;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A shared barrier with the {@link java.util.concurrent.CyclicBarrier} contract: a timeout or an
 * interrupted waiter breaks it, and the other waiters get {@link BrokenBarrierException}.
 *
 * <p>A barrier action ({@link ColonyClient#barrier(String, int, Runnable)}) belongs to the proxy it
 * was given to: when a party trips the barrier, its own action, if it has one, runs in its own
 * thread before any party is released. If the action throws, the tripping party gets that exception
 * and the others {@link BrokenBarrierException}; if the tripping client's session ends before the
 * action finishes, the barrier breaks as well.
 */
public interface ColonyBarrier {
  String name();

  /** Waits for all parties; returns the arrival index (parties - 1 first, 0 last). */
  int await() throws InterruptedException, BrokenBarrierException;

  int await(long timeout, TimeUnit unit)
      throws InterruptedException, BrokenBarrierException, TimeoutException;

  int getParties();

  int getNumberWaiting();

  boolean isBroken();

  /** Back to the initial state; current waiters get {@link BrokenBarrierException}. */
  void reset();

  /** Breaks the barrier (Python's {@code abort()}) until {@link #reset()}. */
  void abort();
}
