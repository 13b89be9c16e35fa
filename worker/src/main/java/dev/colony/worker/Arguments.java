package dev.colony.worker;

import dev.colony.client.task.TaskCodec;
import dev.colony.proto.v1.Payload;

/**
 * Decodes task arguments and encodes results with {@link TaskCodec}, the rules the client uses.
 *
 * <p>An argument is decoded into the type the task declares. When the declared type is a supertype
 * of the payload codec's own type (Object, Number, CharSequence, Comparable…) or cannot be
 * resolved, the payload is decoded by its codec id: "string" → String, "long" → Long, "int" →
 * Integer, "double" → Double, "float" → Float, "short" → Short, "byte" → Byte, "bool" → Boolean,
 * "char" → Character, "bytes" → byte[], "json" → a Jackson {@code JsonNode}. A protobuf payload
 * needs the message class declared. A payload with an empty codec id is null.
 */
final class Arguments {
  private Arguments() {}

  /**
   * The argument as the task declares it (by its codec's natural type when the declared type is
   * unknown), or a BAD_ARGUMENT refusal naming the task and the argument's position.
   *
   * @param declared the task's argument class, or null when unknown
   * @param index position of the argument in its chunk, for the message
   */
  static Object decode(Payload payload, Class<?> declared, String taskName, int index)
      throws TaskRefusal {
    try {
      return TaskCodec.decode(payload, declared);
    } catch (RuntimeException e) {
      throw TaskRefusal.badArgument(
          "task "
              + taskName
              + " cannot decode argument "
              + index
              + " (codec '"
              + payload.getCodec()
              + "')"
              + (declared == null ? "" : " as " + declared.getName())
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /** A result encoded by its runtime class; null becomes a payload with an empty codec id. */
  static Payload encode(Object result) {
    return TaskCodec.encode(result);
  }
}
