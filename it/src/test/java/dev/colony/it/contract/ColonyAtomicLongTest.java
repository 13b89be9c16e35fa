package dev.colony.it.contract;

import dev.colony.client.ColonyAtomicLong;
import dev.colony.client.ColonyClient;
import dev.colony.it.support.ColonyExtension;
import java.util.concurrent.TimeUnit;
import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Colony long Value against {@link java.util.concurrent.atomic.AtomicLong}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ColonyAtomicLongTest extends AtomicLongContract {

  @RegisterExtension static final ColonyExtension colony = new ColonyExtension();

  private ColonyClient client;

  @BeforeEach
  void connect(ColonyClient client) {
    this.client = client;
  }

  @Override
  protected Counter newCounter() {
    ColonyAtomicLong atomic = client.atomicLong(colony.name("counter"));
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
