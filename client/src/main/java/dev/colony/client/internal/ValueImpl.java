package dev.colony.client.internal;

import dev.colony.client.ColonyValue;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.ValueCompareAndSetRequest;
import dev.colony.proto.v1.ValueGetAndSetRequest;
import dev.colony.proto.v1.ValueGetRequest;
import dev.colony.proto.v1.ValueSetRequest;

/** A typed Value proxy. */
final class ValueImpl<T> extends ObjectProxy implements ColonyValue<T> {
  private final ScalarCodec<T> codec;

  ValueImpl(String name, Calls calls, ScalarCodec<T> codec) {
    super(name, calls);
    this.codec = codec;
  }

  @Override
  public T get() {
    return codec.decode(
        checked(
                calls.run(
                    Call.newBuilder().setValueGet(ValueGetRequest.newBuilder().setName(name))))
            .getValueGet()
            .getValue());
  }

  @Override
  public void set(T value) {
    checked(
        calls.run(
            Call.newBuilder()
                .setValueSet(
                    ValueSetRequest.newBuilder().setName(name).setValue(codec.encode(value)))));
  }

  @Override
  public T getAndSet(T value) {
    return codec.decode(
        checked(
                calls.run(
                    Call.newBuilder()
                        .setValueGetAndSet(
                            ValueGetAndSetRequest.newBuilder()
                                .setName(name)
                                .setValue(codec.encode(value)))))
            .getValueGetAndSet()
            .getPrevious());
  }

  @Override
  public boolean compareAndSet(T expected, T update) {
    return checked(
            calls.run(
                Call.newBuilder()
                    .setValueCompareAndSet(
                        ValueCompareAndSetRequest.newBuilder()
                            .setName(name)
                            .setExpected(codec.encode(expected))
                            .setUpdate(codec.encode(update)))))
        .getValueCompareAndSet()
        .getSwapped();
  }
}
