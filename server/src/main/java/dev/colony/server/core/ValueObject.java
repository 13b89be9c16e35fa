package dev.colony.server.core;

import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectInfo;
import dev.colony.proto.v1.ValueAddRequest;
import dev.colony.proto.v1.ValueCompareAndSetRequest;
import dev.colony.proto.v1.ValueGetAndSetRequest;
import dev.colony.proto.v1.ValueGetRequest;
import dev.colony.proto.v1.ValueSetRequest;

/** A VALUE (TODO: state and semantics). */
final class ValueObject extends SharedObject {

  ValueObject(ObjectCreateRequest request, CoreEnv env) {
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

  public void get(CallContext ctx, ValueGetRequest request) {
    throw notImplemented();
  }

  public void set(CallContext ctx, ValueSetRequest request) {
    throw notImplemented();
  }

  public void getAndSet(CallContext ctx, ValueGetAndSetRequest request) {
    throw notImplemented();
  }

  public void compareAndSet(CallContext ctx, ValueCompareAndSetRequest request) {
    throw notImplemented();
  }

  public void add(CallContext ctx, ValueAddRequest request) {
    throw notImplemented();
  }

  private static CoreException notImplemented() {
    return new CoreException(
        CoreException.Code.INTERNAL,
        dev.colony.proto.v1.ErrorReason.ERROR_REASON_UNSPECIFIED,
        "not implemented yet");
  }
}
