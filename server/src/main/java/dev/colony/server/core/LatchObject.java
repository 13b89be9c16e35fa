package dev.colony.server.core;

import dev.colony.proto.v1.LatchAwaitRequest;
import dev.colony.proto.v1.LatchCountDownRequest;
import dev.colony.proto.v1.LatchCountRequest;
import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectInfo;

/** A COUNT_DOWN_LATCH (TODO: state and semantics). */
final class LatchObject extends SharedObject {

  LatchObject(ObjectCreateRequest request, CoreEnv env) {
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

  public void countDown(CallContext ctx, LatchCountDownRequest request) {
    throw notImplemented();
  }

  public void await(CallContext ctx, LatchAwaitRequest request) {
    throw notImplemented();
  }

  public void count(CallContext ctx, LatchCountRequest request) {
    throw notImplemented();
  }

  private static CoreException notImplemented() {
    return new CoreException(
        CoreException.Code.INTERNAL,
        dev.colony.proto.v1.ErrorReason.ERROR_REASON_UNSPECIFIED,
        "not implemented yet");
  }
}
