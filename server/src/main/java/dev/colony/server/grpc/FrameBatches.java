package dev.colony.server.grpc;

import com.google.protobuf.MessageLite;
import java.util.List;
import java.util.function.Consumer;

/** Messages sent together: consecutive runs of at most a given size, in order. */
final class FrameBatches {
  // Messages sent together in one frame, at most (a larger one goes alone): well under gRPC's
  // default 4 MiB inbound limit, and short enough that no frame holds the others back for long.
  static final long BATCH_BYTES = 1 << 20;

  private FrameBatches() {}

  /**
   * Hands {@code send} the messages in order, in consecutive runs of at most {@link #BATCH_BYTES}
   * encoded bytes (a larger message alone).
   */
  static <T extends MessageLite> void send(List<T> messages, Consumer<List<T>> send) {
    int from = 0;
    long bytes = 0;
    for (int i = 0; i < messages.size(); i++) {
      long size = messages.get(i).getSerializedSize();
      if (i > from && bytes + size > BATCH_BYTES) {
        send.accept(messages.subList(from, i));
        from = i;
        bytes = 0;
      }
      bytes += size;
    }
    if (from < messages.size()) {
      send.accept(messages.subList(from, messages.size()));
    }
  }
}
