package dev.colony.server.grpc;

import dev.colony.proto.v1.AdminServiceGrpc;
import dev.colony.proto.v1.StatusRequest;
import dev.colony.proto.v1.StatusResponse;
import dev.colony.server.core.CoordinatorCore;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/** AdminService: read-only introspection (workers, objects, task counts, sessions). */
public final class AdminGrpcService extends AdminServiceGrpc.AdminServiceImplBase {
  private final CoordinatorCore core;

  public AdminGrpcService(CoordinatorCore core) {
    this.core = core;
  }

  @Override
  public void status(StatusRequest request, StreamObserver<StatusResponse> responses) {
    core.status()
        .whenComplete(
            (status, error) -> {
              if (error != null) {
                responses.onError(
                    Status.INTERNAL
                        .withDescription("status failed: " + error)
                        .withCause(error)
                        .asRuntimeException());
                return;
              }
              responses.onNext(status);
              responses.onCompleted();
            });
  }
}
