package dev.colony.server.core;

import dev.colony.proto.v1.CoordinatorFrame;

/** The core's way to a worker's stream: tasks and aborts go out here, never blocking. */
@FunctionalInterface
public interface WorkerLink {
  void send(CoordinatorFrame frame);
}
