package dev.colony.cli;

import dev.colony.client.ColonyChannels;
import dev.colony.client.ColonyOptions;
import dev.colony.proto.v1.AdminServiceGrpc;
import dev.colony.proto.v1.ChangeMembersRequest;
import dev.colony.proto.v1.ClusterStatus;
import dev.colony.proto.v1.ObjectInfo;
import dev.colony.proto.v1.StatusRequest;
import dev.colony.proto.v1.StatusResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The coordinator's AdminService: what {@code colony status} and the read-only object commands ask.
 * Opening one costs no session on the coordinator.
 */
final class AdminClient implements AutoCloseable {
  private static final long DEADLINE_SECONDS = 10;

  /** Tries of one call, when followers keep naming a leader that refuses it too. */
  static final int MAX_ATTEMPTS = 3;

  private final String target;
  private final ManagedChannel channel;

  AdminClient(ColonyOptions options) {
    this.target = options.getTarget();
    this.channel = ColonyChannels.newChannelBuilder(options).build();
  }

  /**
   * One snapshot of the coordinator's state.
   *
   * @throws CommandFailedException when the coordinator cannot be reached
   */
  StatusResponse status() {
    return call(
        "the status call",
        DEADLINE_SECONDS,
        stub -> stub.status(StatusRequest.getDefaultInstance()));
  }

  /**
   * Adds and removes members of the coordinator's group; the group afterwards.
   *
   * @throws CommandFailedException when the coordinator cannot be reached or refuses the change
   */
  ClusterStatus changeMembers(ChangeMembersRequest request) {
    // A new member catches up before the change commits: that may take a while.
    return call("the change of members", 120, stub -> stub.changeMembers(request)).getCluster();
  }

  /**
   * Makes one call. A follower of a replicated group refuses it naming the leader, and the channel
   * moves there: the call is made again, at most {@value #MAX_ATTEMPTS} times in all, each waiting
   * up to the connect timeout and {@code deadlineSeconds}.
   */
  private <T> T call(
      String what,
      long deadlineSeconds,
      java.util.function.Function<AdminServiceGrpc.AdminServiceBlockingStub, T> call) {
    for (int attempt = 1; ; attempt++) {
      try {
        // Without this a refused connection fails at once, a filtered one only at the deadline.
        Connections.awaitReady(channel, target);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CommandFailedException(ExitCodes.ERROR, "interrupted");
      }
      try {
        return call.apply(
            AdminServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(deadlineSeconds, TimeUnit.SECONDS));
      } catch (StatusRuntimeException e) {
        if (attempt < MAX_ATTEMPTS && ColonyChannels.leaderHint(e).isPresent()) {
          continue;
        }
        Status.Code code = e.getStatus().getCode();
        if (code == Status.Code.INVALID_ARGUMENT || code == Status.Code.FAILED_PRECONDITION) {
          throw new CommandFailedException(ExitCodes.USAGE, e.getStatus().getDescription());
        }
        if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED) {
          throw CommandFailedException.unreachable(target);
        }
        throw new CommandFailedException(
            ExitCodes.ERROR, "the coordinator at " + target + " refused " + what + ": " + e);
      }
    }
  }

  /** The object named {@code name}, if the coordinator has one. */
  Optional<ObjectInfo> object(String name) {
    return status().getObjectsList().stream().filter(o -> o.getName().equals(name)).findFirst();
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
