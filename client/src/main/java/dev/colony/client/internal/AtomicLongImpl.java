package dev.colony.client.internal;

import dev.colony.client.ColonyAtomicLong;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.Scalar;
import dev.colony.proto.v1.ValueAddRequest;
import dev.colony.proto.v1.ValueAddResponse;
import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;

/** A long Value with the AtomicLong names; arithmetic is one ValueAdd on the coordinator. */
final class AtomicLongImpl extends ObjectProxy implements ColonyAtomicLong {
  private final ValueImpl<Long> value;

  AtomicLongImpl(String name, Calls calls) {
    super(name, calls);
    this.value = new ValueImpl<>(name, calls, ScalarCodec.LONG);
  }

  @Override
  public long get() {
    return value.get();
  }

  @Override
  public void set(long newValue) {
    value.set(newValue);
  }

  @Override
  public long getAndSet(long newValue) {
    return value.getAndSet(newValue);
  }

  @Override
  public boolean compareAndSet(long expected, long update) {
    return value.compareAndSet(expected, update);
  }

  @Override
  public long incrementAndGet() {
    return add(1).getCurrent().getLongValue();
  }

  @Override
  public long decrementAndGet() {
    return add(-1).getCurrent().getLongValue();
  }

  @Override
  public long getAndIncrement() {
    return add(1).getPrevious().getLongValue();
  }

  @Override
  public long getAndDecrement() {
    return add(-1).getPrevious().getLongValue();
  }

  @Override
  public long addAndGet(long delta) {
    return add(delta).getCurrent().getLongValue();
  }

  @Override
  public long getAndAdd(long delta) {
    return add(delta).getPrevious().getLongValue();
  }

  private ValueAddResponse add(long delta) {
    return checked(
            calls.run(
                Call.newBuilder()
                    .setValueAdd(
                        ValueAddRequest.newBuilder()
                            .setName(name)
                            .setDelta(Scalar.newBuilder().setLongValue(delta)))))
        .getValueAdd();
  }

  @Override
  public long updateAndGet(LongUnaryOperator update) {
    while (true) {
      long previous = get();
      long next = update.applyAsLong(previous);
      if (compareAndSet(previous, next)) {
        return next;
      }
    }
  }

  @Override
  public long getAndUpdate(LongUnaryOperator update) {
    while (true) {
      long previous = get();
      if (compareAndSet(previous, update.applyAsLong(previous))) {
        return previous;
      }
    }
  }

  @Override
  public long accumulateAndGet(long x, LongBinaryOperator accumulator) {
    return updateAndGet(previous -> accumulator.applyAsLong(previous, x));
  }

  @Override
  public long getAndAccumulate(long x, LongBinaryOperator accumulator) {
    return getAndUpdate(previous -> accumulator.applyAsLong(previous, x));
  }

  @Override
  public String toString() {
    return "ColonyAtomicLong[" + name + "]";
  }
}
