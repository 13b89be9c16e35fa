package dev.colony.server.core;

import dev.colony.proto.v1.Reply;

/**
 * Where the answer to one call goes. Called exactly once per call, on the core's serial context;
 * implementations must not block (they hand the reply to the transport).
 */
@FunctionalInterface
public interface Replier {
  void send(Reply reply);
}
