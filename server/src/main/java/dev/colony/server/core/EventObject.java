package dev.colony.server.core;

import dev.colony.proto.v1.EventClearRequest;
import dev.colony.proto.v1.EventClearResponse;
import dev.colony.proto.v1.EventIsSetRequest;
import dev.colony.proto.v1.EventIsSetResponse;
import dev.colony.proto.v1.EventSetRequest;
import dev.colony.proto.v1.EventSetResponse;
import dev.colony.proto.v1.EventSnapshot;
import dev.colony.proto.v1.EventWaitRequest;
import dev.colony.proto.v1.EventWaitResponse;
import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectInfo;
import dev.colony.proto.v1.ObjectSnapshot;
import dev.colony.proto.v1.WaiterSnapshot;

/**
 * An EVENT (Python {@code threading.Event}): a flag that callers wait on. Setting it wakes every
 * waiter; clearing it only affects later waits.
 */
final class EventObject extends SharedObject {
  private final WaiterQueue<EventWaiter> waiters = new WaiterQueue<>();
  private boolean set;

  EventObject(ObjectCreateRequest request, CoreEnv env) {
    super(request.getName(), request.getType(), env);
  }

  @Override
  public ObjectInfo info() {
    return ObjectInfo.newBuilder()
        .setName(name)
        .setType(type)
        .setSize(set ? 1 : 0)
        .setWaiters(waiters.size())
        .setDetail(set ? "set" : "clear")
        .build();
  }

  /** Events have no options, so any request of the same type is accepted. */
  @Override
  public void checkOptions(ObjectCreateRequest request) {}

  @Override
  public void delete() {
    EventWaiter waiter;
    while ((waiter = waiters.poll()) != null) {
      waiter.finish();
      waiter.call().fail(deleted());
    }
  }

  public void set(CallContext ctx, EventSetRequest request) {
    set = true;
    EventWaiter waiter;
    while ((waiter = waiters.poll()) != null) {
      waiter.finish();
      waiter.call().reply(r -> r.setEventWait(EventWaitResponse.newBuilder().setSet(true)));
    }
    ctx.reply(r -> r.setEventSet(EventSetResponse.getDefaultInstance()));
  }

  public void clear(CallContext ctx, EventClearRequest request) {
    set = false;
    ctx.reply(r -> r.setEventClear(EventClearResponse.getDefaultInstance()));
  }

  public void isSet(CallContext ctx, EventIsSetRequest request) {
    boolean current = set;
    ctx.reply(r -> r.setEventIsSet(EventIsSetResponse.newBuilder().setSet(current)));
  }

  public void await(CallContext ctx, EventWaitRequest request) {
    if (set || (request.hasTimeoutMs() && request.getTimeoutMs() <= 0)) {
      // Already set, or the caller asked not to wait: answer with the flag as it is.
      boolean current = set;
      ctx.reply(r -> r.setEventWait(EventWaitResponse.newBuilder().setSet(current)));
      return;
    }
    env.checkWaiters(ctx, this, waiters.size());
    EventWaiter waiter = new EventWaiter(ctx);
    waiters.add(waiter);
    env.park(waiter, CoreEnv.deadline(ctx.now(), request.hasTimeoutMs(), request.getTimeoutMs()));
  }

  @Override
  void writeState(ObjectSnapshot.Builder snapshot, SnapshotWriter writer) {
    EventSnapshot.Builder event = EventSnapshot.newBuilder().setSet(set);
    for (EventWaiter waiter : waiters) {
      event.addWaiters(writer.waiter(waiter));
    }
    snapshot.setEvent(event);
  }

  static EventObject fromSnapshot(ObjectSnapshot snapshot, CoreEnv env, SnapshotReader reader) {
    EventObject event = new EventObject(SharedObject.createRequest(snapshot).build(), env);
    event.set = snapshot.getEvent().getSet();
    for (WaiterSnapshot waiter : snapshot.getEvent().getWaitersList()) {
      event.waiters.add(reader.waiter(waiter, c -> event.new EventWaiter(c)));
    }
    return event;
  }

  private final class EventWaiter extends Waiter {
    EventWaiter(CallContext call) {
      super(call);
    }

    @Override
    protected void onTimeout(long now) {
      waiters.remove(this);
      call.reply(r -> r.setEventWait(EventWaitResponse.newBuilder().setSet(false)));
    }

    @Override
    protected void onCancel() {
      waiters.remove(this);
    }
  }
}
