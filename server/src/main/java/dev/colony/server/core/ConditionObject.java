package dev.colony.server.core;

import dev.colony.proto.v1.ConditionAwaitRequest;
import dev.colony.proto.v1.ConditionAwaitResponse;
import dev.colony.proto.v1.ConditionInfoRequest;
import dev.colony.proto.v1.ConditionInfoResponse;
import dev.colony.proto.v1.ConditionSignalRequest;
import dev.colony.proto.v1.ConditionSignalResponse;
import dev.colony.proto.v1.ConditionSnapshot;
import dev.colony.proto.v1.ConditionWaiterSnapshot;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectInfo;
import dev.colony.proto.v1.ObjectSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A CONDITION bound to a LOCK or RLOCK (Python's threading.Condition). An await releases the lock
 * completely, waits for a signal or its timeout, then queues for the lock like any other waiter and
 * replies only once it holds the lock again with its old hold count.
 */
final class ConditionObject extends SharedObject {
  private final LockObject lock;

  /** Awaits waiting for a signal, oldest first. */
  private final WaiterQueue<AwaitWaiter> waiters = new WaiterQueue<>();

  /** Awaits signalled or timed out and now queued on the lock. */
  private final Set<AwaitWaiter> reacquiring = new LinkedHashSet<>();

  ConditionObject(ObjectCreateRequest request, CoreEnv env, LockObject lock) {
    super(request.getName(), request.getType(), env);
    this.lock = lock;
  }

  @Override
  public ObjectInfo info() {
    // A deleted lock fails its queued waiters without telling this condition; forget them here.
    reacquiring.removeIf(waiter -> !waiter.isWaiting());
    return ObjectInfo.newBuilder()
        .setName(name)
        .setType(type)
        .setWaiters(waiters.size() + reacquiring.size())
        .setDetail("lock=" + lock.name())
        .build();
  }

  @Override
  public void checkOptions(ObjectCreateRequest request) {
    String requested = request.getCondition().getLockName();
    if (!requested.isEmpty() && !requested.equals(lock.name())) {
      throw optionsConflict("lock_name=" + lock.name(), "lock_name=" + requested);
    }
  }

  @Override
  public void delete() {
    AwaitWaiter waiter;
    while ((waiter = waiters.poll()) != null) {
      waiter.finish();
      waiter.call().fail(deleted());
    }
    for (AwaitWaiter queued : new ArrayList<>(reacquiring)) {
      lock.removeWaiter(queued);
      queued.finish();
      queued.call().fail(deleted());
    }
    reacquiring.clear();
  }

  public void await(CallContext ctx, ConditionAwaitRequest request) {
    requireLock();
    WaitTimeouts.check(request.hasTimeoutMs(), request.getTimeoutMs());
    long thread = request.getThreadId();
    lock.requireHeldBy(ctx.session(), thread, "await condition '" + name + "' on");
    if (WaitTimeouts.isNoWait(request.hasTimeoutMs(), request.getTimeoutMs())) {
      // Releasing and at once re-taking the lock is indistinguishable from keeping it, and keeping
      // it means a zero timeout never parks.
      long token = lock.fencingToken();
      ctx.reply(
          r ->
              r.setConditionAwait(
                  ConditionAwaitResponse.newBuilder().setSignalled(false).setFencingToken(token)));
      return;
    }
    env.checkWaiters(ctx, this, waiters.size() + reacquiring.size());
    int holds = lock.releaseFully(ctx.session(), thread);
    AwaitWaiter waiter = new AwaitWaiter(ctx, thread, holds);
    waiters.add(waiter);
    env.park(waiter, CoreEnv.deadline(ctx.now(), request.hasTimeoutMs(), request.getTimeoutMs()));
  }

  public void signal(CallContext ctx, ConditionSignalRequest request) {
    requireLock();
    lock.requireHeldBy(ctx.session(), request.getThreadId(), "signal condition '" + name + "' on");
    if (request.getCount() < 0) {
      throw CoreException.invalid("count must be 0 (meaning 1) or more, got " + request.getCount());
    }
    int wanted = request.getAll() ? Integer.MAX_VALUE : Math.max(1, request.getCount());
    int woken = 0;
    AwaitWaiter waiter;
    while (woken < wanted && (waiter = waiters.poll()) != null) {
      waiter.signalled = true;
      toLockQueue(waiter, ctx.now());
      woken++;
    }
    int count = woken;
    ctx.reply(r -> r.setConditionSignal(ConditionSignalResponse.newBuilder().setWoken(count)));
  }

  /** ReentrantLock.getWaitQueueLength: awaits waiting for a signal; the caller holds the lock. */
  public void conditionInfo(CallContext ctx, ConditionInfoRequest request) {
    requireLock();
    lock.requireHeldBy(
        ctx.session(), request.getThreadId(), "inspect the waiters of condition '" + name + "' on");
    int waiting = waiters.size();
    ctx.reply(r -> r.setConditionInfo(ConditionInfoResponse.newBuilder().setWaiters(waiting)));
  }

  // ---- snapshots ------------------------------------------------------------------------

  @Override
  void writeState(ObjectSnapshot.Builder snapshot, SnapshotWriter writer) {
    boolean lockDeleted = lock.isDeleted();
    if (!lockDeleted && !writer.isRegistered(lock)) {
      throw new IllegalStateException(
          "condition " + name + " is bound to a lock that is neither registered nor deleted");
    }
    ConditionSnapshot.Builder condition =
        ConditionSnapshot.newBuilder().setLockName(lock.name()).setLockDeleted(lockDeleted);
    for (AwaitWaiter waiter : waiters) {
      condition.addWaiters(toSnapshot(waiter, writer));
    }
    for (AwaitWaiter waiter : reacquiring) {
      // A deleted lock failed its queue without telling this condition; such awaits only linger
      // here until info() forgets them, and nothing else reads them.
      if (lockDeleted && !waiter.isWaiting()) {
        continue;
      }
      condition.addReacquiring(toSnapshot(waiter, writer));
    }
    snapshot.setCondition(condition);
  }

  private static ConditionWaiterSnapshot toSnapshot(AwaitWaiter waiter, SnapshotWriter writer) {
    return ConditionWaiterSnapshot.newBuilder()
        .setWaiter(writer.waiter(waiter))
        .setThreadId(waiter.threadId)
        .setHoldCount(waiter.holdCount)
        .setSignalled(waiter.signalled)
        .build();
  }

  /**
   * A condition as a snapshot wrote it. Its awaits queued on the lock are created here and put in
   * the lock's queue by {@link LockObject#restoreQueue}.
   */
  static ConditionObject fromSnapshot(
      ObjectSnapshot snapshot, CoreEnv env, LockObject lock, SnapshotReader reader) {
    ConditionSnapshot state = snapshot.getCondition();
    ConditionObject condition =
        new ConditionObject(SharedObject.createRequest(snapshot).build(), env, lock);
    for (ConditionWaiterSnapshot waiter : state.getWaitersList()) {
      condition.waiters.add(condition.restoreWaiter(waiter, false, reader));
    }
    for (ConditionWaiterSnapshot waiter : state.getReacquiringList()) {
      condition.reacquiring.add(condition.restoreWaiter(waiter, true, reader));
    }
    return condition;
  }

  private AwaitWaiter restoreWaiter(
      ConditionWaiterSnapshot state, boolean queuedOnLock, SnapshotReader reader) {
    AwaitWaiter waiter =
        reader.waiter(
            state.getWaiter(), c -> new AwaitWaiter(c, state.getThreadId(), state.getHoldCount()));
    waiter.signalled = state.getSignalled();
    waiter.reacquiring = queuedOnLock;
    return waiter;
  }

  private void requireLock() {
    if (lock.isDeleted()) {
      throw lockDeleted();
    }
  }

  private CoreException lockDeleted() {
    return CoreException.notFound(
        ErrorReason.OBJECT_NOT_FOUND,
        "the lock '" + lock.name() + "' of condition '" + name + "' was deleted");
  }

  private void toLockQueue(AwaitWaiter waiter, long now) {
    waiter.reacquiring = true;
    reacquiring.add(waiter);
    lock.queueReacquire(waiter, now);
  }

  /** One await: first waiting for a signal here, then for the lock on the lock's queue. */
  private final class AwaitWaiter extends LockObject.LockWaiter {
    boolean signalled;
    boolean reacquiring;

    AwaitWaiter(CallContext call, long threadId, int holdCount) {
      super(call, threadId, holdCount);
    }

    @Override
    void granted(long fencingToken) {
      ConditionObject.this.reacquiring.remove(this);
      boolean wasSignalled = signalled;
      call.reply(
          r ->
              r.setConditionAwait(
                  ConditionAwaitResponse.newBuilder()
                      .setSignalled(wasSignalled)
                      .setFencingToken(fencingToken)));
    }

    @Override
    Acquirable acquiring() {
      return reacquiring ? lock : null;
    }

    @Override
    protected void onTimeout(long now) {
      if (!reacquiring && lock.isDeleted()) {
        // The lock went while this await waited for a signal: there is no lock to take again,
        // and taking the deleted one would leave the session holding what no longer exists.
        waiters.remove(this);
        call.fail(lockDeleted());
        return;
      }
      // The timer fired and detached this waiter from its session; it keeps waiting, now for the
      // lock and without a deadline (Python re-acquires without a timeout), so re-attach it.
      env.park(this, Timed.NEVER);
      if (!reacquiring) {
        waiters.remove(this);
        toLockQueue(this, now);
      }
    }

    @Override
    protected void onCancel() {
      if (reacquiring) {
        ConditionObject.this.reacquiring.remove(this);
        lock.removeWaiter(this);
      } else {
        waiters.remove(this);
      }
    }
  }
}
