package dev.colony.server.core;

import dev.colony.proto.v1.BarrierAbortRequest;
import dev.colony.proto.v1.BarrierAbortResponse;
import dev.colony.proto.v1.BarrierAwaitRequest;
import dev.colony.proto.v1.BarrierAwaitResponse;
import dev.colony.proto.v1.BarrierInfoRequest;
import dev.colony.proto.v1.BarrierInfoResponse;
import dev.colony.proto.v1.BarrierOptions;
import dev.colony.proto.v1.BarrierResetRequest;
import dev.colony.proto.v1.BarrierResetResponse;
import dev.colony.proto.v1.BarrierSnapshot;
import dev.colony.proto.v1.BarrierWaiterSnapshot;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectInfo;
import dev.colony.proto.v1.ObjectSnapshot;

/**
 * A BARRIER with Java {@code CyclicBarrier} semantics: {@code parties} callers await, the last one
 * releases them all and the barrier starts a new generation. A waiter that times out or goes away
 * breaks the barrier for everyone, as an interrupted thread breaks a CyclicBarrier; a broken
 * barrier refuses awaits until it is reset.
 */
final class BarrierObject extends SharedObject {
  private final int parties;

  /** The current generation's waiters, in arrival order. */
  private final WaiterQueue<BarrierWaiter> waiters = new WaiterQueue<>();

  private boolean broken;

  BarrierObject(ObjectCreateRequest request, CoreEnv env) {
    super(request.getName(), request.getType(), env);
    this.parties = request.getBarrier().getParties();
    if (parties < 1) {
      throw CoreException.invalid(
          "barrier '"
              + name
              + "' needs 1 or more parties (options.barrier.parties), not "
              + parties);
    }
  }

  @Override
  public ObjectInfo info() {
    return ObjectInfo.newBuilder()
        .setName(name)
        .setType(type)
        .setSize(waiters.size())
        .setWaiters(waiters.size())
        .setDetail("parties=" + parties + (broken ? " broken" : ""))
        .build();
  }

  /** Unset options or parties 0 accept the existing barrier; other party counts conflict. */
  @Override
  public void checkOptions(ObjectCreateRequest request) {
    int requested = request.getBarrier().getParties();
    if (requested != 0 && requested != parties) {
      throw optionsConflict("parties=" + parties, "parties=" + requested);
    }
  }

  @Override
  public void delete() {
    failAll(deleted());
  }

  public void await(CallContext ctx, BarrierAwaitRequest request) {
    if (broken) {
      throw brokenBarrier("is broken; reset it before awaiting again");
    }
    int arrivalIndex = parties - 1 - waiters.size();
    if (arrivalIndex == 0) {
      trip();
      ctx.reply(r -> r.setBarrierAwait(BarrierAwaitResponse.newBuilder().setArrivalIndex(0)));
      return;
    }
    if (request.hasTimeoutMs() && request.getTimeoutMs() <= 0) {
      // CyclicBarrier.await(0, unit) by a non-last party: it times out at once and breaks.
      breakBarrier("was broken: a party gave up waiting (timeout 0)");
      throw timedOut(request.getTimeoutMs());
    }
    env.checkWaiters(this, waiters.size());
    BarrierWaiter waiter = new BarrierWaiter(ctx, arrivalIndex, request.getTimeoutMs());
    waiters.add(waiter);
    env.park(waiter, CoreEnv.deadline(ctx.now(), request.hasTimeoutMs(), request.getTimeoutMs()));
  }

  public void abort(CallContext ctx, BarrierAbortRequest request) {
    breakBarrier("was aborted");
    ctx.reply(r -> r.setBarrierAbort(BarrierAbortResponse.getDefaultInstance()));
  }

  public void reset(CallContext ctx, BarrierResetRequest request) {
    failAll(brokenBarrier("was reset while this caller waited"));
    broken = false;
    ctx.reply(r -> r.setBarrierReset(BarrierResetResponse.getDefaultInstance()));
  }

  public void barrierInfo(CallContext ctx, BarrierInfoRequest request) {
    BarrierInfoResponse info =
        BarrierInfoResponse.newBuilder()
            .setParties(parties)
            .setWaiting(waiters.size())
            .setBroken(broken)
            .build();
    ctx.reply(r -> r.setBarrierInfo(info));
  }

  @Override
  void writeState(ObjectSnapshot.Builder snapshot, SnapshotWriter writer) {
    BarrierSnapshot.Builder barrier =
        BarrierSnapshot.newBuilder().setParties(parties).setBroken(broken);
    for (BarrierWaiter waiter : waiters) {
      barrier.addWaiters(
          BarrierWaiterSnapshot.newBuilder()
              .setWaiter(writer.waiter(waiter))
              .setArrivalIndex(waiter.arrivalIndex)
              .setTimeoutMs(waiter.timeoutMillis));
    }
    snapshot.setBarrier(barrier);
  }

  static BarrierObject fromSnapshot(ObjectSnapshot snapshot, CoreEnv env, SnapshotReader reader) {
    BarrierSnapshot state = snapshot.getBarrier();
    BarrierObject barrier =
        new BarrierObject(
            SharedObject.createRequest(snapshot)
                .setBarrier(BarrierOptions.newBuilder().setParties(state.getParties()))
                .build(),
            env);
    barrier.broken = state.getBroken();
    for (BarrierWaiterSnapshot waiter : state.getWaitersList()) {
      barrier.waiters.add(
          reader.waiter(
              waiter.getWaiter(),
              c -> barrier.new BarrierWaiter(c, waiter.getArrivalIndex(), waiter.getTimeoutMs())));
    }
    return barrier;
  }

  /** The last party arrived: release this generation; the next await starts a new one. */
  private void trip() {
    BarrierWaiter waiter;
    while ((waiter = waiters.poll()) != null) {
      waiter.finish();
      int index = waiter.arrivalIndex;
      waiter
          .call()
          .reply(r -> r.setBarrierAwait(BarrierAwaitResponse.newBuilder().setArrivalIndex(index)));
    }
  }

  private void breakBarrier(String why) {
    broken = true;
    failAll(brokenBarrier(why));
  }

  private void failAll(CoreException error) {
    BarrierWaiter waiter;
    while ((waiter = waiters.poll()) != null) {
      waiter.finish();
      waiter.call().fail(error);
    }
  }

  private CoreException brokenBarrier(String what) {
    return CoreException.precondition(ErrorReason.BROKEN_BARRIER, "barrier '" + name + "' " + what);
  }

  private CoreException timedOut(long timeoutMillis) {
    return CoreException.timedOut(
        "barrier '"
            + name
            + "' did not trip within "
            + timeoutMillis
            + " ms; the barrier is now broken for the other parties");
  }

  private final class BarrierWaiter extends Waiter {
    final int arrivalIndex;
    final long timeoutMillis;

    BarrierWaiter(CallContext call, int arrivalIndex, long timeoutMillis) {
      super(call);
      this.arrivalIndex = arrivalIndex;
      this.timeoutMillis = timeoutMillis;
    }

    @Override
    protected void onTimeout(long now) {
      waiters.remove(this);
      breakBarrier("was broken: another party's wait timed out");
      call.fail(timedOut(timeoutMillis));
    }

    @Override
    protected void onCancel() {
      // Only a waiter still in this generation breaks it; one already failed by a break is gone.
      if (waiters.remove(this)) {
        breakBarrier("was broken: another party's call was cancelled or its session ended");
      }
    }
  }
}
