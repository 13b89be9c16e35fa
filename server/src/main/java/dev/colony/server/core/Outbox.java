package dev.colony.server.core;

import dev.colony.proto.v1.CoordinatorFrame;
import dev.colony.proto.v1.Failure;
import dev.colony.proto.v1.Output;
import dev.colony.proto.v1.Reply;
import dev.colony.proto.v1.ResultsAck;
import dev.colony.proto.v1.SessionOpenResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where applying commands leaves its outputs, addressed by the transport's stream and reply ids.
 * The core never writes to a stream: the apply loop takes what accumulated here once the batch is
 * durable and hands it to the transport.
 */
public final class Outbox {
  private List<Output> outputs = new ArrayList<>();
  // One acknowledgement per worker stream and drain, however many results it names: its place in
  // outputs (a placeholder until the drain) and what it names so far.
  private final Map<Long, Integer> ackAt = new HashMap<>();
  private final Map<Long, ResultsAck.Builder> acks = new HashMap<>();

  /** Everything produced since the last call, in order; the outbox starts empty again. */
  public List<Output> drain() {
    List<Output> drained = outputs;
    for (Map.Entry<Long, Integer> ack : ackAt.entrySet()) {
      CoordinatorFrame frame =
          CoordinatorFrame.newBuilder().setResultsAck(acks.get(ack.getKey())).build();
      drained.set(ack.getValue(), Output.newBuilder().setTo(ack.getKey()).setWorker(frame).build());
    }
    ackAt.clear();
    acks.clear();
    outputs = new ArrayList<>();
    return drained;
  }

  void reply(long to, Reply reply) {
    outputs.add(Output.newBuilder().setTo(to).setReply(reply).build());
  }

  void opened(long to, SessionOpenResponse opened) {
    outputs.add(Output.newBuilder().setTo(to).setOpened(opened).build());
  }

  void failed(long to, Failure failure) {
    outputs.add(Output.newBuilder().setTo(to).setFailed(failure).build());
  }

  void done(long to) {
    outputs.add(Output.newBuilder().setTo(to).setDone(true).build());
  }

  void keepAliveAck(long to, long echo) {
    outputs.add(Output.newBuilder().setTo(to).setKeepAliveAck(echo).build());
  }

  void toWorker(long to, CoordinatorFrame frame) {
    outputs.add(Output.newBuilder().setTo(to).setWorker(frame).build());
  }

  /** The worker's result for {@code taskId} is applied: it may forget it once this is durable. */
  void ackResult(long to, long taskId) {
    ResultsAck.Builder ack = acks.get(to);
    if (ack == null) {
      ack = ResultsAck.newBuilder();
      acks.put(to, ack);
      ackAt.put(to, outputs.size());
      outputs.add(null);
    }
    ack.addTaskIds(taskId);
  }

  void dropWorker(long to, String why) {
    outputs.add(Output.newBuilder().setTo(to).setDropWorker(why).build());
  }
}
