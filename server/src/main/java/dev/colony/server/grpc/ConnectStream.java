package dev.colony.server.grpc;

import dev.colony.proto.v1.AttachCommand;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.CallCommand;
import dev.colony.proto.v1.CancelCommand;
import dev.colony.proto.v1.ClientFrame;
import dev.colony.proto.v1.Command;
import dev.colony.proto.v1.DetachCommand;
import dev.colony.proto.v1.KeepAliveAck;
import dev.colony.proto.v1.KeepAliveCommand;
import dev.colony.proto.v1.Output;
import dev.colony.proto.v1.Replies;
import dev.colony.proto.v1.Reply;
import dev.colony.proto.v1.ServerFrame;
import dev.colony.server.core.CoreException;
import dev.colony.server.loop.ApplyLoop;
import dev.colony.server.loop.NotLeader;
import dev.colony.server.loop.Outlet;
import dev.colony.server.metrics.CallMetrics;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Connect stream of a session: client frames in as commands, replies out. Every frame renews
 * the session's lease. The stream has an id of its own, which is how the core addresses its replies
 * and knows which blocked calls to withdraw when the stream goes away.
 */
final class ConnectStream implements StreamObserver<ClientFrame>, Outlet {
  private static final Logger log = LoggerFactory.getLogger(ConnectStream.class);

  private final String sessionId;
  private final String principal;
  private final long streamId;
  private final ApplyLoop loop;
  private final CallValidator validator;
  private final SerializedObserver<ServerFrame> frames;
  private final CallMetrics metrics;
  private final Map<Long, Timing> timings;
  private final AtomicBoolean ended = new AtomicBoolean();
  // The core's replies of the batch being delivered, sent together by flush().
  private final List<Reply> replies = new ArrayList<>();
  private volatile boolean halfClosed;

  private record Timing(Call.OpCase op, long received) {}

  ConnectStream(
      String sessionId,
      String principal,
      ApplyLoop loop,
      CallValidator validator,
      SerializedObserver<ServerFrame> frames,
      CallMetrics metrics) {
    this.sessionId = sessionId;
    this.principal = principal;
    this.loop = loop;
    this.streamId = loop.newId();
    this.validator = validator;
    this.frames = frames;
    this.metrics = metrics;
    this.timings = metrics.isEnabled() ? new ConcurrentHashMap<>() : null;
  }

  /** Registers the stream with its session; an unknown session fails the stream (NOT_FOUND). */
  void attach() {
    loop.register(streamId, this);
    loop.submit(
        Command.newBuilder()
            .setAttach(
                AttachCommand.newBuilder()
                    .setSessionId(sessionId)
                    .setStreamId(streamId)
                    .setPrincipal(principal))
            .build());
  }

  @Override
  public void abandon(NotLeader why) {
    frames.fail(LeaderHints.unavailable(why));
  }

  @Override
  public synchronized void deliver(Output output) {
    if (output.getKindCase() == Output.KindCase.REPLY) {
      answered(output.getReply());
      replies.add(output.getReply());
      return;
    }
    flush();
    switch (output.getKindCase()) {
      case KEEP_ALIVE_ACK ->
          frames.next(
              ServerFrame.newBuilder()
                  .setKeepAliveAck(KeepAliveAck.newBuilder().setEcho(output.getKeepAliveAck()))
                  .build());
      case FAILED -> {
        frames.fail(ErrorMapper.toException(output.getFailed()));
        loop.unregister(streamId);
      }
      case DONE -> {
        // Detached: every blocked call has had its answer, so a half-closed stream may end.
        loop.unregister(streamId);
        if (halfClosed) {
          frames.complete();
        }
      }
      default -> log.warn("session {}: unexpected {} output", sessionId, output.getKindCase());
    }
  }

  /**
   * Sends the replies of the batch just delivered together ({@link FrameBatches}), so pipelined and
   * concurrent callers on this stream share writes.
   */
  @Override
  public synchronized void flush() {
    FrameBatches.send(replies, this::sendReplies);
    replies.clear();
  }

  private void sendReplies(List<Reply> batch) {
    frames.next(
        batch.size() == 1
            ? ServerFrame.newBuilder().setReply(batch.get(0)).build()
            : ServerFrame.newBuilder()
                .setReplies(Replies.newBuilder().addAllReplies(batch))
                .build());
  }

  /** Counts the reply's call as answered, before the reply goes out. */
  private void answered(Reply reply) {
    if (timings != null) {
      Timing timing = timings.remove(reply.getId());
      if (timing != null) {
        // Recorded before the reply goes out, so a caller that has its reply sees it counted.
        metrics.replied(timing.op(), timing.received());
      }
    }
  }

  /** A reply made here, not by the core: it goes out at once. */
  private void send(Reply reply) {
    answered(reply);
    frames.next(ServerFrame.newBuilder().setReply(reply).build());
  }

  @Override
  public void onNext(ClientFrame frame) {
    try {
      switch (frame.getKindCase()) {
        case CALL -> call(frame.getCall());
        case CANCEL ->
            loop.submit(
                Command.newBuilder()
                    .setCancel(
                        CancelCommand.newBuilder()
                            .setSessionId(sessionId)
                            .setCallId(frame.getCancel().getCallId())
                            .setPrincipal(principal))
                    .build());
        case KEEP_ALIVE -> keepAlive(frame.getKeepAlive().getEcho());
        case KIND_NOT_SET -> keepAlive(0);
      }
    } catch (RuntimeException e) {
      // A bug, not bad input: answer the call if there is one and keep the stream.
      log.error("session {}: a frame failed unexpectedly", sessionId, e);
      if (frame.hasCall()) {
        send(
            Reply.newBuilder()
                .setId(frame.getCall().getId())
                .setFailure(ErrorMapper.toFailure(e))
                .build());
      }
    }
  }

  private void keepAlive(long echo) {
    loop.submit(
        Command.newBuilder()
            .setKeepAlive(
                KeepAliveCommand.newBuilder()
                    .setSessionId(sessionId)
                    .setStreamId(streamId)
                    .setEcho(echo)
                    .setPrincipal(principal))
            .build());
  }

  private void call(Call call) {
    Call.OpCase op = call.getOpCase();
    long received = metrics.received(op);
    try {
      if (call.getId() < 0) {
        throw CoreException.invalid(
            "call id "
                + Long.toUnsignedString(call.getId())
                + " is reserved: ids from 2^63 up belong to unary Execute calls");
      }
      validator.validate(call);
    } catch (CoreException e) {
      metrics.replied(op, received);
      frames.next(
          ServerFrame.newBuilder()
              .setReply(Reply.newBuilder().setId(call.getId()).setFailure(e.toFailure()))
              .build());
      keepAlive(0);
      return;
    }
    if (timings != null && !call.getOneWay()) {
      timings.put(call.getId(), new Timing(op, received));
    }
    loop.submit(
        Command.newBuilder()
            .setCall(
                CallCommand.newBuilder()
                    .setSessionId(sessionId)
                    .setStreamId(streamId)
                    .setCall(call)
                    .setPrincipal(principal))
            .build());
  }

  @Override
  public void onError(Throwable t) {
    end();
  }

  /** The client half-closed: its blocked calls are answered CANCELLED, then the stream ends. */
  @Override
  public void onCompleted() {
    halfClosed = true;
    end();
  }

  /** Detaches from the session once, whichever of cancel, error or half-close came first. */
  void end() {
    if (ended.compareAndSet(false, true)) {
      loop.submit(
          Command.newBuilder()
              .setDetach(
                  DetachCommand.newBuilder()
                      .setSessionId(sessionId)
                      .setStreamId(streamId)
                      .setPrincipal(principal))
              .build());
    }
  }
}
