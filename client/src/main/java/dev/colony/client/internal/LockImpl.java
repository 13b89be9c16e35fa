package dev.colony.client.internal;

import dev.colony.client.ColonyCondition;
import dev.colony.client.ColonyLock;
import dev.colony.client.ColonyLockAsync;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.ConditionInfoRequest;
import dev.colony.proto.v1.LockAcquireRequest;
import dev.colony.proto.v1.LockAcquireResponse;
import dev.colony.proto.v1.LockHasQueuedThreadRequest;
import dev.colony.proto.v1.LockInfoRequest;
import dev.colony.proto.v1.LockInfoResponse;
import dev.colony.proto.v1.LockReleaseRequest;
import dev.colony.proto.v1.Reply;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.function.Function;

/**
 * A Lock or RLock proxy. The coordinator decides ownership; this proxy also remembers the holds of
 * its own threads (count and fencing token), so isHeldByCurrentThread and fencingToken need no
 * round trip.
 */
final class LockImpl extends ObjectProxy implements ColonyLock {
  /** One thread's hold: how many times (RLock) and the token of the grant. */
  record Hold(int count, long token) {}

  private final Map<Long, Hold> holds = new ConcurrentHashMap<>();
  private final Function<String, ColonyCondition> conditions;

  LockImpl(String name, Calls calls, Function<String, ColonyCondition> conditions) {
    super(name, calls);
    this.conditions = conditions;
  }

  @Override
  public void lock() {
    onAcquired(checked(calls.blockUninterruptibly(acquireCall(Calls.FOREVER))));
  }

  @Override
  public void lockInterruptibly() throws InterruptedException {
    acquire(Calls.FOREVER);
  }

  @Override
  public boolean tryLock() {
    return onAcquired(checked(calls.run(acquireCall(0))));
  }

  @Override
  public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
    return acquire(Calls.toMillis(time, unit));
  }

  private boolean acquire(long timeoutMillis) throws InterruptedException {
    Reply reply;
    try {
      reply = calls.block(acquireCall(timeoutMillis), timeoutMillis, "lock '" + name + "'");
    } catch (InterruptedCall e) {
      if (e.served() != null && e.served().getLockAcquire().getAcquired()) {
        release(); // granted as the interrupt came: give it back
      }
      throw e;
    }
    return onAcquired(checked(reply));
  }

  private Call.Builder acquireCall(long timeoutMillis) {
    return acquireCall(threadId(), timeoutMillis);
  }

  private Call.Builder acquireCall(long thread, long timeoutMillis) {
    LockAcquireRequest.Builder acquire =
        LockAcquireRequest.newBuilder().setName(name).setThreadId(thread);
    if (timeoutMillis != Calls.FOREVER) {
      acquire.setTimeoutMs(timeoutMillis);
    }
    return Call.newBuilder().setLockAcquire(acquire);
  }

  private boolean onAcquired(Reply reply) {
    return onAcquired(threadId(), reply);
  }

  private boolean onAcquired(long thread, Reply reply) {
    LockAcquireResponse acquired = reply.getLockAcquire();
    if (acquired.getAcquired()) {
      calls.trustGrant("the grant of lock '" + name + "'");
      holds.put(thread, new Hold(Math.max(1, acquired.getHoldCount()), acquired.getFencingToken()));
    }
    return acquired.getAcquired();
  }

  @Override
  public void unlock() {
    release();
  }

  /** Releases one hold of the current thread; NOT_OWNER becomes IllegalMonitorStateException. */
  private int release() {
    long thread = threadId();
    return released(thread, checked(calls.run(releaseCall(thread))));
  }

  private Call.Builder releaseCall(long thread) {
    return Call.newBuilder()
        .setLockRelease(LockReleaseRequest.newBuilder().setName(name).setThreadId(thread));
  }

  private int released(long thread, Reply reply) {
    int left = reply.getLockRelease().getHoldCount();
    if (left == 0) {
      holds.remove(thread);
    } else {
      holds.computeIfPresent(thread, (t, hold) -> new Hold(left, hold.token()));
    }
    return left;
  }

  // ---- the async view -------------------------------------------------------------------

  private final ColonyLockAsync async = new Async();

  @Override
  public ColonyLockAsync async() {
    return async;
  }

  /** The owner is the thread that calls: its id is taken now, the reply is handled later. */
  private final class Async implements ColonyLockAsync {
    @Override
    public CompletableFuture<Long> lock() {
      long thread = threadId();
      return calls.async(
          acquireCall(thread, Calls.FOREVER),
          r -> {
            onAcquired(thread, r);
            return r.getLockAcquire().getFencingToken();
          },
          r -> releaseGrant(thread, r));
    }

    @Override
    public CompletableFuture<Boolean> tryLock() {
      long thread = threadId();
      return calls.async(
          acquireCall(thread, 0), r -> onAcquired(thread, r), r -> releaseGrant(thread, r));
    }

    @Override
    public CompletableFuture<Boolean> tryLock(long time, TimeUnit unit) {
      long thread = threadId();
      return calls.async(
          acquireCall(thread, Calls.toMillis(time, unit)),
          r -> onAcquired(thread, r),
          r -> releaseGrant(thread, r));
    }

    @Override
    public CompletableFuture<Void> unlock() {
      long thread = threadId();
      return calls.async(
          releaseCall(thread),
          r -> {
            released(thread, r);
            return null;
          },
          null);
    }

    /** A grant that came after its future was cancelled goes back. */
    private void releaseGrant(long thread, Reply reply) {
      if (reply.getLockAcquire().getAcquired()) {
        released(thread, checked(calls.run(releaseCall(thread))));
      }
    }
  }

  @Override
  public long fencingToken() {
    Hold hold = validHold();
    if (hold == null) {
      throw new IllegalMonitorStateException(
          "the current thread does not hold lock '" + name + "'");
    }
    return hold.token();
  }

  @Override
  public boolean isHeldByCurrentThread() {
    return validHold() != null;
  }

  @Override
  public int getHoldCount() {
    Hold hold = validHold();
    return hold == null ? 0 : hold.count();
  }

  /**
   * The current thread's hold, if it is surely still valid: once the session is gone or its lease
   * may have run out (no renewal confirmed within a lease), the coordinator may have passed the
   * lock on, so this client no longer claims it.
   */
  private Hold validHold() {
    Hold hold = holds.get(threadId());
    if (hold == null || calls.holdsAreValid()) {
      return hold;
    }
    if (calls.session().isDead()) {
      holds.clear();
    }
    return null;
  }

  @Override
  public boolean isLocked() {
    return info().getLocked();
  }

  @Override
  public boolean hasQueuedThreads() {
    return info().getWaiters() > 0;
  }

  @Override
  public int getQueueLength() {
    return info().getWaiters();
  }

  @Override
  public boolean hasQueuedThread(Thread thread) {
    Objects.requireNonNull(thread, "thread");
    return checked(
            calls.run(
                Call.newBuilder()
                    .setLockHasQueuedThread(
                        LockHasQueuedThreadRequest.newBuilder()
                            .setName(name)
                            .setThreadId(thread.getId()))))
        .getLockHasQueuedThread()
        .getQueued();
  }

  @Override
  public boolean hasWaiters(Condition condition) {
    return getWaitQueueLength(condition) > 0;
  }

  @Override
  public int getWaitQueueLength(Condition condition) {
    Objects.requireNonNull(condition, "condition");
    if (!(condition instanceof ConditionImpl mine) || !mine.isBoundTo(this)) {
      throw new IllegalArgumentException(condition + " is not a condition of lock '" + name + "'");
    }
    return checked(
            calls.run(
                Call.newBuilder()
                    .setConditionInfo(
                        ConditionInfoRequest.newBuilder()
                            .setName(mine.name())
                            .setThreadId(threadId()))))
        .getConditionInfo()
        .getWaiters();
  }

  @Override
  public boolean isFair() {
    return true;
  }

  private LockInfoResponse info() {
    return checked(
            calls.run(Call.newBuilder().setLockInfo(LockInfoRequest.newBuilder().setName(name))))
        .getLockInfo();
  }

  @Override
  public ColonyCondition newCondition() {
    return newCondition(name + ".condition");
  }

  @Override
  public ColonyCondition newCondition(String conditionName) {
    return conditions.apply(conditionName);
  }

  // ---- for conditions -------------------------------------------------------------------

  Hold holdOfCurrentThread() {
    return holds.get(threadId());
  }

  /** After a condition wait the lock is held again, under a new grant. */
  void onReacquired(Hold before, long token) {
    holds.put(threadId(), new Hold(before == null ? 1 : before.count(), token));
  }

  /**
   * A cancelled condition wait must still return holding the lock (the Condition contract): if the
   * coordinator withdrew the wait without handing the lock back, take it again, as many times as it
   * was held.
   */
  void reacquireAfterCancelledWait(Hold before) {
    LockInfoResponse info = info();
    boolean mine =
        info.getLocked()
            && info.getHolder().getSessionLabel().equals(calls.session().sessionLabel())
            && info.getHolder().getThreadId() == threadId();
    if (mine) {
      holds.put(threadId(), new Hold(Math.max(1, info.getHoldCount()), info.getFencingToken()));
      return;
    }
    holds.remove(threadId());
    int times = before == null ? 1 : before.count();
    for (int i = 0; i < times; i++) {
      lock();
    }
  }
}
