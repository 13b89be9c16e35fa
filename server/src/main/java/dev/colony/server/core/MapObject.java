package dev.colony.server.core;

import dev.colony.proto.v1.MapClearRequest;
import dev.colony.proto.v1.MapContainsKeyRequest;
import dev.colony.proto.v1.MapEntriesRequest;
import dev.colony.proto.v1.MapGetRequest;
import dev.colony.proto.v1.MapPutAllRequest;
import dev.colony.proto.v1.MapPutRequest;
import dev.colony.proto.v1.MapRemoveRequest;
import dev.colony.proto.v1.MapReplaceRequest;
import dev.colony.proto.v1.MapSizeRequest;
import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectInfo;

/** A MAP (TODO: state and semantics). */
final class MapObject extends SharedObject {

  MapObject(ObjectCreateRequest request, CoreEnv env) {
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

  public void get(CallContext ctx, MapGetRequest request) {
    throw notImplemented();
  }

  public void put(CallContext ctx, MapPutRequest request) {
    throw notImplemented();
  }

  public void putAll(CallContext ctx, MapPutAllRequest request) {
    throw notImplemented();
  }

  public void remove(CallContext ctx, MapRemoveRequest request) {
    throw notImplemented();
  }

  public void replace(CallContext ctx, MapReplaceRequest request) {
    throw notImplemented();
  }

  public void containsKey(CallContext ctx, MapContainsKeyRequest request) {
    throw notImplemented();
  }

  public void size(CallContext ctx, MapSizeRequest request) {
    throw notImplemented();
  }

  public void entries(CallContext ctx, MapEntriesRequest request) {
    throw notImplemented();
  }

  public void clear(CallContext ctx, MapClearRequest request) {
    throw notImplemented();
  }

  private static CoreException notImplemented() {
    return new CoreException(
        CoreException.Code.INTERNAL,
        dev.colony.proto.v1.ErrorReason.ERROR_REASON_UNSPECIFIED,
        "not implemented yet");
  }
}
