package dev.colony.server.core;

import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectInfo;
import dev.colony.proto.v1.ObjectSnapshot;
import dev.colony.proto.v1.Scalar;
import dev.colony.proto.v1.ValueAddRequest;
import dev.colony.proto.v1.ValueAddResponse;
import dev.colony.proto.v1.ValueCompareAndSetRequest;
import dev.colony.proto.v1.ValueCompareAndSetResponse;
import dev.colony.proto.v1.ValueGetAndSetRequest;
import dev.colony.proto.v1.ValueGetAndSetResponse;
import dev.colony.proto.v1.ValueGetRequest;
import dev.colony.proto.v1.ValueGetResponse;
import dev.colony.proto.v1.ValueOptions;
import dev.colony.proto.v1.ValueSetRequest;
import dev.colony.proto.v1.ValueSetResponse;
import dev.colony.proto.v1.ValueSnapshot;

/**
 * A VALUE: one typed scalar (long, double, string or bytes) with atomic get/set/CAS/add, like
 * {@code AtomicLong} or an {@code AtomicReference}. Its kind is fixed by the initial value at
 * creation (unset means long 0); any other kind is VALUE_KIND_MISMATCH.
 */
final class ValueObject extends SharedObject {
  private final Scalar.KindCase kind;
  private Scalar current;

  ValueObject(ObjectCreateRequest request, CoreEnv env) {
    this(request, env, false);
  }

  /** A restored value was within the limits when stored, and must come back whatever they are. */
  private ValueObject(ObjectCreateRequest request, CoreEnv env, boolean restored) {
    super(request.getName(), request.getType(), env);
    Scalar initial = request.getValue().getInitial();
    if (initial.getKindCase() == Scalar.KindCase.KIND_NOT_SET) {
      initial = Scalar.newBuilder().setLongValue(0).build();
    }
    this.kind = initial.getKindCase();
    checkSize(initial, "initial value");
    if (!restored) {
      checkStore(sizeOf(initial));
    }
    this.current = initial;
    stored(sizeOf(initial));
  }

  @Override
  public ObjectInfo info() {
    return ObjectInfo.newBuilder().setName(name).setType(type).setDetail(describe()).build();
  }

  /** An unset initial value accepts the existing Value; a set one must be of the same kind. */
  @Override
  public void checkOptions(ObjectCreateRequest request) {
    Scalar.KindCase requested = request.getValue().getInitial().getKindCase();
    if (requested != Scalar.KindCase.KIND_NOT_SET && requested != kind) {
      throw optionsConflict("kind " + kindName(kind), "kind " + kindName(requested));
    }
  }

  /** Nobody waits on a Value, so there is nothing to fail. */
  @Override
  public void delete() {}

  public void get(CallContext ctx, ValueGetRequest request) {
    Scalar value = current;
    ctx.reply(r -> r.setValueGet(ValueGetResponse.newBuilder().setValue(value)));
  }

  public void set(CallContext ctx, ValueSetRequest request) {
    replace(checked(request.getValue(), "value"));
    ctx.reply(r -> r.setValueSet(ValueSetResponse.getDefaultInstance()));
  }

  public void getAndSet(CallContext ctx, ValueGetAndSetRequest request) {
    Scalar update = checked(request.getValue(), "value");
    Scalar previous = current;
    replace(update);
    ctx.reply(r -> r.setValueGetAndSet(ValueGetAndSetResponse.newBuilder().setPrevious(previous)));
  }

  public void compareAndSet(CallContext ctx, ValueCompareAndSetRequest request) {
    Scalar expected = checked(request.getExpected(), "expected value");
    Scalar update = checked(request.getUpdate(), "update");
    boolean swapped = sameValue(current, expected);
    if (swapped) {
      replace(update);
    }
    Scalar now = current;
    ctx.reply(
        r ->
            r.setValueCompareAndSet(
                ValueCompareAndSetResponse.newBuilder().setSwapped(swapped).setCurrent(now)));
  }

  public void add(CallContext ctx, ValueAddRequest request) {
    if (kind != Scalar.KindCase.LONG_VALUE && kind != Scalar.KindCase.DOUBLE_VALUE) {
      throw new CoreException(
          CoreException.Code.INVALID_ARGUMENT,
          ErrorReason.VALUE_KIND_MISMATCH,
          "add works on long and double values only; value '"
              + name
              + "' holds a "
              + kindName(kind));
    }
    Scalar delta = checked(request.getDelta(), "delta");
    Scalar previous = current;
    // Long addition wraps on overflow, as AtomicLong.addAndGet does.
    current =
        kind == Scalar.KindCase.LONG_VALUE
            ? Scalar.newBuilder()
                .setLongValue(previous.getLongValue() + delta.getLongValue())
                .build()
            : Scalar.newBuilder()
                .setDoubleValue(previous.getDoubleValue() + delta.getDoubleValue())
                .build();
    Scalar now = current;
    ctx.reply(
        r -> r.setValueAdd(ValueAddResponse.newBuilder().setPrevious(previous).setCurrent(now)));
  }

  @Override
  void writeState(ObjectSnapshot.Builder snapshot, SnapshotWriter writer) {
    snapshot.setValue(ValueSnapshot.newBuilder().setCurrent(current));
  }

  /** The kind of a Value is that of its current value, as it was of its initial one. */
  static ValueObject fromSnapshot(ObjectSnapshot snapshot, CoreEnv env) {
    return new ValueObject(
        SharedObject.createRequest(snapshot)
            .setValue(ValueOptions.newBuilder().setInitial(snapshot.getValue().getCurrent()))
            .build(),
        env,
        true);
  }

  /** {@code scalar} if it is of this Value's kind and within the payload limit. */
  private Scalar checked(Scalar scalar, String role) {
    if (scalar.getKindCase() == Scalar.KindCase.KIND_NOT_SET) {
      throw CoreException.invalid(
          "the " + role + " is missing; value '" + name + "' holds a " + kindName(kind));
    }
    if (scalar.getKindCase() != kind) {
      throw new CoreException(
          CoreException.Code.INVALID_ARGUMENT,
          ErrorReason.VALUE_KIND_MISMATCH,
          "value '"
              + name
              + "' holds a "
              + kindName(kind)
              + ", but the "
              + role
              + " given is a "
              + kindName(scalar.getKindCase()));
    }
    checkSize(scalar, role);
    return scalar;
  }

  /** Sets the value, if the coordinator may store it. */
  private void replace(Scalar update) {
    long growth = sizeOf(update) - sizeOf(current);
    checkStore(growth);
    current = update;
    stored(growth);
  }

  /**
   * What a value counts as stored. A number counts as nothing beyond the overhead, so arithmetic
   * never grows it and never fails for want of room.
   */
  private static long sizeOf(Scalar scalar) {
    return Limits.storedSize(
        switch (scalar.getKindCase()) {
          case STRING_VALUE -> scalar.getStringValueBytes().size();
          case BYTES_VALUE -> scalar.getBytesValue().size();
          default -> 0;
        });
  }

  private void checkSize(Scalar scalar, String role) {
    long bytes =
        switch (scalar.getKindCase()) {
          case STRING_VALUE -> scalar.getStringValueBytes().size();
          case BYTES_VALUE -> scalar.getBytesValue().size();
          default -> 0;
        };
    DataChecks.checkBytes(env.limits(), "the " + role + " of value '" + name + "'", bytes);
  }

  /**
   * Equality as the SDK's Java types define it: doubles compare by bits (NaN equals NaN, 0.0 does
   * not equal -0.0, like {@code Double.equals}), strings and bytes by content.
   */
  private static boolean sameValue(Scalar a, Scalar b) {
    return switch (a.getKindCase()) {
      case LONG_VALUE -> a.getLongValue() == b.getLongValue();
      case DOUBLE_VALUE ->
          Double.doubleToLongBits(a.getDoubleValue())
              == Double.doubleToLongBits(b.getDoubleValue());
      case STRING_VALUE -> a.getStringValue().equals(b.getStringValue());
      case BYTES_VALUE -> a.getBytesValue().equals(b.getBytesValue());
      case KIND_NOT_SET -> false;
    };
  }

  private String describe() {
    return switch (kind) {
      case LONG_VALUE -> "long " + current.getLongValue();
      case DOUBLE_VALUE -> "double " + current.getDoubleValue();
      case STRING_VALUE -> "string of " + current.getStringValue().length() + " chars";
      case BYTES_VALUE -> "bytes of length " + current.getBytesValue().size();
      case KIND_NOT_SET -> "unset";
    };
  }

  static String kindName(Scalar.KindCase kind) {
    return switch (kind) {
      case LONG_VALUE -> "long";
      case DOUBLE_VALUE -> "double";
      case STRING_VALUE -> "string";
      case BYTES_VALUE -> "bytes";
      case KIND_NOT_SET -> "unset value";
    };
  }
}
