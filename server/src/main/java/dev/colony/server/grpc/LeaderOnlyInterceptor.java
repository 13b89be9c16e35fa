package dev.colony.server.grpc;

import dev.colony.proto.v1.AdminServiceGrpc;
import dev.colony.proto.v1.SessionServiceGrpc;
import dev.colony.proto.v1.WorkerServiceGrpc;
import dev.colony.server.loop.ApplyLoop;
import dev.colony.server.loop.NotLeader;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * On a member of a replicated group, only the leader serves sessions, workers and status: every
 * other node turns each call away at its start, naming the leader ({@link LeaderHints}). Status is
 * the exception while no leader is known, so that an operator can see the group's state from any
 * node. Health and reflection are served by every node.
 */
public final class LeaderOnlyInterceptor implements ServerInterceptor {
  private final ApplyLoop loop;

  public LeaderOnlyInterceptor(ApplyLoop loop) {
    this.loop = loop;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    if (loop.isLeading() || !leaderOnly(call)) {
      return next.startCall(call, headers);
    }
    NotLeader why = loop.notLeader();
    boolean statusWithoutLeader =
        why.leaderId() == null
            && AdminServiceGrpc.getStatusMethod()
                .getFullMethodName()
                .equals(call.getMethodDescriptor().getFullMethodName());
    if (statusWithoutLeader) {
      return next.startCall(call, headers);
    }
    call.close(LeaderHints.status(why), LeaderHints.trailers(why));
    return new ServerCall.Listener<>() {};
  }

  private static boolean leaderOnly(ServerCall<?, ?> call) {
    String service = call.getMethodDescriptor().getServiceName();
    return SessionServiceGrpc.SERVICE_NAME.equals(service)
        || WorkerServiceGrpc.SERVICE_NAME.equals(service)
        || AdminServiceGrpc.SERVICE_NAME.equals(service);
  }
}
