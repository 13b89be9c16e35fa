package dev.colony.server.core;

import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.OpenSessionCommand;
import java.util.Collection;

/**
 * Whether one more session may open: in all, per credentials and per client address, so a flood
 * from one token or one host stops at its share and others can still open sessions. Counted from
 * the live sessions' owners and addresses, which every replay restores, so a replay decides alike.
 */
final class SessionQuota {
  private SessionQuota() {}

  /** The RESOURCE_EXHAUSTED (LIMIT_EXCEEDED) refusal of {@code command}, or null if it may open. */
  static CoreException check(
      Collection<Session> sessions, OpenSessionCommand command, Limits limits) {
    if (sessions.size() >= limits.maxSessions()) {
      return refused(
          "the coordinator already has "
              + sessions.size()
              + " sessions (limit "
              + limits.maxSessions()
              + ")");
    }
    String owner = command.getOwner();
    // Without tokens every caller shares the empty principal: only the address tells them apart.
    if (!owner.isEmpty()) {
      long opened = sessions.stream().filter(s -> s.owner.equals(owner)).count();
      if (opened >= limits.maxSessionsPerPrincipal()) {
        return refused(
            "these credentials ("
                + owner
                + ") already have "
                + opened
                + " sessions open (limit "
                + limits.maxSessionsPerPrincipal()
                + " per token, --max-sessions-per-token); close some or let their leases end");
      }
    }
    String address = command.getClientAddress();
    if (!address.isEmpty()) {
      long opened = sessions.stream().filter(s -> s.clientAddress.equals(address)).count();
      if (opened >= limits.maxSessionsPerAddress()) {
        return refused(
            "the address "
                + address
                + " already has "
                + opened
                + " sessions open (limit "
                + limits.maxSessionsPerAddress()
                + " per address, --max-sessions-per-address); close some or let their leases end");
      }
    }
    return null;
  }

  private static CoreException refused(String message) {
    return CoreException.exhausted(ErrorReason.LIMIT_EXCEEDED, message);
  }
}
