package dev.colony.client.internal;

import dev.colony.proto.v1.ClientFrame;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.Failure;
import io.grpc.Status;

/**
 * Refuses a frame over the coordinator's message limit before it is sent. gRPC answers such a
 * message by resetting the whole stream, which would fail every other call of the session (a poll
 * blocked on another thread) with UNAVAILABLE instead of telling the caller what was wrong.
 */
final class OversizedCalls {
  private final long maxMessageBytes;
  private final long maxPayloadBytes;

  /**
   * @param maxMessageBytes the largest message the coordinator accepts
   * @param maxPayloadBytes its limit on one item, key or value, or 0 if it did not say
   */
  OversizedCalls(long maxMessageBytes, long maxPayloadBytes) {
    this.maxMessageBytes = maxMessageBytes;
    this.maxPayloadBytes = maxPayloadBytes;
  }

  long maxMessageBytes() {
    return maxMessageBytes;
  }

  /** The PAYLOAD_TOO_LARGE failure for {@code frame}, or null if it may be sent. */
  Failure check(ClientFrame frame) {
    int size = frame.getSerializedSize();
    if (size <= maxMessageBytes) {
      return null;
    }
    String payloads =
        maxPayloadBytes > 0
            ? "; each item, key or value may be up to " + maxPayloadBytes + " bytes"
            : "";
    return Failure.newBuilder()
        .setCode(Status.Code.RESOURCE_EXHAUSTED.value())
        .setReason(ErrorReason.PAYLOAD_TOO_LARGE)
        .setMessage(
            "a call of "
                + size
                + " bytes is over the coordinator's limit of "
                + maxMessageBytes
                + " bytes per message"
                + payloads
                + "; it was not sent")
        .build();
  }
}
