package dev.colony.server.core;

import dev.colony.proto.v1.ObjectType;
import java.util.List;

/**
 * An object whose blocked callers wait for its current holders to give it up: locks and semaphores.
 * The deadlock detector follows these edges.
 */
interface Acquirable {
  String name();

  ObjectType type();

  /** Who holds it now; empty when nobody does. For a semaphore, each session holding permits. */
  List<OwnerKey> holders();
}
