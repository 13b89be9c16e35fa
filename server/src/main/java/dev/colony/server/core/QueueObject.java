package dev.colony.server.core;

import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectInfo;
import dev.colony.proto.v1.QueueAckRequest;
import dev.colony.proto.v1.QueueGetRequest;
import dev.colony.proto.v1.QueueInfoRequest;
import dev.colony.proto.v1.QueueJoinRequest;
import dev.colony.proto.v1.QueuePutRequest;
import dev.colony.proto.v1.QueueTaskDoneRequest;

/** A QUEUE (TODO: state and semantics). */
final class QueueObject extends SharedObject {

  QueueObject(ObjectCreateRequest request, CoreEnv env) {
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

  public void put(CallContext ctx, QueuePutRequest request) {
    throw notImplemented();
  }

  public void get(CallContext ctx, QueueGetRequest request) {
    throw notImplemented();
  }

  public void ack(CallContext ctx, QueueAckRequest request) {
    throw notImplemented();
  }

  public void taskDone(CallContext ctx, QueueTaskDoneRequest request) {
    throw notImplemented();
  }

  public void join(CallContext ctx, QueueJoinRequest request) {
    throw notImplemented();
  }

  public void queueInfo(CallContext ctx, QueueInfoRequest request) {
    throw notImplemented();
  }

  private static CoreException notImplemented() {
    return new CoreException(
        CoreException.Code.INTERNAL,
        dev.colony.proto.v1.ErrorReason.ERROR_REASON_UNSPECIFIED,
        "not implemented yet");
  }
}
