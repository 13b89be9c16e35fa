package dev.colony.client.internal;

import dev.colony.client.ColonyCountDownLatch;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.LatchAwaitRequest;
import dev.colony.proto.v1.LatchCountDownRequest;
import dev.colony.proto.v1.LatchCountRequest;
import java.util.concurrent.TimeUnit;

/** A CountDownLatch proxy. */
final class CountDownLatchImpl extends ObjectProxy implements ColonyCountDownLatch {
  CountDownLatchImpl(String name, Calls calls) {
    super(name, calls);
  }

  @Override
  public void countDown() {
    checked(
        calls.run(
            Call.newBuilder().setLatchCountDown(LatchCountDownRequest.newBuilder().setName(name))));
  }

  @Override
  public void await() throws InterruptedException {
    awaitFor(Calls.FOREVER);
  }

  @Override
  public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
    return awaitFor(Calls.toMillis(timeout, unit));
  }

  private boolean awaitFor(long timeoutMillis) throws InterruptedException {
    LatchAwaitRequest.Builder await = LatchAwaitRequest.newBuilder().setName(name);
    if (timeoutMillis != Calls.FOREVER) {
      await.setTimeoutMs(timeoutMillis);
    }
    return checked(
            calls.block(
                Call.newBuilder().setLatchAwait(await), timeoutMillis, "latch '" + name + "'"))
        .getLatchAwait()
        .getReached();
  }

  @Override
  public long getCount() {
    return checked(
            calls.run(
                Call.newBuilder().setLatchCount(LatchCountRequest.newBuilder().setName(name))))
        .getLatchCount()
        .getCount();
  }
}
