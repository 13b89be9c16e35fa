package dev.colony.it.faults;

import dev.colony.client.ColonyOptions;
import dev.colony.client.internal.SessionChannel;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.QueueInfoRequest;
import dev.colony.proto.v1.QueueInfoResponse;
import dev.colony.proto.v1.Reply;
import java.util.concurrent.TimeUnit;

/**
 * Reads a queue's counters (size, delivered-unacknowledged, waiting getters) over a session of its
 * own straight to the coordinator: the public queue API does not expose unacked counts.
 */
final class QueueProbe implements AutoCloseable {
  private final SessionChannel session;

  QueueProbe(String coordinatorTarget) {
    this.session =
        SessionChannel.open(
            ColonyOptions.newBuilder().setTarget(coordinatorTarget).setClientName("probe").build());
  }

  QueueInfoResponse info(String queue) {
    try {
      Reply reply =
          session
              .call(Call.newBuilder().setQueueInfo(QueueInfoRequest.newBuilder().setName(queue)))
              .get(10, TimeUnit.SECONDS);
      if (reply.hasFailure()) {
        throw new AssertionError("queue info of '" + queue + "' failed: " + reply.getFailure());
      }
      return reply.getQueueInfo();
    } catch (Exception e) {
      throw new AssertionError("no queue info of '" + queue + "' within 10 s", e);
    }
  }

  /** The counters the tests assert on, readable in a failure message. */
  String describe(String queue) {
    QueueInfoResponse info = info(queue);
    return "size="
        + info.getSize()
        + " unacked="
        + info.getUnacked()
        + " waitingGetters="
        + info.getWaitingGetters();
  }

  @Override
  public void close() {
    session.close();
  }
}
