package dev.colony.server.store;

import dev.colony.proto.v1.Call;

/**
 * Where applied commands go so that state can be rebuilt by replaying them. The durable
 * implementation (group commit: one sync per batch, replies after the sync) plugs in here; {@link
 * #inMemory()} keeps nothing, which is the coordinator's in-memory mode.
 */
public interface CommandLog {
  /** Records a call applied at {@code nowMillis} for {@code sessionId}. */
  void append(long nowMillis, String sessionId, Call call);

  /** The in-memory mode: state lives only in the coordinator's heap. */
  static CommandLog inMemory() {
    return (nowMillis, sessionId, call) -> {};
  }
}
