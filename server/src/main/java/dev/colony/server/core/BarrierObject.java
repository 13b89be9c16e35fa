package dev.colony.server.core;

import dev.colony.proto.v1.BarrierAbortRequest;
import dev.colony.proto.v1.BarrierAbortResponse;
import dev.colony.proto.v1.BarrierActionDoneRequest;
import dev.colony.proto.v1.BarrierActionDoneResponse;
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
import java.util.List;

/**
 * A BARRIER with Java {@code CyclicBarrier} semantics: {@code parties} callers await, the last one
 * releases them all and the barrier starts a new generation. A waiter that times out or goes away
 * breaks the barrier for everyone, as an interrupted thread breaks a CyclicBarrier; a broken
 * barrier refuses awaits until it is reset.
 *
 * <p>A barrier action runs in the client of the tripping party (see barrier.proto). While it runs
 * the barrier is <em>tripping</em>: the released generation waits for the action's outcome without
 * a timeout (a CyclicBarrier's waiters cannot time out while the tripping thread holds its lock),
 * and new arrivals are deferred until the next generation starts, as they would block on that lock.
 * The runner's session holds the barrier, so a runner that goes away breaks it instead of leaving
 * everyone waiting.
 */
final class BarrierObject extends SharedObject {
  private final int parties;

  /** The current generation's waiters, in arrival order. */
  private final WaiterQueue<BarrierWaiter> waiters = new WaiterQueue<>();

  /** The generation tripped by a party whose action is running, in arrival order. */
  private final WaiterQueue<BarrierWaiter> tripped = new WaiterQueue<>();

  /** Arrivals while an action runs, in order; they arrive for real once it is done. */
  private WaiterQueue<BarrierWaiter> deferred = new WaiterQueue<>();

  private boolean broken;

  /** The session running the barrier action, or null when none runs. */
  private Session actionSession;

  private long lastActionId;

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
        .setWaiters(blockedCount())
        .setDetail(
            "parties="
                + parties
                + (broken ? " broken" : "")
                + (actionSession != null ? " action running" : ""))
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

  /** The session running the action ended before reporting: nobody will, so the barrier breaks. */
  @Override
  public void releaseSession(Session session) {
    if (session == actionSession) {
      breakBarrier("was broken: the session running the barrier action ended before it finished");
    }
  }

  @Override
  public void delete() {
    endAction();
    CoreException deleted = deleted();
    failAll(waiters, deleted);
    failAll(tripped, deleted);
    failAll(deferred, deleted);
  }

  public void await(CallContext ctx, BarrierAwaitRequest request) {
    env.checkWaiters(ctx, this, blockedCount());
    if (actionSession != null) {
      BarrierWaiter waiter =
          new BarrierWaiter(
              ctx, 0, request.hasTimeoutMs(), request.getTimeoutMs(), request.getHasAction());
      deferred.add(waiter);
      // No deadline while deferred: it is checked when the arrival happens for real.
      env.park(waiter, Timed.NEVER);
      return;
    }
    arrive(ctx, ctx.now(), request.hasTimeoutMs(), request.getTimeoutMs(), request.getHasAction());
  }

  public void actionDone(CallContext ctx, BarrierActionDoneRequest request) {
    if (actionSession != null && request.getActionId() == lastActionId) {
      if (actionSession != ctx.session()) {
        throw CoreException.precondition(
            ErrorReason.NOT_OWNER,
            "barrier '"
                + name
                + "' action "
                + request.getActionId()
                + " runs in session "
                + actionSession.id()
                + ", not in session "
                + ctx.session().id());
      }
      if (request.getFailed()) {
        breakBarrier("was broken: the barrier action failed: " + request.getFailure());
      } else {
        endAction();
        BarrierWaiter waiter;
        while ((waiter = tripped.poll()) != null) {
          waiter.finish();
          replyArrived(waiter.call(), waiter.arrivalIndex);
        }
        arriveDeferred(ctx.now());
      }
    }
    ctx.reply(r -> r.setBarrierActionDone(BarrierActionDoneResponse.getDefaultInstance()));
  }

  public void abort(CallContext ctx, BarrierAbortRequest request) {
    breakBarrier("was aborted");
    ctx.reply(r -> r.setBarrierAbort(BarrierAbortResponse.getDefaultInstance()));
  }

  /**
   * Back to a fresh generation. A running action's generation is failed like the waiters (its
   * outcome no longer matters), and arrivals deferred behind it arrive now.
   */
  public void reset(CallContext ctx, BarrierResetRequest request) {
    endAction();
    CoreException reset = brokenBarrier("was reset while this caller waited");
    failAll(waiters, reset);
    failAll(tripped, reset);
    broken = false;
    arriveDeferred(ctx.now());
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

  // ---- snapshots ------------------------------------------------------------------------

  @Override
  void writeState(ObjectSnapshot.Builder snapshot, SnapshotWriter writer) {
    BarrierSnapshot.Builder barrier =
        BarrierSnapshot.newBuilder()
            .setParties(parties)
            .setBroken(broken)
            .setLastActionId(lastActionId);
    if (actionSession != null) {
      barrier.setActionSessionId(writer.sessionId(actionSession));
    }
    for (BarrierWaiter waiter : waiters) {
      barrier.addWaiters(waiter.toSnapshot(writer));
    }
    for (BarrierWaiter waiter : tripped) {
      barrier.addTripped(waiter.toSnapshot(writer));
    }
    for (BarrierWaiter waiter : deferred) {
      barrier.addDeferred(waiter.toSnapshot(writer));
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
    barrier.lastActionId = state.getLastActionId();
    if (!state.getActionSessionId().isEmpty()) {
      barrier.actionSession = reader.session(state.getActionSessionId());
    }
    barrier.restoreWaiters(state.getWaitersList(), barrier.waiters, reader);
    barrier.restoreWaiters(state.getTrippedList(), barrier.tripped, reader);
    barrier.restoreWaiters(state.getDeferredList(), barrier.deferred, reader);
    return barrier;
  }

  private void restoreWaiters(
      List<BarrierWaiterSnapshot> states, WaiterQueue<BarrierWaiter> queue, SnapshotReader reader) {
    for (BarrierWaiterSnapshot waiter : states) {
      queue.add(
          reader.waiter(
              waiter.getWaiter(),
              c ->
                  new BarrierWaiter(
                      c,
                      waiter.getArrivalIndex(),
                      waiter.getHasTimeout(),
                      waiter.getTimeoutMs(),
                      waiter.getHasAction())));
    }
  }

  // ---- internals ------------------------------------------------------------------------

  /**
   * One party arrives at {@code now}; its deadline counts from when it called ({@code ctx.now()}),
   * which is earlier for an arrival deferred behind an action.
   */
  private void arrive(
      CallContext ctx, long now, boolean hasTimeout, long timeoutMillis, boolean hasAction) {
    if (broken) {
      ctx.fail(brokenBarrier("is broken; reset it before awaiting again"));
      return;
    }
    int arrivalIndex = parties - 1 - waiters.size();
    if (arrivalIndex == 0) {
      if (hasAction) {
        startAction(ctx);
      } else {
        trip();
        replyArrived(ctx, 0);
      }
      return;
    }
    long deadline = CoreEnv.deadline(ctx.now(), hasTimeout, timeoutMillis);
    if (deadline <= now) {
      // CyclicBarrier.await(0, unit) by a non-last party: it times out at once and breaks.
      breakBarrier("was broken: a party gave up waiting (timeout " + timeoutMillis + " ms)");
      ctx.fail(timedOut(timeoutMillis));
      return;
    }
    BarrierWaiter waiter = new BarrierWaiter(ctx, arrivalIndex, hasTimeout, timeoutMillis, false);
    waiters.add(waiter);
    env.park(waiter, deadline);
  }

  /** The tripping party runs its action; the generation waits for the outcome. */
  private void startAction(CallContext ctx) {
    actionSession = ctx.session();
    actionSession.hold(this);
    long actionId = ++lastActionId;
    BarrierWaiter waiter;
    while ((waiter = waiters.poll()) != null) {
      tripped.add(waiter);
    }
    ctx.reply(
        r ->
            r.setBarrierAwait(
                BarrierAwaitResponse.newBuilder()
                    .setArrivalIndex(0)
                    .setRunAction(true)
                    .setActionId(actionId)));
  }

  private void endAction() {
    if (actionSession != null) {
      actionSession.unhold(this);
      actionSession = null;
    }
  }

  /** The arrivals deferred behind an action arrive now, in their order. */
  private void arriveDeferred(long now) {
    WaiterQueue<BarrierWaiter> arriving = deferred;
    deferred = new WaiterQueue<>();
    for (BarrierWaiter waiter : arriving) {
      waiter.finish();
      if (actionSession != null) {
        // One of them tripped the barrier and runs its own action: the rest wait for that one.
        deferred.add(waiter);
        env.park(waiter, Timed.NEVER);
      } else {
        arrive(waiter.call(), now, waiter.hasTimeout, waiter.timeoutMillis, waiter.hasAction);
      }
    }
  }

  /** The last party arrived: release this generation; the next await starts a new one. */
  private void trip() {
    BarrierWaiter waiter;
    while ((waiter = waiters.poll()) != null) {
      waiter.finish();
      replyArrived(waiter.call(), waiter.arrivalIndex);
    }
  }

  private static void replyArrived(CallContext ctx, int arrivalIndex) {
    ctx.reply(
        r -> r.setBarrierAwait(BarrierAwaitResponse.newBuilder().setArrivalIndex(arrivalIndex)));
  }

  private void breakBarrier(String why) {
    broken = true;
    endAction();
    CoreException error = brokenBarrier(why);
    failAll(waiters, error);
    failAll(tripped, error);
    failAll(deferred, error);
  }

  private static void failAll(WaiterQueue<BarrierWaiter> queue, CoreException error) {
    BarrierWaiter waiter;
    while ((waiter = queue.poll()) != null) {
      waiter.finish();
      waiter.call().fail(error);
    }
  }

  private int blockedCount() {
    return waiters.size() + tripped.size() + deferred.size();
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
    final boolean hasTimeout;
    final long timeoutMillis;
    final boolean hasAction;

    BarrierWaiter(
        CallContext call,
        int arrivalIndex,
        boolean hasTimeout,
        long timeoutMillis,
        boolean hasAction) {
      super(call);
      this.arrivalIndex = arrivalIndex;
      this.hasTimeout = hasTimeout;
      this.timeoutMillis = timeoutMillis;
      this.hasAction = hasAction;
    }

    BarrierWaiterSnapshot toSnapshot(SnapshotWriter writer) {
      return BarrierWaiterSnapshot.newBuilder()
          .setWaiter(writer.waiter(this))
          .setArrivalIndex(arrivalIndex)
          .setTimeoutMs(timeoutMillis)
          .setHasTimeout(hasTimeout)
          .setHasAction(hasAction)
          .build();
    }

    @Override
    protected void onTimeout(long now) {
      if (tripped.contains(this)) {
        // Tripped already: only the action's outcome decides now. Keep waiting, without deadline.
        env.park(this, Timed.NEVER);
        return;
      }
      waiters.remove(this);
      breakBarrier("was broken: another party's wait timed out");
      call.fail(timedOut(timeoutMillis));
    }

    @Override
    protected void onCancel() {
      // A party of this generation, or of one tripped but not yet released, that goes away breaks
      // the barrier; one already failed by a break is gone, and a deferred one never arrived.
      if (waiters.remove(this) || tripped.remove(this)) {
        breakBarrier("was broken: another party's call was cancelled or its session ended");
      } else {
        deferred.remove(this);
      }
    }
  }
}
