package dev.colony.client.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.colony.client.ColonyException;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.Payload;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The built-in codecs: fixed-width big-endian numbers, UTF-8 strings, raw bytes, protobuf messages
 * and JSON (Jackson) for records and POJOs. Never Java native serialization: deserializing
 * untrusted bytes with it is remote code execution.
 */
public final class Codecs {
  /**
   * Plain data binding only: no default typing, and a validator that allows no class named in the
   * payload, so a payload can never pick the class Jackson instantiates.
   */
  static final ObjectMapper JSON =
      JsonMapper.builder()
          .polymorphicTypeValidator(BasicPolymorphicTypeValidator.builder().build())
          .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          .build();

  public static final Codec<byte[]> BYTES = fixed("bytes", b -> b, b -> b);
  public static final Codec<String> STRING =
      fixed(
          "string",
          s -> s.getBytes(StandardCharsets.UTF_8),
          b -> new String(b, StandardCharsets.UTF_8));
  public static final Codec<Long> LONG = new LongCodec();
  public static final Codec<Integer> INT = new IntCodec();
  public static final Codec<Double> DOUBLE =
      fixed(
          "double",
          d -> ByteBuffer.allocate(8).putDouble(d).array(),
          b -> sized(b, 8, "double").getDouble());
  public static final Codec<Float> FLOAT =
      fixed(
          "float",
          f -> ByteBuffer.allocate(4).putFloat(f).array(),
          b -> sized(b, 4, "float").getFloat());
  public static final Codec<Short> SHORT =
      fixed(
          "short",
          s -> ByteBuffer.allocate(2).putShort(s).array(),
          b -> sized(b, 2, "short").getShort());
  public static final Codec<Byte> BYTE =
      fixed("byte", v -> new byte[] {v}, b -> sized(b, 1, "byte").get());
  public static final Codec<Boolean> BOOL =
      fixed("bool", v -> new byte[] {(byte) (v ? 1 : 0)}, b -> sized(b, 1, "bool").get() != 0);
  public static final Codec<Character> CHAR =
      fixed(
          "char",
          c -> ByteBuffer.allocate(2).putChar(c).array(),
          b -> sized(b, 2, "char").getChar());

  private static final Map<Class<?>, Codec<?>> BUILT_IN =
      Map.ofEntries(
          Map.entry(byte[].class, BYTES),
          Map.entry(String.class, STRING),
          Map.entry(Long.class, LONG),
          Map.entry(long.class, LONG),
          Map.entry(Integer.class, INT),
          Map.entry(int.class, INT),
          Map.entry(Double.class, DOUBLE),
          Map.entry(double.class, DOUBLE),
          Map.entry(Float.class, FLOAT),
          Map.entry(float.class, FLOAT),
          Map.entry(Short.class, SHORT),
          Map.entry(short.class, SHORT),
          Map.entry(Byte.class, BYTE),
          Map.entry(byte.class, BYTE),
          Map.entry(Boolean.class, BOOL),
          Map.entry(boolean.class, BOOL),
          Map.entry(Character.class, CHAR),
          Map.entry(char.class, CHAR));

  private static final Map<String, Codec<?>> BUILT_IN_BY_ID =
      Map.of(
          "bytes", BYTES,
          "string", STRING,
          "long", LONG,
          "int", INT,
          "double", DOUBLE,
          "float", FLOAT,
          "short", SHORT,
          "byte", BYTE,
          "bool", BOOL,
          "char", CHAR);

  /**
   * {@code Object.class}: writes each value with the codec of its runtime class and reads a payload
   * by its codec id, so one object can hold items of several built-in types (as another language's
   * clients write them). JSON reads as a {@link com.fasterxml.jackson.databind.JsonNode} tree,
   * never as a class the payload names; protobuf payloads need their message class.
   */
  static final Codec<Object> ANY = new AnyCodec();

  private static final Map<Class<?>, Codec<?>> DERIVED = new ConcurrentHashMap<>();

  private Codecs() {}

  /** The codec for values of {@code type}: built-in, protobuf, or JSON for anything else. */
  @SuppressWarnings("unchecked")
  public static <T> Codec<T> forClass(Class<T> type) {
    if (type == null) {
      throw new NullPointerException("type");
    }
    Codec<?> codec = BUILT_IN.get(type);
    if (codec == null) {
      codec = DERIVED.computeIfAbsent(type, Codecs::derive);
    }
    return (Codec<T>) codec;
  }

  private static Codec<?> derive(Class<?> type) {
    if (Message.class.isAssignableFrom(type)) {
      return protobuf(type.asSubclass(Message.class));
    }
    if (Object.class == type) {
      return ANY;
    }
    if (java.io.Serializable.class == type) {
      // Without a concrete class JSON would hand back maps and lists of whatever it read.
      throw new IllegalArgumentException(
          "no codec for " + type.getName() + ": name a concrete record, POJO or built-in type");
    }
    return new JsonCodec<>(type);
  }

  /** Checks the codec id of a payload before decoding it. */
  static void expect(Payload payload, String codecId, String javaType) {
    if (!payload.getCodec().equals(codecId)) {
      throw mismatch(payload.getCodec(), codecId, javaType);
    }
  }

  static ColonyException mismatch(String written, String reading, String javaType) {
    return new ColonyException(
        ColonyException.Code.INVALID_ARGUMENT,
        ErrorReason.ERROR_REASON_UNSPECIFIED,
        "payload was written with codec '"
            + written
            + "' but is read as "
            + javaType
            + " (codec '"
            + reading
            + "'); use the same type on both sides");
  }

  private static ColonyException corrupt(String codecId, String detail) {
    return new ColonyException(
        ColonyException.Code.DATA_LOSS,
        ErrorReason.ERROR_REASON_UNSPECIFIED,
        "payload with codec '" + codecId + "' cannot be decoded: " + detail);
  }

  private static ByteBuffer sized(byte[] bytes, int size, String codecId) {
    if (bytes.length != size) {
      throw corrupt(codecId, "expected " + size + " bytes, got " + bytes.length);
    }
    return ByteBuffer.wrap(bytes);
  }

  private static <T> Codec<T> fixed(
      String id, Function<T, byte[]> encoder, Function<byte[], T> decoder) {
    return new Codec<>() {
      @Override
      public String id() {
        return id;
      }

      @Override
      public Payload encode(T value) {
        return payload(id, encoder.apply(value));
      }

      @Override
      public T decode(Payload payload) {
        expect(payload, id, id);
        return decoder.apply(payload.getData().toByteArray());
      }

      @Override
      public String toString() {
        return "Codec[" + id + "]";
      }
    };
  }

  private static Payload payload(String id, byte[] data) {
    return Payload.newBuilder().setCodec(id).setData(ByteString.copyFrom(data)).build();
  }

  /** Longs; also reads payloads written as "int", since every int is a long. */
  private static final class LongCodec implements Codec<Long> {
    @Override
    public String id() {
      return "long";
    }

    @Override
    public Payload encode(Long value) {
      return payload("long", ByteBuffer.allocate(8).putLong(value).array());
    }

    @Override
    public Long decode(Payload payload) {
      byte[] data = payload.getData().toByteArray();
      return switch (payload.getCodec()) {
        case "long" -> sized(data, 8, "long").getLong();
        case "int" -> (long) sized(data, 4, "int").getInt();
        default -> throw mismatch(payload.getCodec(), "long", "Long");
      };
    }
  }

  /** Ints; also reads "long" payloads whose value fits in an int. */
  private static final class IntCodec implements Codec<Integer> {
    @Override
    public String id() {
      return "int";
    }

    @Override
    public Payload encode(Integer value) {
      return payload("int", ByteBuffer.allocate(4).putInt(value).array());
    }

    @Override
    public Integer decode(Payload payload) {
      byte[] data = payload.getData().toByteArray();
      return switch (payload.getCodec()) {
        case "int" -> sized(data, 4, "int").getInt();
        case "long" -> {
          long value = sized(data, 8, "long").getLong();
          if (value != (int) value) {
            throw new ColonyException(
                ColonyException.Code.OUT_OF_RANGE,
                ErrorReason.ERROR_REASON_UNSPECIFIED,
                "payload holds the long " + value + ", which does not fit in an Integer");
          }
          yield (int) value;
        }
        default -> throw mismatch(payload.getCodec(), "int", "Integer");
      };
    }
  }

  private static <M extends Message> Codec<M> protobuf(Class<M> type) {
    M prototype = com.google.protobuf.Internal.getDefaultInstance(type);
    String id = "proto:" + prototype.getDescriptorForType().getFullName();
    @SuppressWarnings("unchecked")
    com.google.protobuf.Parser<M> parser =
        (com.google.protobuf.Parser<M>) prototype.getParserForType();
    return new Codec<>() {
      @Override
      public String id() {
        return id;
      }

      @Override
      public Payload encode(M value) {
        return Payload.newBuilder().setCodec(id).setData(value.toByteString()).build();
      }

      @Override
      public M decode(Payload payload) {
        expect(payload, id, type.getName());
        try {
          return parser.parseFrom(payload.getData());
        } catch (InvalidProtocolBufferException e) {
          throw corrupt(id, e.getMessage());
        }
      }
    };
  }

  /** Records and POJOs as JSON. */
  private static final class JsonCodec<T> implements Codec<T> {
    private final Class<T> type;

    JsonCodec(Class<T> type) {
      this.type = type;
    }

    @Override
    public String id() {
      return "json";
    }

    @Override
    public Payload encode(T value) {
      try {
        return payload("json", JSON.writeValueAsBytes(value));
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException(
            "cannot encode a " + type.getName() + " as JSON: " + e.getOriginalMessage(), e);
      }
    }

    @Override
    public T decode(Payload payload) {
      expect(payload, "json", type.getName());
      try {
        return JSON.readValue(payload.getData().toByteArray(), type);
      } catch (IOException e) {
        throw corrupt("json", "not a " + type.getName() + ": " + e.getMessage());
      }
    }
  }

  private static final class AnyCodec implements Codec<Object> {
    @Override
    public String id() {
      return "any";
    }

    @Override
    @SuppressWarnings("unchecked")
    public Payload encode(Object value) {
      if (value instanceof com.fasterxml.jackson.databind.JsonNode node) {
        try {
          return payload("json", JSON.writeValueAsBytes(node));
        } catch (JsonProcessingException e) {
          throw new IllegalArgumentException("cannot encode as JSON: " + e.getOriginalMessage(), e);
        }
      }
      return forClass((Class<Object>) value.getClass()).encode(value);
    }

    @Override
    public Object decode(Payload payload) {
      String id = payload.getCodec();
      if (id.equals("json")) {
        try {
          return JSON.readTree(payload.getData().toByteArray());
        } catch (IOException e) {
          throw corrupt("json", e.getMessage());
        }
      }
      Codec<?> codec = BUILT_IN_BY_ID.get(id);
      if (codec == null) {
        throw mismatch(id, "any", "Object (reads built-in types and JSON)");
      }
      return codec.decode(payload);
    }

    @Override
    public String toString() {
      return "Codec[any]";
    }
  }
}
