package dev.colony.server.core;

import dev.colony.proto.v1.ListAddRequest;
import dev.colony.proto.v1.ListClearRequest;
import dev.colony.proto.v1.ListGetRequest;
import dev.colony.proto.v1.ListRangeRequest;
import dev.colony.proto.v1.ListRemoveRequest;
import dev.colony.proto.v1.ListSetRequest;
import dev.colony.proto.v1.ListSizeRequest;
import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectInfo;

/** A LIST (TODO: state and semantics). */
final class ListObject extends SharedObject {

  ListObject(ObjectCreateRequest request, CoreEnv env) {
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

  public void add(CallContext ctx, ListAddRequest request) {
    throw notImplemented();
  }

  public void get(CallContext ctx, ListGetRequest request) {
    throw notImplemented();
  }

  public void set(CallContext ctx, ListSetRequest request) {
    throw notImplemented();
  }

  public void remove(CallContext ctx, ListRemoveRequest request) {
    throw notImplemented();
  }

  public void size(CallContext ctx, ListSizeRequest request) {
    throw notImplemented();
  }

  public void range(CallContext ctx, ListRangeRequest request) {
    throw notImplemented();
  }

  public void clear(CallContext ctx, ListClearRequest request) {
    throw notImplemented();
  }

  private static CoreException notImplemented() {
    return new CoreException(
        CoreException.Code.INTERNAL,
        dev.colony.proto.v1.ErrorReason.ERROR_REASON_UNSPECIFIED,
        "not implemented yet");
  }
}
