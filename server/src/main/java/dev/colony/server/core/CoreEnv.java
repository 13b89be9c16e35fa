package dev.colony.server.core;

/** What the core lends its objects: limits, deadlines and counters. */
public final class CoreEnv {
  private final Limits limits;
  private final Timers timers;
  private final DeadlockDetector deadlocks;
  private final Outbox outbox;
  private long nextDeliveryId = 1;

  CoreEnv(Limits limits, Timers timers, DeadlockDetector deadlocks, Outbox outbox) {
    this.limits = limits;
    this.timers = timers;
    this.deadlocks = deadlocks;
    this.outbox = outbox;
  }

  /** Where this command's outputs go. */
  Outbox outbox() {
    return outbox;
  }

  public Limits limits() {
    return limits;
  }

  /**
   * Parks {@code waiter} until {@code deadline} ({@link Timed#NEVER} for none). The caller must
   * first check the object's waiter limit with {@link #checkWaiters}.
   */
  public void park(Waiter waiter, long deadline) {
    waiter.park(deadline, timers);
  }

  /**
   * {@code waiter} (parked) has just queued to acquire a lock or semaphore: looks for the wait-for
   * cycle it may close. Under {@link DeadlockPolicy#FAIL} a waiter that closes one is failed (and
   * removed from its object) before this returns; check {@link Waiter#isWaiting()} afterwards if
   * that matters.
   */
  void blocked(Waiter waiter, long now) {
    deadlocks.onBlocked(waiter, now);
  }

  /** Deadline of a call with an optional timeout; unset waits forever. */
  public static long deadline(long now, boolean hasTimeout, long timeoutMillis) {
    if (!hasTimeout) {
      return Timed.NEVER;
    }
    long deadline = now + timeoutMillis;
    return deadline < now ? Timed.NEVER : deadline;
  }

  /** Throws LIMIT_EXCEEDED when an object already has as many waiters as allowed. */
  public void checkWaiters(SharedObject object, int waiting) {
    if (waiting >= limits.maxWaitersPerObject()) {
      throw CoreException.exhausted(
          dev.colony.proto.v1.ErrorReason.LIMIT_EXCEEDED,
          object.type()
              + " '"
              + object.name()
              + "' already has "
              + waiting
              + " blocked callers (limit "
              + limits.maxWaitersPerObject()
              + ")");
    }
  }

  /** Coordinator-wide unique id of a queue item handed out and not yet acknowledged. */
  public long nextDeliveryId() {
    return nextDeliveryId++;
  }

  /** The id {@link #nextDeliveryId()} hands out next, for a snapshot. */
  long peekNextDeliveryId() {
    return nextDeliveryId;
  }

  void restoreNextDeliveryId(long next) {
    nextDeliveryId = next;
  }
}
