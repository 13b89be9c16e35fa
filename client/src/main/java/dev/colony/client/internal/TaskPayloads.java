package dev.colony.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.colony.client.ColonyException;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.Payload;
import dev.colony.proto.v1.TaskOutcome;
import dev.colony.proto.v1.TaskValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Task arguments and results as payloads, the same rules on both sides of a task: a value is
 * encoded by its runtime class (null is a payload with no codec id), and decoded into the declared
 * type — or, when the declared type is unknown or a supertype of the codec's own type (Object,
 * Number, CharSequence…), by the codec id: "string" → String, "long" → Long, "int" → Integer,
 * "double" → Double, "float" → Float, "short" → Short, "byte" → Byte, "bool" → Boolean, "char" →
 * Character, "bytes" → byte[], "json" → a Jackson {@link JsonNode}. A protobuf payload needs its
 * message class declared.
 */
public final class TaskPayloads {
  private static final Map<String, Class<?>> NATURAL_TYPES =
      Map.ofEntries(
          Map.entry("string", String.class),
          Map.entry("long", Long.class),
          Map.entry("int", Integer.class),
          Map.entry("double", Double.class),
          Map.entry("float", Float.class),
          Map.entry("short", Short.class),
          Map.entry("byte", Byte.class),
          Map.entry("bool", Boolean.class),
          Map.entry("char", Character.class),
          Map.entry("bytes", byte[].class),
          Map.entry("json", JsonNode.class));

  private TaskPayloads() {}

  /** A value encoded by its runtime class; null becomes a payload with an empty codec id. */
  @SuppressWarnings("unchecked")
  public static Payload encode(Object value) {
    if (value == null) {
      return Payload.getDefaultInstance();
    }
    return Codecs.forClass((Class<Object>) value.getClass()).encode(value);
  }

  /**
   * Decodes {@code payload} as {@code declared} (null: unknown).
   *
   * @throws ColonyException if the payload cannot be read as that type
   */
  public static Object decode(Payload payload, Class<?> declared) {
    if (payload.getCodec().isEmpty()) {
      return null;
    }
    Class<?> natural = NATURAL_TYPES.get(payload.getCodec());
    Class<?> target;
    if (declared == null || declared == Void.class || declared.isAssignableFrom(natural(natural))) {
      if (natural == null) {
        throw new ColonyException(
            ColonyException.Code.INVALID_ARGUMENT,
            ErrorReason.ERROR_REASON_UNSPECIFIED,
            "a payload with codec '"
                + payload.getCodec()
                + "' needs its Java type: declare it in the task's Task<A, R>");
      }
      target = natural;
    } else {
      target = declared;
    }
    return Codecs.forClass(target).decode(payload);
  }

  // A class no declared type is assignable from, for codecs without a natural type.
  private static Class<?> natural(Class<?> natural) {
    return natural == null ? NoNaturalType.class : natural;
  }

  private static final class NoNaturalType {}

  /**
   * A succeeded task's results in argument order, unpacked if the task was submitted with packed
   * arguments (a Pool.map chunk).
   *
   * @throws InvalidProtocolBufferException if packed results do not parse
   */
  public static List<Payload> results(TaskOutcome outcome) throws InvalidProtocolBufferException {
    return outcome.getPackedResults().isEmpty()
        ? outcome.getResultsList()
        : unpack(outcome.getPackedResults());
  }

  /**
   * Values as one encoded {@code TaskValues}: a chunk's packed arguments or results. Values of one
   * codec name it once.
   */
  public static ByteString pack(List<Payload> values) {
    TaskValues.Builder packed = TaskValues.newBuilder();
    String codec = values.isEmpty() ? "" : values.get(0).getCodec();
    boolean oneCodec = !codec.isEmpty();
    for (int i = 1; oneCodec && i < values.size(); i++) {
      oneCodec = codec.equals(values.get(i).getCodec());
    }
    if (oneCodec) {
      packed.setCodec(codec);
      for (Payload value : values) {
        packed.addData(value.getData());
      }
    } else {
      packed.addAllValues(values);
    }
    return packed.build().toByteString();
  }

  /**
   * The values {@link #pack} packed, in order.
   *
   * @throws InvalidProtocolBufferException if the bytes are not an encoded {@code TaskValues}
   */
  public static List<Payload> unpack(ByteString packed) throws InvalidProtocolBufferException {
    TaskValues values = TaskValues.parseFrom(packed);
    if (values.getCodec().isEmpty()) {
      return values.getValuesList();
    }
    List<Payload> unpacked = new ArrayList<>(values.getDataCount());
    for (ByteString data : values.getDataList()) {
      unpacked.add(Payload.newBuilder().setCodec(values.getCodec()).setData(data).build());
    }
    return unpacked;
  }
}
