package dev.colony.server.core;

import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectInfo;
import dev.colony.proto.v1.SemaphoreAcquireRequest;
import dev.colony.proto.v1.SemaphoreInfoRequest;
import dev.colony.proto.v1.SemaphoreReleaseRequest;

/** A SEMAPHORE or BOUNDED_SEMAPHORE (TODO: state and semantics). */
final class SemaphoreObject extends SharedObject {

  SemaphoreObject(ObjectCreateRequest request, CoreEnv env) {
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

  public void acquire(CallContext ctx, SemaphoreAcquireRequest request) {
    throw notImplemented();
  }

  public void release(CallContext ctx, SemaphoreReleaseRequest request) {
    throw notImplemented();
  }

  public void semaphoreInfo(CallContext ctx, SemaphoreInfoRequest request) {
    throw notImplemented();
  }

  private static CoreException notImplemented() {
    return new CoreException(
        CoreException.Code.INTERNAL,
        dev.colony.proto.v1.ErrorReason.ERROR_REASON_UNSPECIFIED,
        "not implemented yet");
  }
}
