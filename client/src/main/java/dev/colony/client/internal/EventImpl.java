package dev.colony.client.internal;

import dev.colony.client.ColonyEvent;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.EventClearRequest;
import dev.colony.proto.v1.EventIsSetRequest;
import dev.colony.proto.v1.EventSetRequest;
import dev.colony.proto.v1.EventWaitRequest;
import java.util.concurrent.TimeUnit;

/** An Event proxy. */
final class EventImpl extends ObjectProxy implements ColonyEvent {
  EventImpl(String name, Calls calls) {
    super(name, calls);
  }

  @Override
  public void set() {
    checked(calls.run(Call.newBuilder().setEventSet(EventSetRequest.newBuilder().setName(name))));
  }

  @Override
  public void clear() {
    checked(
        calls.run(Call.newBuilder().setEventClear(EventClearRequest.newBuilder().setName(name))));
  }

  @Override
  public boolean isSet() {
    return checked(
            calls.run(
                Call.newBuilder().setEventIsSet(EventIsSetRequest.newBuilder().setName(name))))
        .getEventIsSet()
        .getSet();
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
    EventWaitRequest.Builder wait = EventWaitRequest.newBuilder().setName(name);
    if (timeoutMillis != Calls.FOREVER) {
      wait.setTimeoutMs(timeoutMillis);
    }
    return checked(
            calls.block(
                Call.newBuilder().setEventWait(wait), timeoutMillis, "event '" + name + "'"))
        .getEventWait()
        .getSet();
  }
}
