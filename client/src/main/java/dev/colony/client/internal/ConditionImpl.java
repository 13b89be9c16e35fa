package dev.colony.client.internal;

import dev.colony.client.ColonyCondition;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.ConditionAwaitRequest;
import dev.colony.proto.v1.ConditionSignalRequest;
import dev.colony.proto.v1.Reply;
import java.util.Date;
import java.util.concurrent.TimeUnit;

/** A Condition bound to a {@link LockImpl}; the coordinator releases and re-takes the lock. */
final class ConditionImpl extends ObjectProxy implements ColonyCondition {
  private final LockImpl lock;

  ConditionImpl(String name, Calls calls, LockImpl lock) {
    super(name, calls);
    this.lock = lock;
  }

  boolean isBoundTo(LockImpl candidate) {
    return lock == candidate;
  }

  @Override
  public void await() throws InterruptedException {
    awaitFor(Calls.FOREVER);
  }

  @Override
  public void awaitUninterruptibly() {
    LockImpl.Hold before = lock.holdOfCurrentThread();
    Reply reply = checked(calls.blockUninterruptibly(awaitCall(Calls.FOREVER)));
    lock.onReacquired(before, reply.getConditionAwait().getFencingToken());
  }

  @Override
  public long awaitNanos(long nanosTimeout) throws InterruptedException {
    long start = System.nanoTime();
    boolean signalled = awaitFor(Calls.toMillis(nanosTimeout, TimeUnit.NANOSECONDS));
    long left = nanosTimeout - (System.nanoTime() - start);
    return signalled ? left : Math.min(left, 0);
  }

  @Override
  public boolean await(long time, TimeUnit unit) throws InterruptedException {
    return awaitFor(Calls.toMillis(time, unit));
  }

  @Override
  public boolean awaitUntil(Date deadline) throws InterruptedException {
    return awaitFor(Math.max(0, deadline.getTime() - System.currentTimeMillis()));
  }

  private boolean awaitFor(long timeoutMillis) throws InterruptedException {
    LockImpl.Hold before = lock.holdOfCurrentThread();
    Reply reply;
    try {
      reply = calls.block(awaitCall(timeoutMillis), timeoutMillis, "condition '" + name + "'");
    } catch (InterruptedCall e) {
      if (e.served() != null) {
        lock.onReacquired(before, e.served().getConditionAwait().getFencingToken());
      } else if (before != null) {
        lock.reacquireAfterCancelledWait(before);
      }
      throw e;
    }
    checked(reply);
    lock.onReacquired(before, reply.getConditionAwait().getFencingToken());
    return reply.getConditionAwait().getSignalled();
  }

  private Call.Builder awaitCall(long timeoutMillis) {
    ConditionAwaitRequest.Builder await =
        ConditionAwaitRequest.newBuilder().setName(name).setThreadId(threadId());
    if (timeoutMillis != Calls.FOREVER) {
      await.setTimeoutMs(timeoutMillis);
    }
    return Call.newBuilder().setConditionAwait(await);
  }

  @Override
  public void signal() {
    signal(false);
  }

  @Override
  public void signalAll() {
    signal(true);
  }

  private void signal(boolean all) {
    checked(
        calls.run(
            Call.newBuilder()
                .setConditionSignal(
                    ConditionSignalRequest.newBuilder()
                        .setName(name)
                        .setThreadId(threadId())
                        .setCount(1)
                        .setAll(all))));
  }
}
