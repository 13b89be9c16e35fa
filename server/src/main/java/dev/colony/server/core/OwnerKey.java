package dev.colony.server.core;

import dev.colony.proto.v1.Owner;

/**
 * A node of the wait-for graph: a session and a thread inside it (sessions compare by identity).
 */
record OwnerKey(Session session, long thread) {
  Owner toOwner() {
    return session.owner(thread);
  }

  /** "session s1 thread 7 (ticket-seller on host-a pid 4242)", for logs and error messages. */
  String describe() {
    return "session "
        + session.label()
        + " thread "
        + thread
        + " ("
        + session.clientName()
        + " on "
        + session.host()
        + " pid "
        + session.pid()
        + ")";
  }
}
