package dev.colony.client.internal;

import dev.colony.client.ColonyAtomicLong;
import dev.colony.client.ColonyAtomicLongAsync;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.Scalar;
import dev.colony.proto.v1.ValueAddRequest;
import dev.colony.proto.v1.ValueAddResponse;
import dev.colony.proto.v1.ValueCompareAndSetRequest;
import dev.colony.proto.v1.ValueCompareAndSetResponse;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;

/**
 * A long Value with the AtomicLong names; arithmetic is one ValueAdd on the coordinator. The memory
 * ordering variants (plain, opaque, acquire/release, weak) are the volatile operations: one remote
 * call is at least that strong, and a weak CAS that never fails spuriously is a valid one.
 */
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
  public void lazySet(long newValue) {
    set(newValue);
  }

  @Override
  public long getPlain() {
    return get();
  }

  @Override
  public void setPlain(long newValue) {
    set(newValue);
  }

  @Override
  public long getOpaque() {
    return get();
  }

  @Override
  public void setOpaque(long newValue) {
    set(newValue);
  }

  @Override
  public long getAcquire() {
    return get();
  }

  @Override
  public void setRelease(long newValue) {
    set(newValue);
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
  public long compareAndExchange(long expected, long update) {
    ValueCompareAndSetResponse exchanged =
        checked(
                calls.run(
                    Call.newBuilder()
                        .setValueCompareAndSet(
                            ValueCompareAndSetRequest.newBuilder()
                                .setName(name)
                                .setExpected(Scalar.newBuilder().setLongValue(expected))
                                .setUpdate(Scalar.newBuilder().setLongValue(update)))))
            .getValueCompareAndSet();
    // The witness: what was there before, which is `expected` exactly when it swapped.
    return exchanged.getSwapped() ? expected : exchanged.getCurrent().getLongValue();
  }

  @Override
  public long compareAndExchangeAcquire(long expected, long update) {
    return compareAndExchange(expected, update);
  }

  @Override
  public long compareAndExchangeRelease(long expected, long update) {
    return compareAndExchange(expected, update);
  }

  @Deprecated
  @Override
  public boolean weakCompareAndSet(long expected, long update) {
    return compareAndSet(expected, update);
  }

  @Override
  public boolean weakCompareAndSetPlain(long expected, long update) {
    return compareAndSet(expected, update);
  }

  @Override
  public boolean weakCompareAndSetVolatile(long expected, long update) {
    return compareAndSet(expected, update);
  }

  @Override
  public boolean weakCompareAndSetAcquire(long expected, long update) {
    return compareAndSet(expected, update);
  }

  @Override
  public boolean weakCompareAndSetRelease(long expected, long update) {
    return compareAndSet(expected, update);
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
    return checked(calls.run(addCall(delta))).getValueAdd();
  }

  private Call.Builder addCall(long delta) {
    return Call.newBuilder()
        .setValueAdd(
            ValueAddRequest.newBuilder()
                .setName(name)
                .setDelta(Scalar.newBuilder().setLongValue(delta)));
  }

  // ---- the async view -------------------------------------------------------------------

  private final ColonyAtomicLongAsync async = new Async();

  @Override
  public ColonyAtomicLongAsync async() {
    return async;
  }

  private final class Async implements ColonyAtomicLongAsync {
    @Override
    public CompletableFuture<Long> get() {
      return value.async().get();
    }

    @Override
    public CompletableFuture<Void> set(long newValue) {
      return value.async().set(newValue);
    }

    @Override
    public CompletableFuture<Long> getAndSet(long newValue) {
      return value.async().getAndSet(newValue);
    }

    @Override
    public CompletableFuture<Boolean> compareAndSet(long expected, long update) {
      return value.async().compareAndSet(expected, update);
    }

    @Override
    public CompletableFuture<Long> incrementAndGet() {
      return addAndGet(1);
    }

    @Override
    public CompletableFuture<Long> decrementAndGet() {
      return addAndGet(-1);
    }

    @Override
    public CompletableFuture<Long> addAndGet(long delta) {
      return calls.async(addCall(delta), r -> r.getValueAdd().getCurrent().getLongValue(), null);
    }

    @Override
    public CompletableFuture<Long> getAndAdd(long delta) {
      return calls.async(addCall(delta), r -> r.getValueAdd().getPrevious().getLongValue(), null);
    }
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
  public int intValue() {
    return (int) get();
  }

  @Override
  public long longValue() {
    return get();
  }

  @Override
  public float floatValue() {
    return (float) get();
  }

  @Override
  public double doubleValue() {
    return (double) get();
  }

  /** The current value, as {@link java.util.concurrent.atomic.AtomicLong#toString()} is. */
  @Override
  public String toString() {
    return Long.toString(get());
  }
}
