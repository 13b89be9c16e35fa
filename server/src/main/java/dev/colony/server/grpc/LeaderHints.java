package dev.colony.server.grpc;

import dev.colony.server.loop.NotLeader;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * How a member of a replicated group that does not lead turns a caller away: UNAVAILABLE (so the
 * SDK, the worker and the CLI try again) with the leader's client address in the {@code
 * colony-leader} trailer, which they follow.
 */
public final class LeaderHints {
  /** The trailer that names where the leader serves clients: {@code HOST:PORT}. */
  public static final Metadata.Key<String> LEADER =
      Metadata.Key.of("colony-leader", Metadata.ASCII_STRING_MARSHALLER);

  /**
   * Set instead when this member knows of no leader (an election is under way, or it is cut off
   * from the others): the caller should try another member rather than wait on this one.
   */
  public static final Metadata.Key<String> NO_LEADER =
      Metadata.Key.of("colony-no-leader", Metadata.ASCII_STRING_MARSHALLER);

  private LeaderHints() {}

  static Status status(NotLeader why) {
    return Status.UNAVAILABLE.withDescription(why.message());
  }

  static Metadata trailers(NotLeader why) {
    Metadata trailers = new Metadata();
    if (why.leaderAddress() != null) {
      trailers.put(LEADER, why.leaderAddress());
    } else {
      trailers.put(NO_LEADER, why.selfId());
    }
    return trailers;
  }

  static StatusRuntimeException unavailable(NotLeader why) {
    return status(why).asRuntimeException(trailers(why));
  }
}
