package dev.colony.server.core;

import dev.colony.proto.v1.Reply;
import java.util.function.Consumer;

/**
 * One call being served: who made it, when, and where its single reply goes. An object either
 * replies at once or parks a {@link Waiter} holding this context and replies later.
 */
public final class CallContext {
  private final Session session;
  private final long callId;
  private final boolean oneWay;
  final Replier replier;
  private final long startedAt;
  private boolean done;

  CallContext(Session session, long callId, boolean oneWay, Replier replier, long startedAt) {
    this.session = session;
    this.callId = callId;
    this.oneWay = oneWay;
    this.replier = replier;
    this.startedAt = startedAt;
  }

  public Session session() {
    return session;
  }

  public long callId() {
    return callId;
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
    if (oneWay) {
      return;
    }
    Reply.Builder reply = Reply.newBuilder().setId(callId);
    fill.accept(reply);
    replier.send(reply.build());
  }

  /** Sends a failure; one-way calls get it too, since nobody else would learn of it. */
  public void fail(CoreException error) {
    if (done) {
      return;
    }
    done = true;
    replier.send(Reply.newBuilder().setId(callId).setFailure(error.toFailure()).build());
  }
}
