package dev.colony.server.core;

import dev.colony.proto.v1.CoordinatorFrame;

/** The core's way to a worker's stream: tasks and aborts go out here, never blocking. */
@FunctionalInterface
public interface WorkerLink {
  void send(CoordinatorFrame frame);

  /**
   * The core gave up on this worker (its heartbeats stopped) and re-queued its tasks: end the
   * stream, so a worker that is still alive reconnects instead of waiting for tasks forever.
   */
  default void close(String why) {}
}
