package dev.colony.it.contract;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Timeout;

/** The reference behaviour: {@link AtomicLong}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JdkAtomicLongTest extends AtomicLongContract {

  @Override
  protected Counter newCounter() {
    AtomicLong atomic = new AtomicLong();
    return new Counter() {
      @Override
      public long get() {
        return atomic.get();
      }

      @Override
      public void set(long value) {
        atomic.set(value);
      }

      @Override
      public long incrementAndGet() {
        return atomic.incrementAndGet();
      }

      @Override
      public long decrementAndGet() {
        return atomic.decrementAndGet();
      }

      @Override
      public long getAndIncrement() {
        return atomic.getAndIncrement();
      }

      @Override
      public long getAndDecrement() {
        return atomic.getAndDecrement();
      }

      @Override
      public long addAndGet(long delta) {
        return atomic.addAndGet(delta);
      }

      @Override
      public long getAndAdd(long delta) {
        return atomic.getAndAdd(delta);
      }

      @Override
      public boolean compareAndSet(long expected, long value) {
        return atomic.compareAndSet(expected, value);
      }

      @Override
      public long getAndSet(long value) {
        return atomic.getAndSet(value);
      }

      @Override
      public long updateAndGet(LongUnaryOperator update) {
        return atomic.updateAndGet(update);
      }

      @Override
      public long getAndUpdate(LongUnaryOperator update) {
        return atomic.getAndUpdate(update);
      }

      @Override
      public long accumulateAndGet(long x, LongBinaryOperator accumulator) {
        return atomic.accumulateAndGet(x, accumulator);
      }
    };
  }
}
