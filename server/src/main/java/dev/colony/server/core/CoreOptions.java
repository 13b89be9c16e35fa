package dev.colony.server.core;

import java.util.Objects;

/**
 * Behaviour switches of the core that are not limits.
 *
 * @param deadlockPolicy what to do when a lock or semaphore wait closes a wait-for cycle
 */
public record CoreOptions(DeadlockPolicy deadlockPolicy) {
  public CoreOptions {
    Objects.requireNonNull(deadlockPolicy, "deadlockPolicy");
  }

  public static CoreOptions defaults() {
    return new CoreOptions(DeadlockPolicy.REPORT);
  }

  public CoreOptions withDeadlockPolicy(DeadlockPolicy value) {
    return new CoreOptions(value);
  }
}
