package dev.colony.client;

import java.time.Duration;
import java.util.Objects;

/** Checks of durations the options take. */
final class Durations {
  private Durations() {}

  /** A non-negative duration that fits in milliseconds (the protocol's unit). */
  static Duration checkTimeout(Duration value, String what) {
    Objects.requireNonNull(value, what);
    if (value.isNegative()) {
      throw new IllegalArgumentException(what + " must not be negative: " + value);
    }
    try {
      value.toMillis();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(what + " is too long: " + value, e);
    }
    return value;
  }
}
