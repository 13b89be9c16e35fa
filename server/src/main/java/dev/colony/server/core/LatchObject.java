package dev.colony.server.core;

import dev.colony.proto.v1.LatchAwaitRequest;
import dev.colony.proto.v1.LatchAwaitResponse;
import dev.colony.proto.v1.LatchCountDownRequest;
import dev.colony.proto.v1.LatchCountDownResponse;
import dev.colony.proto.v1.LatchCountRequest;
import dev.colony.proto.v1.LatchCountResponse;
import dev.colony.proto.v1.LatchOptions;
import dev.colony.proto.v1.LatchSnapshot;
import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectInfo;
import dev.colony.proto.v1.ObjectSnapshot;
import dev.colony.proto.v1.WaiterSnapshot;

/**
 * A COUNT_DOWN_LATCH with Java {@code CountDownLatch} semantics: awaits block until the count
 * reaches zero, which releases everyone for good; counting down at zero does nothing.
 */
final class LatchObject extends SharedObject {
  private final long initialCount;
  private final WaiterQueue<LatchWaiter> waiters = new WaiterQueue<>();
  private long count;

  LatchObject(ObjectCreateRequest request, CoreEnv env) {
    super(request.getName(), request.getType(), env);
    this.initialCount = request.getLatch().getCount();
    if (initialCount < 0) {
      throw CoreException.invalid(
          "latch '"
              + name
              + "' needs a count of 0 or more (options.latch.count), not "
              + initialCount);
    }
    this.count = initialCount;
  }

  @Override
  public ObjectInfo info() {
    return ObjectInfo.newBuilder()
        .setName(name)
        .setType(type)
        .setSize(count)
        .setWaiters(waiters.size())
        .setDetail("count=" + initialCount)
        .build();
  }

  /** Unset options or count 0 accept the existing latch; another initial count conflicts. */
  @Override
  public void checkOptions(ObjectCreateRequest request) {
    long requested = request.getLatch().getCount();
    if (requested != 0 && requested != initialCount) {
      throw optionsConflict("count=" + initialCount, "count=" + requested);
    }
  }

  @Override
  public void delete() {
    LatchWaiter waiter;
    while ((waiter = waiters.poll()) != null) {
      waiter.finish();
      waiter.call().fail(deleted());
    }
  }

  public void countDown(CallContext ctx, LatchCountDownRequest request) {
    if (count > 0) {
      count--;
      if (count == 0) {
        releaseAll();
      }
    }
    long current = count;
    ctx.reply(r -> r.setLatchCountDown(LatchCountDownResponse.newBuilder().setCount(current)));
  }

  public void await(CallContext ctx, LatchAwaitRequest request) {
    if (count == 0 || (request.hasTimeoutMs() && request.getTimeoutMs() <= 0)) {
      boolean reached = count == 0;
      ctx.reply(r -> r.setLatchAwait(LatchAwaitResponse.newBuilder().setReached(reached)));
      return;
    }
    env.checkWaiters(ctx, this, waiters.size());
    LatchWaiter waiter = new LatchWaiter(ctx);
    waiters.add(waiter);
    env.park(waiter, CoreEnv.deadline(ctx.now(), request.hasTimeoutMs(), request.getTimeoutMs()));
  }

  public void count(CallContext ctx, LatchCountRequest request) {
    long current = count;
    ctx.reply(r -> r.setLatchCount(LatchCountResponse.newBuilder().setCount(current)));
  }

  @Override
  void writeState(ObjectSnapshot.Builder snapshot, SnapshotWriter writer) {
    LatchSnapshot.Builder latch =
        LatchSnapshot.newBuilder().setInitialCount(initialCount).setCount(count);
    for (LatchWaiter waiter : waiters) {
      latch.addWaiters(writer.waiter(waiter));
    }
    snapshot.setLatch(latch);
  }

  static LatchObject fromSnapshot(ObjectSnapshot snapshot, CoreEnv env, SnapshotReader reader) {
    LatchSnapshot state = snapshot.getLatch();
    LatchObject latch =
        new LatchObject(
            SharedObject.createRequest(snapshot)
                .setLatch(LatchOptions.newBuilder().setCount(state.getInitialCount()))
                .build(),
            env);
    latch.count = state.getCount();
    for (WaiterSnapshot waiter : state.getWaitersList()) {
      latch.waiters.add(reader.waiter(waiter, c -> latch.new LatchWaiter(c)));
    }
    return latch;
  }

  private void releaseAll() {
    LatchWaiter waiter;
    while ((waiter = waiters.poll()) != null) {
      waiter.finish();
      waiter.call().reply(r -> r.setLatchAwait(LatchAwaitResponse.newBuilder().setReached(true)));
    }
  }

  private final class LatchWaiter extends Waiter {
    LatchWaiter(CallContext call) {
      super(call);
    }

    @Override
    protected void onTimeout(long now) {
      waiters.remove(this);
      call.reply(r -> r.setLatchAwait(LatchAwaitResponse.newBuilder().setReached(false)));
    }

    @Override
    protected void onCancel() {
      waiters.remove(this);
    }
  }
}
