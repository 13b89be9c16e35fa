package dev.colony.client.internal;

import com.google.protobuf.ByteString;
import dev.colony.client.ColonyException;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.Scalar;

/** The Java types a Value can hold, as {@link Scalar}s. */
final class ScalarCodec<T> {
  static final ScalarCodec<Long> LONG = new ScalarCodec<>(Long.class, Scalar.KindCase.LONG_VALUE);
  static final ScalarCodec<Double> DOUBLE =
      new ScalarCodec<>(Double.class, Scalar.KindCase.DOUBLE_VALUE);
  static final ScalarCodec<String> STRING =
      new ScalarCodec<>(String.class, Scalar.KindCase.STRING_VALUE);
  static final ScalarCodec<byte[]> BYTES =
      new ScalarCodec<>(byte[].class, Scalar.KindCase.BYTES_VALUE);

  private final Class<T> type;
  private final Scalar.KindCase kind;

  private ScalarCodec(Class<T> type, Scalar.KindCase kind) {
    this.type = type;
    this.kind = kind;
  }

  @SuppressWarnings("unchecked")
  static <T> ScalarCodec<T> forClass(Class<T> type) {
    if (type == Long.class || type == long.class) {
      return (ScalarCodec<T>) LONG;
    } else if (type == Double.class || type == double.class) {
      return (ScalarCodec<T>) DOUBLE;
    } else if (type == String.class) {
      return (ScalarCodec<T>) STRING;
    } else if (type == byte[].class) {
      return (ScalarCodec<T>) BYTES;
    }
    throw new IllegalArgumentException(
        "a Value holds Long, Double, String or byte[], not " + type.getName());
  }

  /** The initial value of a new Value of this kind: 0, 0.0, "" or empty. */
  Scalar initial() {
    return switch (kind) {
      case LONG_VALUE -> Scalar.newBuilder().setLongValue(0).build();
      case DOUBLE_VALUE -> Scalar.newBuilder().setDoubleValue(0).build();
      case STRING_VALUE -> Scalar.newBuilder().setStringValue("").build();
      default -> Scalar.newBuilder().setBytesValue(ByteString.EMPTY).build();
    };
  }

  Scalar encode(T value) {
    if (value == null) {
      throw new NullPointerException("a Value cannot hold null");
    }
    Object v = value;
    return switch (kind) {
      case LONG_VALUE -> Scalar.newBuilder().setLongValue((Long) v).build();
      case DOUBLE_VALUE -> Scalar.newBuilder().setDoubleValue((Double) v).build();
      case STRING_VALUE -> Scalar.newBuilder().setStringValue((String) v).build();
      default -> Scalar.newBuilder().setBytesValue(ByteString.copyFrom((byte[]) v)).build();
    };
  }

  T decode(Scalar scalar) {
    if (scalar.getKindCase() != kind) {
      throw new ColonyException(
          ColonyException.Code.FAILED_PRECONDITION,
          ErrorReason.VALUE_KIND_MISMATCH,
          "the Value holds a " + scalar.getKindCase() + " but is read as " + type.getSimpleName());
    }
    Object v =
        switch (kind) {
          case LONG_VALUE -> scalar.getLongValue();
          case DOUBLE_VALUE -> scalar.getDoubleValue();
          case STRING_VALUE -> scalar.getStringValue();
          default -> scalar.getBytesValue().toByteArray();
        };
    return type.cast(v);
  }
}
