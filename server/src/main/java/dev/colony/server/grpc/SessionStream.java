package dev.colony.server.grpc;

import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.ClientFrame;
import dev.colony.proto.v1.Reply;
import dev.colony.proto.v1.ServerFrame;
import dev.colony.server.core.CoordinatorCore;
import dev.colony.server.core.CoreException;
import dev.colony.server.core.Replier;
import dev.colony.server.metrics.CallMetrics;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Connect stream of a session: client frames in, replies out. Every frame renews the session's
 * lease. The stream is this object's {@link Replier}, which is how the core knows which blocked
 * calls to cancel when the stream goes away.
 */
final class SessionStream implements StreamObserver<ClientFrame>, Replier {
  private static final Logger log = LoggerFactory.getLogger(SessionStream.class);

  private final String sessionId;
  private final CoordinatorCore core;
  private final CallValidator validator;
  private final SerializedObserver<ServerFrame> frames;
  private final CallMetrics metrics;
  private final AtomicBoolean ended = new AtomicBoolean();

  SessionStream(
      String sessionId,
      CoordinatorCore core,
      CallValidator validator,
      SerializedObserver<ServerFrame> frames,
      CallMetrics metrics) {
    this.sessionId = sessionId;
    this.core = core;
    this.validator = validator;
    this.frames = frames;
    this.metrics = metrics;
  }

  /** Registers the stream with its session; an unknown session fails the stream (NOT_FOUND). */
  void attach() {
    core.attach(sessionId)
        .whenComplete(
            (attached, error) -> {
              if (error != null) {
                frames.fail(ErrorMapper.toException(error));
              }
            });
  }

  @Override
  public void send(Reply reply) {
    frames.next(ServerFrame.newBuilder().setReply(reply).build());
  }

  @Override
  public void onNext(ClientFrame frame) {
    try {
      switch (frame.getKindCase()) {
        case CALL -> call(frame.getCall());
        case CANCEL -> {
          core.cancel(sessionId, frame.getCancel().getCallId());
          core.keepAlive(sessionId);
        }
        case KEEP_ALIVE, KIND_NOT_SET -> core.keepAlive(sessionId);
      }
    } catch (RuntimeException e) {
      // A bug, not bad input: answer the call if there is one and keep the stream.
      log.error("session {}: a frame failed unexpectedly", sessionId, e);
      if (frame.hasCall()) {
        send(failure(frame.getCall(), e));
      }
    }
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
      send(Reply.newBuilder().setId(call.getId()).setFailure(e.toFailure()).build());
      core.keepAlive(sessionId);
      return;
    }
    if (metrics.isEnabled() && !call.getOneWay()) {
      core.execute(sessionId, call, new TimedReply(op, received));
    } else {
      core.execute(sessionId, call, this);
    }
  }

  /** Records a call's latency when its reply goes out on this stream. */
  private final class TimedReply implements Replier {
    private final Call.OpCase op;
    private final long received;

    TimedReply(Call.OpCase op, long received) {
      this.op = op;
      this.received = received;
    }

    @Override
    public void send(Reply reply) {
      // Recorded before the reply goes out, so a caller that has its reply sees it counted.
      metrics.replied(op, received);
      SessionStream.this.send(reply);
    }

    @Override
    public Replier channel() {
      return SessionStream.this;
    }
  }

  private static Reply failure(Call call, RuntimeException e) {
    return Reply.newBuilder().setId(call.getId()).setFailure(ErrorMapper.toFailure(e)).build();
  }

  @Override
  public void onError(Throwable t) {
    end();
  }

  /** The client half-closed: its blocked calls are answered CANCELLED, then the stream ends. */
  @Override
  public void onCompleted() {
    end();
    // Runs after the detach on the core's serial executor, so its replies are written first.
    core.query(view -> null).whenComplete((ignored, error) -> frames.complete());
  }

  /** Detaches from the session once, whichever of cancel, error or half-close came first. */
  void end() {
    if (ended.compareAndSet(false, true)) {
      core.detach(sessionId, this);
    }
  }
}
