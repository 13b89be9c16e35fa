package dev.colony.server.core;

import dev.colony.proto.v1.EventClearRequest;
import dev.colony.proto.v1.EventIsSetRequest;
import dev.colony.proto.v1.EventSetRequest;
import dev.colony.proto.v1.EventWaitRequest;
import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectInfo;

/** A EVENT (TODO: state and semantics). */
final class EventObject extends SharedObject {

  EventObject(ObjectCreateRequest request, CoreEnv env) {
    super(request.getName(), request.getType(), env);
  }

  @Override
  public ObjectInfo info() {
    return ObjectInfo.newBuilder().setName(name).setType(type).build();
  }

  @Override
  public void checkOptions(ObjectCreateRequest request) {}

  @Override
  public void delete() {}

  public void set(CallContext ctx, EventSetRequest request) {
    throw notImplemented();
  }

  public void clear(CallContext ctx, EventClearRequest request) {
    throw notImplemented();
  }

  public void isSet(CallContext ctx, EventIsSetRequest request) {
    throw notImplemented();
  }

  public void await(CallContext ctx, EventWaitRequest request) {
    throw notImplemented();
  }

  private static CoreException notImplemented() {
    return new CoreException(
        CoreException.Code.INTERNAL,
        dev.colony.proto.v1.ErrorReason.ERROR_REASON_UNSPECIFIED,
        "not implemented yet");
  }
}
