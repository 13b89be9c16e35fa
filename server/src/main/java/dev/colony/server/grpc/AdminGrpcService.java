package dev.colony.server.grpc;

import dev.colony.proto.v1.AdminServiceGrpc;
import dev.colony.proto.v1.ChangeMembersRequest;
import dev.colony.proto.v1.ChangeMembersResponse;
import dev.colony.proto.v1.StatusRequest;
import dev.colony.proto.v1.StatusResponse;
import dev.colony.server.loop.ApplyLoop;
import dev.colony.server.store.CommandLog;
import dev.colony.server.store.PeerSpec;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;

/** AdminService: introspection (workers, objects, task counts, sessions, the group) and members. */
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

  @Override
  public void changeMembers(
      ChangeMembersRequest request, StreamObserver<ChangeMembersResponse> responses) {
    List<CommandLog.Member> add = new ArrayList<>();
    try {
      for (String node : request.getAddList()) {
        add.add(PeerSpec.parse(node));
      }
    } catch (IllegalArgumentException e) {
      responses.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asException());
      return;
    }
    if (add.isEmpty() && request.getRemoveCount() == 0) {
      responses.onError(
          Status.INVALID_ARGUMENT
              .withDescription("name a node to add (ID=HOST:RAFTPORT) or an id to remove")
              .asException());
      return;
    }
    loop.changeMembers(add, request.getRemoveList())
        .whenComplete(
            (status, error) -> {
              if (error == null) {
                responses.onNext(
                    ChangeMembersResponse.newBuilder().setCluster(status.getCluster()).build());
                responses.onCompleted();
                return;
              }
              Throwable cause =
                  error instanceof CompletionException && error.getCause() != null
                      ? error.getCause()
                      : error;
              Status code =
                  cause instanceof IllegalArgumentException
                      ? Status.INVALID_ARGUMENT
                      : cause instanceof UnsupportedOperationException
                          ? Status.FAILED_PRECONDITION
                          : Status.ABORTED;
              responses.onError(
                  code.withDescription("changing the group's members failed: " + cause.getMessage())
                      .asException());
            });
  }
}
