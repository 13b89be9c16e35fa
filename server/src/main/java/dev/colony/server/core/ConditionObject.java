package dev.colony.server.core;

import dev.colony.proto.v1.ConditionAwaitRequest;
import dev.colony.proto.v1.ConditionSignalRequest;
import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectInfo;

/** A CONDITION (TODO: state and semantics). */
final class ConditionObject extends SharedObject {

  ConditionObject(ObjectCreateRequest request, CoreEnv env, LockObject lock) {
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

  public void await(CallContext ctx, ConditionAwaitRequest request) {
    throw notImplemented();
  }

  public void signal(CallContext ctx, ConditionSignalRequest request) {
    throw notImplemented();
  }

  private static CoreException notImplemented() {
    return new CoreException(
        CoreException.Code.INTERNAL,
        dev.colony.proto.v1.ErrorReason.ERROR_REASON_UNSPECIFIED,
        "not implemented yet");
  }
}
