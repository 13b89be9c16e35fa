package dev.colony.it.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What an {@link java.util.concurrent.atomic.AtomicLong} does; bound to the JDK and Colony. */
abstract class AtomicLongContract {

  /** The AtomicLong methods both implementations share. */
  interface Counter {
    long get();

    void set(long value);

    long incrementAndGet();

    long decrementAndGet();

    long getAndIncrement();

    long getAndDecrement();

    long addAndGet(long delta);

    long getAndAdd(long delta);

    boolean compareAndSet(long expected, long value);

    long getAndSet(long value);

    long updateAndGet(LongUnaryOperator update);

    long getAndUpdate(LongUnaryOperator update);

    long accumulateAndGet(long x, LongBinaryOperator accumulator);

    long getAndAccumulate(long x, LongBinaryOperator accumulator);

    void lazySet(long value);

    long getPlain();

    void setPlain(long value);

    long getOpaque();

    void setOpaque(long value);

    long getAcquire();

    void setRelease(long value);

    long compareAndExchange(long expected, long value);

    long compareAndExchangeAcquire(long expected, long value);

    long compareAndExchangeRelease(long expected, long value);

    boolean weakCompareAndSet(long expected, long value);

    boolean weakCompareAndSetPlain(long expected, long value);

    boolean weakCompareAndSetVolatile(long expected, long value);

    boolean weakCompareAndSetAcquire(long expected, long value);

    boolean weakCompareAndSetRelease(long expected, long value);

    int intValue();

    long longValue();

    float floatValue();

    double doubleValue();
  }

  protected final Concurrently threads = new Concurrently();

  /** A new counter at 0. */
  protected abstract Counter newCounter();

  @AfterEach
  void stopThreads() throws InterruptedException {
    threads.close();
  }

  @Test
  void newCounter_startsAtZero() {
    assertEquals(0, newCounter().get());
  }

  @Test
  void arithmetic_returnsOldOrNewValueAsNamed() {
    Counter counter = newCounter();
    assertEquals(1, counter.incrementAndGet());
    assertEquals(1, counter.getAndIncrement());
    assertEquals(2, counter.getAndDecrement());
    assertEquals(0, counter.decrementAndGet());
    assertEquals(5, counter.addAndGet(5));
    assertEquals(5, counter.getAndAdd(-7));
    assertEquals(-2, counter.get());
    assertEquals(-2, counter.getAndSet(40));
    counter.set(41);
    assertEquals(41, counter.get());
  }

  @Test
  void compareAndSet_succeedsOnlyOnExpectedValue() {
    Counter counter = newCounter();
    assertTrue(counter.compareAndSet(0, 10));
    assertFalse(counter.compareAndSet(0, 20));
    assertEquals(10, counter.get());
  }

  @Test
  void updateFunctions_applyAtomically() {
    Counter counter = newCounter();
    counter.set(3);
    assertEquals(6, counter.updateAndGet(v -> v * 2));
    assertEquals(6, counter.getAndUpdate(v -> v + 1));
    assertEquals(70, counter.accumulateAndGet(10, (a, b) -> a * b));
  }

  @Test
  void getAndAccumulate_returnsThePreviousValue() {
    Counter counter = newCounter();
    counter.set(4);
    assertEquals(4, counter.getAndAccumulate(3, Math::max));
    assertEquals(4, counter.getAndAccumulate(9, Math::max));
    assertEquals(9, counter.get());
  }

  @Test
  void memoryOrderingVariants_readAndWriteTheSameValue() {
    Counter counter = newCounter();
    counter.lazySet(1);
    assertEquals(1, counter.getPlain());
    counter.setPlain(2);
    assertEquals(2, counter.getOpaque());
    counter.setOpaque(3);
    assertEquals(3, counter.getAcquire());
    counter.setRelease(4);
    assertEquals(4, counter.get());
  }

  @Test
  void compareAndExchange_returnsTheWitnessValue() {
    Counter counter = newCounter();
    assertEquals(0, counter.compareAndExchange(0, 5));
    assertEquals(5, counter.compareAndExchange(0, 6));
    assertEquals(5, counter.compareAndExchangeAcquire(5, 7));
    assertEquals(7, counter.compareAndExchangeRelease(1, 8));
    assertEquals(7, counter.get());
  }

  @Test
  @SuppressWarnings("deprecation")
  void weakCompareAndSets_swapOnlyOnTheExpectedValue() {
    Counter counter = newCounter();
    // A weak CAS may fail spuriously, so success is retried; a wrong expectation never swaps.
    assertFalse(counter.weakCompareAndSet(1, 9));
    while (!counter.weakCompareAndSet(0, 1)) {}
    assertFalse(counter.weakCompareAndSetPlain(0, 9));
    while (!counter.weakCompareAndSetPlain(1, 2)) {}
    assertFalse(counter.weakCompareAndSetVolatile(1, 9));
    while (!counter.weakCompareAndSetVolatile(2, 3)) {}
    assertFalse(counter.weakCompareAndSetAcquire(2, 9));
    while (!counter.weakCompareAndSetAcquire(3, 4)) {}
    assertFalse(counter.weakCompareAndSetRelease(3, 9));
    while (!counter.weakCompareAndSetRelease(4, 5)) {}
    assertEquals(5, counter.get());
  }

  @Test
  void numberViewsAndToString_showTheCurrentValue() {
    Counter counter = newCounter();
    counter.set((1L << 32) + 7);
    assertEquals(7, counter.intValue());
    assertEquals((1L << 32) + 7, counter.longValue());
    assertEquals((float) ((1L << 32) + 7), counter.floatValue());
    assertEquals((double) ((1L << 32) + 7), counter.doubleValue());
    assertEquals("4294967303", counter.toString());
  }

  @Test
  void concurrentIncrements_loseNoUpdate() throws Exception {
    Counter counter = newCounter();
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      workers.add(
          threads.run(
              () -> {
                for (int i = 0; i < 50; i++) {
                  counter.incrementAndGet();
                  counter.updateAndGet(v -> v + 1);
                }
              }));
    }
    for (Future<?> worker : workers) {
      Concurrently.get(worker);
    }
    assertEquals(400, counter.get());
  }
}
