package dev.colony.server.core;

import dev.colony.proto.v1.BarrierAbortRequest;
import dev.colony.proto.v1.BarrierAwaitRequest;
import dev.colony.proto.v1.BarrierInfoRequest;
import dev.colony.proto.v1.BarrierResetRequest;
import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectInfo;

/** A BARRIER (TODO: state and semantics). */
final class BarrierObject extends SharedObject {

  BarrierObject(ObjectCreateRequest request, CoreEnv env) {
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

  public void await(CallContext ctx, BarrierAwaitRequest request) {
    throw notImplemented();
  }

  public void abort(CallContext ctx, BarrierAbortRequest request) {
    throw notImplemented();
  }

  public void reset(CallContext ctx, BarrierResetRequest request) {
    throw notImplemented();
  }

  public void barrierInfo(CallContext ctx, BarrierInfoRequest request) {
    throw notImplemented();
  }

  private static CoreException notImplemented() {
    return new CoreException(
        CoreException.Code.INTERNAL,
        dev.colony.proto.v1.ErrorReason.ERROR_REASON_UNSPECIFIED,
        "not implemented yet");
  }
}
