package dev.colony.server.core;

import dev.colony.proto.v1.Reply;
import java.util.function.Consumer;

/**
 * One call being served: who made it, when, and where its single reply goes. An object either
 * replies at once or parks a {@link Waiter} holding this context and replies later. Replies are
 * outputs addressed to the stream the call came on, and are remembered in the session's retry cache
 * so that the same call sent again is answered, not applied twice.
 */
public final class CallContext {
  private final Session session;
  private final long callId;
  private final boolean oneWay;
  private final Outbox outbox;
  private final long startedAt;
  // A read served without the log (ReadOnlyCalls): its reply is not remembered, since nothing
  // was applied that a second try could apply twice, and remembering would change the state.
  private final boolean readOnly;
  private long streamId;
  private boolean done;

  CallContext(
      Session session, long callId, boolean oneWay, long streamId, Outbox outbox, long startedAt) {
    this(session, callId, oneWay, streamId, outbox, startedAt, false);
  }

  CallContext(
      Session session,
      long callId,
      boolean oneWay,
      long streamId,
      Outbox outbox,
      long startedAt,
      boolean readOnly) {
    this.session = session;
    this.callId = callId;
    this.oneWay = oneWay;
    this.streamId = streamId;
    this.outbox = outbox;
    this.startedAt = startedAt;
    this.readOnly = readOnly;
  }

  public Session session() {
    return session;
  }

  public long callId() {
    return callId;
  }

  boolean isOneWay() {
    return oneWay;
  }

  /** The stream (or unary call) the reply goes to. */
  long streamId() {
    return streamId;
  }

  /** The caller re-sent this call on another stream (it reconnected): answer there. */
  void readdress(long streamId) {
    this.streamId = streamId;
  }

  /** Time at which the call was applied (the core's clock). */
  public long now() {
    return startedAt;
  }

  public boolean isDone() {
    return done;
  }

  /** Sends the successful result; {@code fill} sets the result field matching the call's op. */
  public void reply(Consumer<Reply.Builder> fill) {
    if (done) {
      return;
    }
    done = true;
    Reply.Builder reply = Reply.newBuilder().setId(callId);
    fill.accept(reply);
    Reply built = reply.build();
    if (!readOnly) {
      session.remember(callId, built);
    }
    if (!oneWay) {
      outbox.reply(streamId, built);
    }
  }

  /** Sends a failure; one-way calls get it too, since nobody else would learn of it. */
  public void fail(CoreException error) {
    if (done) {
      return;
    }
    done = true;
    Reply reply = Reply.newBuilder().setId(callId).setFailure(error.toFailure()).build();
    if (!readOnly) {
      session.remember(callId, reply);
    }
    outbox.reply(streamId, reply);
  }

  /**
   * Answers a blocked call that was withdrawn (cancelled, its stream closed, its session ended)
   * without applying it: the reply is not remembered, so the same call sent again on a new stream
   * is applied then.
   */
  void withdraw(CoreException reason) {
    if (done) {
      return;
    }
    done = true;
    outbox.reply(streamId, Reply.newBuilder().setId(callId).setFailure(reason.toFailure()).build());
  }
}
