package dev.colony.client;

import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;

/**
 * A shared long with the {@link java.util.concurrent.atomic.AtomicLong} method names. Each method
 * is one atomic coordinator operation, except the functional ones, which are compare-and-set loops
 * (the function may run more than once, so it should be free of side effects). Every operation is
 * as strong as a volatile one: the plain, opaque, acquire/release and weak variants are the same
 * remote operations as {@link #get}, {@link #set} and {@link #compareAndSet}, and never fail
 * spuriously. {@link #toString()} is the current value, as for an AtomicLong.
 */
public interface ColonyAtomicLong {
  String name();

  /** The asynchronous view of this counter: the same operations as CompletableFutures. */
  ColonyAtomicLongAsync async();

  long get();

  void set(long value);

  void lazySet(long value);

  long getPlain();

  void setPlain(long value);

  long getOpaque();

  void setOpaque(long value);

  long getAcquire();

  void setRelease(long value);

  long getAndSet(long value);

  boolean compareAndSet(long expected, long update);

  /** Returns the value it found: {@code expected} if it swapped. */
  long compareAndExchange(long expected, long update);

  long compareAndExchangeAcquire(long expected, long update);

  long compareAndExchangeRelease(long expected, long update);

  /**
   * As {@link #compareAndSet}.
   *
   * @deprecated as {@link java.util.concurrent.atomic.AtomicLong#weakCompareAndSet} is; use {@link
   *     #weakCompareAndSetPlain}
   */
  @Deprecated
  boolean weakCompareAndSet(long expected, long update);

  boolean weakCompareAndSetPlain(long expected, long update);

  boolean weakCompareAndSetVolatile(long expected, long update);

  boolean weakCompareAndSetAcquire(long expected, long update);

  boolean weakCompareAndSetRelease(long expected, long update);

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

  int intValue();

  long longValue();

  float floatValue();

  double doubleValue();
}
