package dev.colony.server.core;

import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.LockAcquireRequest;
import dev.colony.proto.v1.LockAcquireResponse;
import dev.colony.proto.v1.LockAcquireWaiterSnapshot;
import dev.colony.proto.v1.LockHasQueuedThreadRequest;
import dev.colony.proto.v1.LockHasQueuedThreadResponse;
import dev.colony.proto.v1.LockInfoRequest;
import dev.colony.proto.v1.LockInfoResponse;
import dev.colony.proto.v1.LockQueueEntry;
import dev.colony.proto.v1.LockReleaseRequest;
import dev.colony.proto.v1.LockReleaseResponse;
import dev.colony.proto.v1.LockSnapshot;
import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectInfo;
import dev.colony.proto.v1.ObjectSnapshot;
import dev.colony.proto.v1.ObjectType;
import java.util.List;

/**
 * A LOCK (Python's Lock: acquiring it again from the owner waits) or RLOCK (reentrant, counting
 * holds). The owner is a session plus a thread id. Every grant carries a new fencing token, and
 * waiters are served in FIFO order. A {@link ConditionObject} bound to this lock releases it and
 * queues re-acquires through the package-private methods below.
 */
final class LockObject extends SharedObject implements Acquirable {
  private final boolean reentrant;
  private final WaiterQueue<LockWaiter> waiters = new WaiterQueue<>();
  private Session holderSession;
  private long holderThread;
  private int holdCount;
  private long lastToken;
  private boolean deleted;

  LockObject(ObjectCreateRequest request, CoreEnv env) {
    super(request.getName(), request.getType(), env);
    rejectOptions(request);
    this.reentrant = request.getType() == ObjectType.RLOCK;
  }

  /**
   * A caller queued for the lock. A plain acquire wants one hold; a condition's await wants its
   * earlier hold count back.
   */
  abstract static class LockWaiter extends Waiter {
    final long threadId;
    final int holdCount;

    LockWaiter(CallContext call, long threadId, int holdCount) {
      super(call);
      this.threadId = threadId;
      this.holdCount = holdCount;
    }

    /** The lock is now this waiter's; it has been finished and must reply. */
    abstract void granted(long fencingToken);

    @Override
    long ownerThread() {
      return threadId;
    }
  }

  @Override
  public List<OwnerKey> holders() {
    return isLocked() ? List.of(new OwnerKey(holderSession, holderThread)) : List.of();
  }

  @Override
  public ObjectInfo info() {
    ObjectInfo.Builder info =
        ObjectInfo.newBuilder()
            .setName(name)
            .setType(type)
            .setSize(isLocked() ? 1 : 0)
            .setWaiters(waiters.size())
            .setFencingToken(lastToken)
            .setDetail(reentrant ? "reentrant" : "non-reentrant");
    if (isLocked()) {
      info.addHolders(holderSession.owner(holderThread));
    }
    return info.build();
  }

  @Override
  public void checkOptions(ObjectCreateRequest request) {
    rejectOptions(request);
  }

  @Override
  public void releaseSession(Session session) {
    if (holderSession == session) {
      holdCount = 0;
      passOn();
    }
  }

  @Override
  public void delete() {
    deleted = true;
    LockWaiter waiter;
    while ((waiter = waiters.poll()) != null) {
      waiter.finish();
      waiter.call().fail(deleted());
    }
    if (holderSession != null) {
      holderSession.unhold(this);
      holderSession = null;
      holdCount = 0;
    }
  }

  public void acquire(CallContext ctx, LockAcquireRequest request) {
    WaitTimeouts.check(request.hasTimeoutMs(), request.getTimeoutMs());
    Session session = ctx.session();
    long thread = request.getThreadId();
    if (!isLocked()) {
      grant(session, thread, 1);
      replyAcquired(ctx, lastToken, holdCount);
      return;
    }
    if (reentrant && isHeldBy(session, thread)) {
      holdCount++;
      replyAcquired(ctx, lastToken, holdCount);
      return;
    }
    if (WaitTimeouts.isNoWait(request.hasTimeoutMs(), request.getTimeoutMs())) {
      ctx.reply(r -> r.setLockAcquire(LockAcquireResponse.newBuilder().setAcquired(false)));
      return;
    }
    env.checkWaiters(ctx, this, waiters.size());
    AcquireWaiter waiter = new AcquireWaiter(ctx, thread);
    waiters.add(waiter);
    env.park(waiter, CoreEnv.deadline(ctx.now(), request.hasTimeoutMs(), request.getTimeoutMs()));
    env.blocked(waiter, ctx.now());
  }

  public void release(CallContext ctx, LockReleaseRequest request) {
    long thread = request.getThreadId();
    requireHeldBy(ctx.session(), thread, "release");
    holdCount--;
    int left = holdCount;
    if (left == 0) {
      passOn();
    }
    ctx.reply(r -> r.setLockRelease(LockReleaseResponse.newBuilder().setHoldCount(left)));
  }

  public void lockInfo(CallContext ctx, LockInfoRequest request) {
    LockInfoResponse.Builder info =
        LockInfoResponse.newBuilder()
            .setLocked(isLocked())
            .setFencingToken(lastToken)
            .setHoldCount(holdCount)
            .setWaiters(waiters.size());
    if (isLocked()) {
      info.setHolder(holderSession.owner(holderThread));
    }
    ctx.reply(r -> r.setLockInfo(info));
  }

  /** ReentrantLock.hasQueuedThread for a thread of the caller's session. */
  public void hasQueuedThread(CallContext ctx, LockHasQueuedThreadRequest request) {
    boolean queued = false;
    for (LockWaiter waiter : waiters) {
      if (waiter.session() == ctx.session()
          && waiter.threadId == request.getThreadId()
          && waiter.isWaiting()) {
        queued = true;
        break;
      }
    }
    boolean answer = queued;
    ctx.reply(
        r -> r.setLockHasQueuedThread(LockHasQueuedThreadResponse.newBuilder().setQueued(answer)));
  }

  // ---- for ConditionObject ---------------------------------------------------------------

  boolean isDeleted() {
    return deleted;
  }

  boolean isHeldBy(Session session, long thread) {
    return holderSession == session && holderThread == thread;
  }

  /** Throws NOT_OWNER unless {@code (session, thread)} holds the lock. */
  void requireHeldBy(Session session, long thread, String action) {
    if (isHeldBy(session, thread)) {
      return;
    }
    String who = "session " + session.label() + " thread " + thread;
    String state =
        isLocked()
            ? "it is held by session "
                + holderSession.label()
                + " thread "
                + holderThread
                + " ("
                + holderSession.clientName()
                + " on "
                + holderSession.host()
                + " pid "
                + holderSession.pid()
                + ")"
            : "it is not held";
    throw CoreException.precondition(
        ErrorReason.NOT_OWNER,
        "cannot " + action + " " + type + " '" + name + "' as " + who + ": " + state);
  }

  long fencingToken() {
    return lastToken;
  }

  /**
   * Frees the lock whatever its hold count (condition await) and passes it to the next waiter.
   * Returns the hold count the owner had, to be restored when it gets the lock back.
   */
  int releaseFully(Session session, long thread) {
    requireHeldBy(session, thread, "release");
    int held = holdCount;
    holdCount = 0;
    passOn();
    return held;
  }

  /**
   * Queues {@code waiter} (already parked) to get the lock back; it is granted at once if the lock
   * is free. No waiter limit applies: the caller was already counted while it waited elsewhere.
   */
  void queueReacquire(LockWaiter waiter, long now) {
    if (!isLocked()) {
      grantTo(waiter);
    } else {
      waiters.add(waiter);
      env.blocked(waiter, now);
    }
  }

  /** Withdraws a queued waiter (its call timed out or was cancelled). */
  void removeWaiter(LockWaiter waiter) {
    waiters.remove(waiter);
  }

  // ---- snapshots ------------------------------------------------------------------------

  @Override
  void writeState(ObjectSnapshot.Builder snapshot, SnapshotWriter writer) {
    if (deleted) {
      throw new IllegalStateException("a deleted lock is not in the registry: " + name);
    }
    LockSnapshot.Builder lock =
        LockSnapshot.newBuilder().setHoldCount(holdCount).setLastToken(lastToken);
    if (holderSession != null) {
      lock.setHolderSessionId(writer.sessionId(holderSession)).setHolderThread(holderThread);
    }
    for (LockWaiter waiter : waiters) {
      if (waiter instanceof AcquireWaiter acquire) {
        lock.addQueue(
            LockQueueEntry.newBuilder()
                .setAcquire(
                    LockAcquireWaiterSnapshot.newBuilder()
                        .setWaiter(writer.waiter(acquire))
                        .setThreadId(acquire.threadId)));
      } else {
        // A condition's await, written with the condition.
        lock.addQueue(LockQueueEntry.newBuilder().setConditionAwait(writer.ref(waiter)));
      }
    }
    snapshot.setLock(lock);
  }

  /**
   * A lock as a snapshot wrote it, but with an empty queue: the queue may hold conditions' awaits,
   * so it is read by {@link #restoreQueue} once the conditions are restored.
   */
  static LockObject fromSnapshot(ObjectSnapshot snapshot, CoreEnv env, SnapshotReader reader) {
    LockSnapshot state = snapshot.getLock();
    LockObject lock = new LockObject(SharedObject.createRequest(snapshot).build(), env);
    if (!state.getHolderSessionId().isEmpty()) {
      lock.holderSession = reader.session(state.getHolderSessionId());
      lock.holderThread = state.getHolderThread();
    }
    lock.holdCount = state.getHoldCount();
    lock.lastToken = state.getLastToken();
    return lock;
  }

  void restoreQueue(LockSnapshot state, SnapshotReader reader) {
    for (LockQueueEntry entry : state.getQueueList()) {
      switch (entry.getKindCase()) {
        case ACQUIRE ->
            waiters.add(
                reader.waiter(
                    entry.getAcquire().getWaiter(),
                    c -> new AcquireWaiter(c, entry.getAcquire().getThreadId())));
        case CONDITION_AWAIT ->
            waiters.add(reader.waiter(entry.getConditionAwait(), LockWaiter.class));
        case KIND_NOT_SET ->
            throw SnapshotReader.invalid("a queue entry of lock " + name + " is empty");
      }
    }
  }

  /** The deleted lock a condition was bound to: every use of the condition refuses. */
  static LockObject deleted(String name, CoreEnv env) {
    LockObject lock =
        new LockObject(
            ObjectCreateRequest.newBuilder().setName(name).setType(ObjectType.LOCK).build(), env);
    lock.deleted = true;
    return lock;
  }

  // ---- internals ------------------------------------------------------------------------

  private boolean isLocked() {
    return holderSession != null;
  }

  private void grant(Session session, long thread, int holds) {
    holderSession = session;
    holderThread = thread;
    holdCount = holds;
    lastToken++;
    session.hold(this);
  }

  private void grantTo(LockWaiter waiter) {
    grant(waiter.session(), waiter.threadId, waiter.holdCount);
    waiter.finish();
    waiter.granted(lastToken);
  }

  /** The lock became free: hand it to the oldest waiter that can still take it. */
  private void passOn() {
    holderSession.unhold(this);
    holderSession = null;
    holderThread = 0;
    LockWaiter next;
    while ((next = waiters.poll()) != null) {
      if (next.isWaiting() && !next.session().isEnded()) {
        grantTo(next);
        return;
      }
    }
  }

  private static void replyAcquired(CallContext ctx, long token, int holds) {
    ctx.reply(
        r ->
            r.setLockAcquire(
                LockAcquireResponse.newBuilder()
                    .setAcquired(true)
                    .setFencingToken(token)
                    .setHoldCount(holds)));
  }

  private void rejectOptions(ObjectCreateRequest request) {
    if (request.getOptionsCase() != ObjectCreateRequest.OptionsCase.OPTIONS_NOT_SET) {
      throw CoreException.invalid(
          type + " '" + name + "' takes no options, got " + request.getOptionsCase());
    }
  }

  /** A plain acquire blocked behind the current owner. */
  private final class AcquireWaiter extends LockWaiter {
    AcquireWaiter(CallContext call, long threadId) {
      super(call, threadId, 1);
    }

    @Override
    void granted(long fencingToken) {
      replyAcquired(call, fencingToken, holdCount);
    }

    @Override
    Acquirable acquiring() {
      return LockObject.this;
    }

    @Override
    protected void onTimeout(long now) {
      waiters.remove(this);
      call.reply(r -> r.setLockAcquire(LockAcquireResponse.newBuilder().setAcquired(false)));
    }

    @Override
    protected void onCancel() {
      waiters.remove(this);
    }
  }
}
