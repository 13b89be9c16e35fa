package dev.colony.server.core;

import dev.colony.proto.v1.LockAcquireRequest;
import dev.colony.proto.v1.LockInfoRequest;
import dev.colony.proto.v1.LockReleaseRequest;
import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectInfo;

/** A LOCK or RLOCK (TODO: state and semantics). */
final class LockObject extends SharedObject {

  LockObject(ObjectCreateRequest request, CoreEnv env) {
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

  public void acquire(CallContext ctx, LockAcquireRequest request) {
    throw notImplemented();
  }

  public void release(CallContext ctx, LockReleaseRequest request) {
    throw notImplemented();
  }

  public void lockInfo(CallContext ctx, LockInfoRequest request) {
    throw notImplemented();
  }

  private static CoreException notImplemented() {
    return new CoreException(
        CoreException.Code.INTERNAL,
        dev.colony.proto.v1.ErrorReason.ERROR_REASON_UNSPECIFIED,
        "not implemented yet");
  }
}
