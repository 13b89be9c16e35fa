package dev.colony.server.core;

import java.util.Objects;

/**
 * Behaviour switches of the core that are not limits.
 *
 * @param deadlockPolicy what to do when a lock or semaphore wait closes a wait-for cycle
 * @param noWorkerWarningMillis how long tasks may wait queued with no worker able to run them
 *     before status and the SDK warn about it (0: at once)
 * @param maxCodeBytes how many bytes the jars shipped by clients may take together
 *     (--max-code-bytes)
 */
public record CoreOptions(
    DeadlockPolicy deadlockPolicy, long noWorkerWarningMillis, long maxCodeBytes) {
  /** The default of {@link #maxCodeBytes}: 64 MiB. */
  public static final long DEFAULT_MAX_CODE_BYTES = 64L << 20;

  /** Long enough for workers started with the coordinator to connect, short enough to notice. */
  public static final long DEFAULT_NO_WORKER_WARNING_MILLIS = 10_000;

  public CoreOptions {
    Objects.requireNonNull(deadlockPolicy, "deadlockPolicy");
    if (noWorkerWarningMillis < 0) {
      throw new IllegalArgumentException(
          "noWorkerWarningMillis must be 0 or more: " + noWorkerWarningMillis);
    }
    if (maxCodeBytes < 0) {
      throw new IllegalArgumentException("maxCodeBytes must be 0 or more: " + maxCodeBytes);
    }
  }

  /** Up to two arguments: the default bound of shipped code. */
  public CoreOptions(DeadlockPolicy deadlockPolicy, long noWorkerWarningMillis) {
    this(deadlockPolicy, noWorkerWarningMillis, DEFAULT_MAX_CODE_BYTES);
  }

  public CoreOptions withMaxCodeBytes(long value) {
    return new CoreOptions(deadlockPolicy, noWorkerWarningMillis, value);
  }

  public static CoreOptions defaults() {
    return new CoreOptions(DeadlockPolicy.REPORT, DEFAULT_NO_WORKER_WARNING_MILLIS);
  }

  public CoreOptions withDeadlockPolicy(DeadlockPolicy value) {
    return new CoreOptions(value, noWorkerWarningMillis, maxCodeBytes);
  }

  public CoreOptions withNoWorkerWarningMillis(long value) {
    return new CoreOptions(deadlockPolicy, value, maxCodeBytes);
  }
}
