package dev.colony.server.core;

/**
 * The core's only source of time. Commands are stamped with it when they are applied, so tests
 * drive a fake ticker and never sleep.
 */
@FunctionalInterface
public interface Ticker {
  /** Milliseconds on a monotonic clock with an arbitrary origin. */
  long nowMillis();

  Ticker SYSTEM = () -> System.nanoTime() / 1_000_000L;
}
