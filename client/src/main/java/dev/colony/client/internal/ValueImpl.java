package dev.colony.client.internal;

import dev.colony.client.ColonyValue;
import dev.colony.client.ColonyValueAsync;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.Reply;
import dev.colony.proto.v1.ValueCompareAndSetRequest;
import dev.colony.proto.v1.ValueGetAndSetRequest;
import dev.colony.proto.v1.ValueGetRequest;
import dev.colony.proto.v1.ValueSetRequest;
import java.util.concurrent.CompletableFuture;

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
    return swapped(checked(calls.run(compareAndSetCall(expected, update))));
  }

  private Call.Builder compareAndSetCall(T expected, T update) {
    return Call.newBuilder()
        .setValueCompareAndSet(
            ValueCompareAndSetRequest.newBuilder()
                .setName(name)
                .setExpected(codec.encode(expected))
                .setUpdate(codec.encode(update)));
  }

  private static boolean swapped(Reply reply) {
    return reply.getValueCompareAndSet().getSwapped();
  }

  // ---- the async view -------------------------------------------------------------------

  private final ColonyValueAsync<T> async = new Async();

  @Override
  public ColonyValueAsync<T> async() {
    return async;
  }

  private final class Async implements ColonyValueAsync<T> {
    @Override
    public CompletableFuture<T> get() {
      return calls.async(
          Call.newBuilder().setValueGet(ValueGetRequest.newBuilder().setName(name)),
          r -> codec.decode(r.getValueGet().getValue()),
          null);
    }

    @Override
    public CompletableFuture<Void> set(T value) {
      return calls.async(
          Call.newBuilder()
              .setValueSet(
                  ValueSetRequest.newBuilder().setName(name).setValue(codec.encode(value))),
          r -> null,
          null);
    }

    @Override
    public CompletableFuture<T> getAndSet(T value) {
      return calls.async(
          Call.newBuilder()
              .setValueGetAndSet(
                  ValueGetAndSetRequest.newBuilder().setName(name).setValue(codec.encode(value))),
          r -> codec.decode(r.getValueGetAndSet().getPrevious()),
          null);
    }

    @Override
    public CompletableFuture<Boolean> compareAndSet(T expected, T update) {
      return calls.async(compareAndSetCall(expected, update), ValueImpl::swapped, null);
    }
  }
}
