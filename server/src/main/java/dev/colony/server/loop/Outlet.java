package dev.colony.server.loop;

import dev.colony.proto.v1.Output;

/**
 * Where the outputs addressed to one id go: a session's stream, a unary call, a worker's stream.
 * Called on the apply thread, in the order the core produced them; must not block.
 */
@FunctionalInterface
public interface Outlet {
  void deliver(Output output);

  /**
   * The outputs of one applied batch have all been delivered: an outlet that holds some back to
   * send them together (a worker's assignments) sends them now. Called on the apply thread after
   * the batch's last {@link #deliver} to this outlet.
   */
  default void flush() {}

  /**
   * This node no longer serves the id (it stopped leading its group): end the stream or call, so
   * its client goes to the leader. Called once, on any thread; nothing is delivered afterwards.
   */
  default void abandon(NotLeader why) {}
}
