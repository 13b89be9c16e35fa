package dev.colony.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.Status;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  /** Jitter at its top: delays are the undiscounted exponential. */
  private final Backoff backoff = new Backoff(() -> 0.999_999);

  @Test
  void next_transientFailures_doubleFrom100msUpTo5s() {
    assertEquals(99, backoff.next(Status.Code.UNAVAILABLE).toMillis());
    assertEquals(199, backoff.next(Status.Code.UNAVAILABLE).toMillis());
    assertEquals(399, backoff.next(Status.Code.UNAVAILABLE).toMillis());
    for (int i = 0; i < 10; i++) {
      backoff.next(Status.Code.UNAVAILABLE);
    }
    assertEquals(Duration.ofMillis(4_999), backoff.next(Status.Code.UNAVAILABLE));
  }

  @Test
  void next_afterReset_startsAgainFromTheInitialDelay() {
    backoff.next(Status.Code.UNAVAILABLE);
    backoff.next(Status.Code.UNAVAILABLE);

    backoff.reset();

    assertEquals(99, backoff.next(Status.Code.UNAVAILABLE).toMillis());
  }

  @Test
  void next_refusal_waitsTheMaximumAtOnce() {
    assertEquals(4_999, backoff.next(Status.Code.PERMISSION_DENIED).toMillis());
  }

  @Test
  void next_jitter_neverGoesBelowHalf() {
    Backoff low = new Backoff(() -> 0.0);

    assertEquals(50, low.next(Status.Code.UNAVAILABLE).toMillis());
  }
}
