package dev.colony.server.grpc;

import dev.colony.proto.v1.AdminServiceGrpc;
import dev.colony.proto.v1.StatusRequest;
import dev.colony.proto.v1.StatusResponse;
import dev.colony.server.loop.ApplyLoop;
import io.grpc.stub.StreamObserver;

/** AdminService: read-only introspection (workers, objects, task counts, sessions). */
public final class AdminGrpcService extends AdminServiceGrpc.AdminServiceImplBase {
  private final ApplyLoop loop;

  public AdminGrpcService(ApplyLoop loop) {
    this.loop = loop;
  }

  @Override
  public void status(StatusRequest request, StreamObserver<StatusResponse> responses) {
    loop.status()
        .whenComplete(
            (status, error) -> {
              if (error != null) {
                responses.onError(ErrorMapper.toException(error));
                return;
              }
              responses.onNext(status);
              responses.onCompleted();
            });
  }
}
