package dev.colony.server.core;

import dev.colony.proto.v1.Reply;

/**
 * Where the answer to one call goes. Called exactly once per call, on the core's serial context;
 * implementations must not block (they hand the reply to the transport).
 */
@FunctionalInterface
public interface Replier {
  void send(Reply reply);

  /**
   * The stream this replier writes to, when it wraps one (e.g. to time the call): {@link
   * CoordinatorCore#detach} withdraws the blocked calls whose replier's channel is the stream.
   */
  default Replier channel() {
    return this;
  }
}
