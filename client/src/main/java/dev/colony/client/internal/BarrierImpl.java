package dev.colony.client.internal;

import dev.colony.client.ColonyBarrier;
import dev.colony.proto.v1.BarrierAbortRequest;
import dev.colony.proto.v1.BarrierAwaitRequest;
import dev.colony.proto.v1.BarrierInfoRequest;
import dev.colony.proto.v1.BarrierInfoResponse;
import dev.colony.proto.v1.BarrierResetRequest;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.Reply;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A Barrier proxy with CyclicBarrier semantics for timeouts and interrupts. */
final class BarrierImpl extends ObjectProxy implements ColonyBarrier {
  BarrierImpl(String name, Calls calls) {
    super(name, calls);
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
    BarrierAwaitRequest.Builder await = BarrierAwaitRequest.newBuilder().setName(name);
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
        return e.served().getBarrierAwait().getArrivalIndex();
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
    return reply.getBarrierAwait().getArrivalIndex();
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
