package dev.colony.client.internal;

import dev.colony.client.ColonyBarrier;
import dev.colony.proto.v1.BarrierAbortRequest;
import dev.colony.proto.v1.BarrierActionDoneRequest;
import dev.colony.proto.v1.BarrierAwaitRequest;
import dev.colony.proto.v1.BarrierAwaitResponse;
import dev.colony.proto.v1.BarrierInfoRequest;
import dev.colony.proto.v1.BarrierInfoResponse;
import dev.colony.proto.v1.BarrierResetRequest;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.Reply;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A Barrier proxy with CyclicBarrier semantics for timeouts, interrupts and its own barrier action,
 * which it runs when the coordinator says its await tripped the barrier.
 */
final class BarrierImpl extends ObjectProxy implements ColonyBarrier {
  /** The longest action failure sent to the other parties; the tripping party gets it all. */
  private static final int MAX_FAILURE_CHARS = 1_000;

  private final Runnable action;

  /** {@code action} may be null: this proxy's awaits then trip the barrier without one. */
  BarrierImpl(String name, Calls calls, Runnable action) {
    super(name, calls);
    this.action = action;
  }

  @Override
  public int await() throws InterruptedException, BrokenBarrierException {
    try {
      return awaitFor(Calls.FOREVER);
    } catch (TimeoutException e) {
      throw new IllegalStateException("a wait without timeout timed out", e);
    }
  }

  @Override
  public int await(long timeout, TimeUnit unit)
      throws InterruptedException, BrokenBarrierException, TimeoutException {
    return awaitFor(Calls.toMillis(timeout, unit));
  }

  private int awaitFor(long timeoutMillis)
      throws InterruptedException, BrokenBarrierException, TimeoutException {
    BarrierAwaitRequest.Builder await =
        BarrierAwaitRequest.newBuilder().setName(name).setHasAction(action != null);
    if (timeoutMillis != Calls.FOREVER) {
      await.setTimeoutMs(timeoutMillis);
    }
    Reply reply;
    try {
      reply =
          calls.block(
              Call.newBuilder().setBarrierAwait(await), timeoutMillis, "barrier '" + name + "'");
    } catch (InterruptedCall e) {
      if (e.served() != null) {
        // The barrier tripped before the interrupt was seen: like CyclicBarrier, return normally
        // with the interrupt set.
        Thread.currentThread().interrupt();
        return arrived(e.served().getBarrierAwait());
      }
      // Like CyclicBarrier: an interrupted waiter breaks the barrier for everyone else.
      abort();
      throw e;
    }
    if (reply.hasFailure()) {
      BrokenBarrierException broken = ColonyErrors.brokenBarrier(reply.getFailure());
      if (broken != null) {
        throw broken;
      }
      TimeoutException timedOut = ColonyErrors.timedOut(reply.getFailure());
      if (timedOut != null) {
        throw timedOut;
      }
      throw ColonyErrors.toUnchecked(reply.getFailure());
    }
    return arrived(reply.getBarrierAwait());
  }

  /**
   * This party's await returned; if it tripped the barrier with an action to run, the others are
   * released only once the coordinator hears how the action went.
   */
  private int arrived(BarrierAwaitResponse arrival) {
    if (!arrival.getRunAction()) {
      return arrival.getArrivalIndex();
    }
    try {
      action.run();
    } catch (RuntimeException | Error thrown) {
      try {
        actionDone(arrival.getActionId(), thrown);
      } catch (RuntimeException unreported) {
        // The action's own exception is what this party must see (CyclicBarrier's contract).
        thrown.addSuppressed(unreported);
      }
      throw thrown;
    }
    actionDone(arrival.getActionId(), null);
    return arrival.getArrivalIndex();
  }

  private void actionDone(long actionId, Throwable thrown) {
    BarrierActionDoneRequest.Builder done =
        BarrierActionDoneRequest.newBuilder().setName(name).setActionId(actionId);
    if (thrown != null) {
      String failure = thrown.toString();
      done.setFailed(true)
          .setFailure(failure.substring(0, Math.min(failure.length(), MAX_FAILURE_CHARS)));
    }
    checked(calls.run(Call.newBuilder().setBarrierActionDone(done)));
  }

  private BarrierInfoResponse info() {
    return checked(
            calls.run(
                Call.newBuilder().setBarrierInfo(BarrierInfoRequest.newBuilder().setName(name))))
        .getBarrierInfo();
  }

  @Override
  public int getParties() {
    return info().getParties();
  }

  @Override
  public int getNumberWaiting() {
    return info().getWaiting();
  }

  @Override
  public boolean isBroken() {
    return info().getBroken();
  }

  @Override
  public void reset() {
    checked(
        calls.run(
            Call.newBuilder().setBarrierReset(BarrierResetRequest.newBuilder().setName(name))));
  }

  @Override
  public void abort() {
    checked(
        calls.run(
            Call.newBuilder().setBarrierAbort(BarrierAbortRequest.newBuilder().setName(name))));
  }
}
