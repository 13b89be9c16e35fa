package dev.colony.client;

import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;

/**
 * A shared long with the {@link java.util.concurrent.atomic.AtomicLong} method names. Each method
 * is one atomic coordinator operation, except the functional ones, which are compare-and-set loops
 * (the function may run more than once, so it should be free of side effects).
 */
public interface ColonyAtomicLong {
  String name();

  long get();

  void set(long value);

  long getAndSet(long value);

  boolean compareAndSet(long expected, long update);

  long incrementAndGet();

  long decrementAndGet();

  long getAndIncrement();

  long getAndDecrement();

  long addAndGet(long delta);

  long getAndAdd(long delta);

  long updateAndGet(LongUnaryOperator update);

  long getAndUpdate(LongUnaryOperator update);

  long accumulateAndGet(long x, LongBinaryOperator accumulator);

  long getAndAccumulate(long x, LongBinaryOperator accumulator);
}
