package dev.colony.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.colony.client.internal.Codecs;
import dev.colony.proto.v1.Payload;
import java.util.Map;

/**
 * Decodes task arguments and encodes results with the SDK's codecs.
 *
 * <p>An argument is decoded into the type the task declares. When the declared type is a supertype
 * of the payload codec's own type (Object, Number, CharSequence, Comparable…) or cannot be
 * resolved, the payload is decoded by its codec id: "string" → String, "long" → Long, "int" →
 * Integer, "double" → Double, "float" → Float, "short" → Short, "byte" → Byte, "bool" → Boolean,
 * "char" → Character, "bytes" → byte[], "json" → a Jackson {@link JsonNode}. A protobuf payload
 * needs the message class declared. A payload with an empty codec id is null.
 */
final class Arguments {
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

  private Arguments() {}

  /**
   * @param declared the task's argument class, or null when unknown
   * @param index position of the argument in its chunk, for the message
   */
  static Object decode(Payload payload, Class<?> declared, String taskName, int index)
      throws TaskRefusal {
    if (payload.getCodec().isEmpty()) {
      return null;
    }
    Class<?> natural = NATURAL_TYPES.get(payload.getCodec());
    Class<?> target;
    if (declared == null || (natural != null && declared.isAssignableFrom(natural))) {
      if (natural == null) {
        throw TaskRefusal.badArgument(
            "task "
                + taskName
                + " cannot decode argument "
                + index
                + " written with codec '"
                + payload.getCodec()
                + "': declare its type in the task's Task<A, R>",
            null);
      }
      target = natural;
    } else {
      target = declared;
    }
    try {
      return Codecs.forClass(target).decode(payload);
    } catch (RuntimeException e) {
      throw TaskRefusal.badArgument(
          "task "
              + taskName
              + " cannot decode argument "
              + index
              + " (codec '"
              + payload.getCodec()
              + "') as "
              + target.getName()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /** A result encoded by its runtime class; null becomes a payload with an empty codec id. */
  @SuppressWarnings("unchecked")
  static Payload encode(Object result) {
    if (result == null) {
      return Payload.getDefaultInstance();
    }
    return Codecs.forClass((Class<Object>) result.getClass()).encode(result);
  }
}
