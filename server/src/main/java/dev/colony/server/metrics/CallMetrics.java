package dev.colony.server.metrics;

import dev.colony.proto.v1.Call;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Calls by operation and their latency, measured by the transport from the moment a call arrives to
 * the moment its reply is written (so a blocked {@code queue_get} counts its wait). Meters are
 * created on an operation's first call and cached by op, so a call costs two array reads and two
 * lock-free updates.
 */
public final class CallMetrics {
  private static final Call.OpCase[] OPS = Call.OpCase.values();
  private static final CallMetrics DISABLED = new CallMetrics(null);

  private final MeterRegistry registry;
  private final AtomicReferenceArray<Meters> byOp = new AtomicReferenceArray<>(OPS.length);

  private record Meters(Counter calls, Timer latency) {}

  CallMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Records nothing; for transports built without metrics. */
  public static CallMetrics disabled() {
    return DISABLED;
  }

  public boolean isEnabled() {
    return registry != null;
  }

  /** Counts a call that arrived; returns its start time for {@link #replied}. */
  public long received(Call.OpCase op) {
    if (registry == null) {
      return 0;
    }
    meters(op).calls.increment();
    return System.nanoTime();
  }

  /** Records the latency of a call that arrived at {@code startNanos} and was just answered. */
  public void replied(Call.OpCase op, long startNanos) {
    if (registry == null) {
      return;
    }
    meters(op).latency.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  private Meters meters(Call.OpCase op) {
    Meters meters = byOp.get(op.ordinal());
    if (meters == null) {
      // Two threads may race here; the registry returns the same meters to both.
      String tag = op.name().toLowerCase(Locale.ROOT);
      meters =
          new Meters(
              Counter.builder("colony.calls")
                  .description("Calls received, by operation")
                  .tag("op", tag)
                  .register(registry),
              Timer.builder("colony.call.latency")
                  .description("Time from a call's arrival to its reply, by operation")
                  .tag("op", tag)
                  .publishPercentiles(0.5, 0.95, 0.99)
                  .register(registry));
      byOp.set(op.ordinal(), meters);
    }
    return meters;
  }
}
