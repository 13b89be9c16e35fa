package dev.colony.server.core;

import java.util.Objects;

/**
 * Behaviour switches of the core that are not limits.
 *
 * @param deadlockPolicy what to do when a lock or semaphore wait closes a wait-for cycle
 * @param noWorkerWarningMillis how long tasks may wait queued with no worker able to run them
 *     before status and the SDK warn about it (0: at once)
 */
public record CoreOptions(DeadlockPolicy deadlockPolicy, long noWorkerWarningMillis) {
  /** Long enough for workers started with the coordinator to connect, short enough to notice. */
  public static final long DEFAULT_NO_WORKER_WARNING_MILLIS = 10_000;

  public CoreOptions {
    Objects.requireNonNull(deadlockPolicy, "deadlockPolicy");
    if (noWorkerWarningMillis < 0) {
      throw new IllegalArgumentException(
          "noWorkerWarningMillis must be 0 or more: " + noWorkerWarningMillis);
    }
  }

  public static CoreOptions defaults() {
    return new CoreOptions(DeadlockPolicy.REPORT, DEFAULT_NO_WORKER_WARNING_MILLIS);
  }

  public CoreOptions withDeadlockPolicy(DeadlockPolicy value) {
    return new CoreOptions(value, noWorkerWarningMillis);
  }

  public CoreOptions withNoWorkerWarningMillis(long value) {
    return new CoreOptions(deadlockPolicy, value);
  }
}
