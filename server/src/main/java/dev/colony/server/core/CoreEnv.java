package dev.colony.server.core;

/** What the core lends its objects: limits, deadlines and counters. */
public final class CoreEnv {
  private final Settings settings;
  private final Timers timers;
  private final DeadlockDetector deadlocks;
  private final Outbox outbox;
  private long nextDeliveryId = 1;

  /**
   * Bytes stored in all objects and tasks (see {@link Limits#storedSize}). Not written to a
   * snapshot: each object adds its own contents back as it is restored, so the sum comes out the
   * same.
   */
  private long storedBytes;

  CoreEnv(Settings settings, Timers timers, DeadlockDetector deadlocks, Outbox outbox) {
    this.settings = settings;
    this.timers = timers;
    this.deadlocks = deadlocks;
    this.outbox = outbox;
  }

  /** Where this command's outputs go. */
  Outbox outbox() {
    return outbox;
  }

  public Limits limits() {
    return settings.limits();
  }

  CoreOptions options() {
    return settings.options();
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

  /**
   * Throws LIMIT_EXCEEDED when an object already has as many waiters as allowed, or the caller's
   * session has as many blocked calls as allowed (on any objects).
   */
  public void checkWaiters(CallContext ctx, SharedObject object, int waiting) {
    if (waiting >= limits().maxWaitersPerObject()) {
      throw CoreException.exhausted(
          dev.colony.proto.v1.ErrorReason.LIMIT_EXCEEDED,
          object.type()
              + " '"
              + object.name()
              + "' already has "
              + waiting
              + " blocked callers (limit "
              + limits().maxWaitersPerObject()
              + ")");
    }
    checkSessionWaiters(ctx.session(), object.type() + " '" + object.name() + "'");
  }

  /** Throws LIMIT_EXCEEDED when {@code session} may not block one more call (on {@code what}). */
  void checkSessionWaiters(Session session, String what) {
    int blocked = session.pending.size();
    if (blocked >= limits().maxWaitersPerSession()) {
      throw CoreException.exhausted(
          dev.colony.proto.v1.ErrorReason.LIMIT_EXCEEDED,
          "cannot block on "
              + what
              + ": session "
              + session.label()
              + " already has "
              + blocked
              + " blocked calls (limit "
              + limits().maxWaitersPerSession()
              + " per session, --max-waiters-per-session); let some finish or cancel them");
    }
  }

  // ---- stored bytes ---------------------------------------------------------------------

  /** Bytes stored in all objects and tasks right now. */
  long storedBytes() {
    return storedBytes;
  }

  /** Counts {@code delta} bytes more (or fewer, if negative) as stored. */
  void stored(long delta) {
    storedBytes += delta;
  }

  /**
   * Throws LIMIT_EXCEEDED when {@code container}, which stores {@code held} bytes, may not take
   * {@code adding} more: past its own limit or the coordinator's.
   */
  void checkStore(SharedObject container, long held, long adding) {
    if (adding <= 0) {
      return;
    }
    String what = container.type() + " '" + container.name() + "'";
    if (held + adding > limits().maxBytesPerContainer()) {
      throw CoreException.exhausted(
          dev.colony.proto.v1.ErrorReason.LIMIT_EXCEEDED,
          what
              + " cannot take "
              + adding
              + " more bytes: it stores "
              + held
              + " (limit "
              + limits().maxBytesPerContainer()
              + " per queue, map or list, --max-container-bytes); take or remove some first");
    }
    checkTotal(what, adding, "take, remove or delete some first");
  }

  /** Throws LIMIT_EXCEEDED when the coordinator may not store {@code adding} more bytes. */
  void checkTotal(String what, long adding, String remedy) {
    if (adding > 0 && storedBytes + adding > limits().maxStoredBytes()) {
      throw CoreException.exhausted(
          dev.colony.proto.v1.ErrorReason.LIMIT_EXCEEDED,
          what
              + " cannot take "
              + adding
              + " more bytes: the coordinator stores "
              + storedBytes
              + " in all (limit "
              + limits().maxStoredBytes()
              + ", --max-stored-bytes); "
              + remedy);
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
