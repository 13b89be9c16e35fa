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
   * One snapshot of the coordinator's state. A follower of a replicated group refuses the call
   * naming the leader, and the channel moves there: the call is made again, at most {@value
   * #MAX_ATTEMPTS} times in all, each waiting up to the connect timeout and the deadline.
   *
   * @throws CommandFailedException when the coordinator cannot be reached
   */
  StatusResponse status() {
    for (int attempt = 1; ; attempt++) {
      try {
        // Without this a refused connection fails at once, a filtered one only at the deadline.
        Connections.awaitReady(channel, target);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CommandFailedException(ExitCodes.ERROR, "interrupted");
      }
      try {
        return AdminServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
            .status(StatusRequest.getDefaultInstance());
      } catch (StatusRuntimeException e) {
        if (attempt < MAX_ATTEMPTS && ColonyChannels.leaderHint(e).isPresent()) {
          continue;
        }
        Status.Code code = e.getStatus().getCode();
        if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED) {
          throw CommandFailedException.unreachable(target);
        }
        throw new CommandFailedException(
            ExitCodes.ERROR, "the coordinator at " + target + " refused the status call: " + e);
      }
    }
  }

  /**
   * Adds and removes members of the coordinator's group; the group afterwards.
   *
   * @throws CommandFailedException when the coordinator cannot be reached or refuses the change
   */
  ClusterStatus changeMembers(ChangeMembersRequest request) {
    try {
      Connections.awaitReady(channel, target);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommandFailedException(ExitCodes.ERROR, "interrupted");
    }
    try {
      return AdminServiceGrpc.newBlockingStub(channel)
          // A new member catches up before the change commits: that may take a while.
          .withDeadlineAfter(2, TimeUnit.MINUTES)
          .changeMembers(request)
          .getCluster();
    } catch (StatusRuntimeException e) {
      Status.Code code = e.getStatus().getCode();
      if (code == Status.Code.INVALID_ARGUMENT || code == Status.Code.FAILED_PRECONDITION) {
        throw new CommandFailedException(ExitCodes.USAGE, e.getStatus().getDescription());
      }
      throw new CommandFailedException(
          ExitCodes.ERROR,
          "the coordinator at " + target + " could not change the group: " + e.getStatus());
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
