package dev.colony.worker;

import io.grpc.Status;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Reconnect delays: exponential from 100 ms to 5 s with jitter, chosen by the status the stream
 * failed with. Transient failures start small; a coordinator that refuses this worker (bad request,
 * permission, unimplemented) will not change its mind soon, so those wait the maximum.
 */
final class Backoff {
  static final Duration INITIAL = Duration.ofMillis(100);
  static final Duration MAX = Duration.ofSeconds(5);
  private static final Duration OVERLOADED = Duration.ofSeconds(1);

  private final DoubleSupplier random;
  private int failures;

  /**
   * @param random values in [0, 1) for the jitter
   */
  Backoff(DoubleSupplier random) {
    this.random = random;
  }

  /** The delay before the next attempt after a failure with {@code code}. */
  synchronized Duration next(Status.Code code) {
    long base =
        switch (code) {
          case INVALID_ARGUMENT,
              FAILED_PRECONDITION,
              UNIMPLEMENTED,
              PERMISSION_DENIED,
              UNAUTHENTICATED,
              NOT_FOUND ->
              MAX.toMillis();
          case RESOURCE_EXHAUSTED -> OVERLOADED.toMillis();
          default -> INITIAL.toMillis();
        };
    long exponential = base << Math.min(failures, 20);
    failures++;
    long capped = Math.min(MAX.toMillis(), exponential);
    // Jitter in [50%, 100%] so workers that lost the same coordinator do not return in lockstep.
    return Duration.ofMillis((long) (capped * (0.5 + 0.5 * random.getAsDouble())));
  }

  /** The stream is up again: the next failure starts from the initial delay. */
  synchronized void reset() {
    failures = 0;
  }
}
