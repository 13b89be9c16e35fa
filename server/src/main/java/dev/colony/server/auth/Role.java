package dev.colony.server.auth;

import java.util.Locale;

/**
 * What a token may do. Each role has tokens of its own, so a leaked dashboard token cannot take a
 * lock, and a leaked client token cannot pose as a worker and read other people's task arguments.
 */
public enum Role {
  /** Shared objects, tasks (Pool, Process), its own sessions, and the status. */
  CLIENT,
  /**
   * Registers as a worker, takes tasks and reports results; also uses shared objects and its own
   * sessions, because the tasks a worker runs use shared objects through the worker's connection.
   * Not the status.
   */
  WORKER,
  /** The status (AdminService, the dashboard, /api/status, /metrics); changes nothing. */
  READ,
  /** Everything, including closing any session. */
  ADMIN;

  /** The name written in a token file: client, worker, read, admin. */
  public String fileName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role written {@code name} in a token file, or null if there is none. */
  static Role fromFileName(String name) {
    for (Role role : values()) {
      if (role.fileName().equals(name)) {
        return role;
      }
    }
    return null;
  }
}
