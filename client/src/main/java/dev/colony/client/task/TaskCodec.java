package dev.colony.client.task;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.colony.client.ColonyException;
import dev.colony.client.Task;
import dev.colony.client.internal.TaskPayloads;
import dev.colony.client.internal.TaskTypes;
import dev.colony.proto.v1.Payload;
import java.util.List;

/**
 * A task's argument and result as the protocol carries them, for code that runs tasks (the worker):
 * the same rules the client uses when it submits a task and reads its result, so both sides of a
 * task agree.
 *
 * <p>A value is encoded by its runtime class (null is a payload with no codec id). A payload is
 * decoded into the declared type, or, when the declared type is unknown or a supertype of the
 * codec's own type (Object, Number, CharSequence…), by its codec id: "string" → String, "long" →
 * Long, "int" → Integer, "double" → Double, "float" → Float, "short" → Short, "byte" → Byte, "bool"
 * → Boolean, "char" → Character, "bytes" → byte[], "json" → a Jackson {@code JsonNode}. A protobuf
 * payload needs its message class declared.
 */
public final class TaskCodec {
  private TaskCodec() {}

  /**
   * The {@code A} of the task class's {@code Task<A, R>}, following superclasses, superinterfaces
   * and type variables bound on the way; null when it cannot be known (a raw {@link Task}, or a
   * type variable left open).
   */
  public static Class<?> argumentType(Class<?> taskClass) {
    return TaskTypes.argumentType(taskClass);
  }

  /** A value encoded by its runtime class; null becomes a payload with an empty codec id. */
  public static Payload encode(Object value) {
    return TaskPayloads.encode(value);
  }

  /**
   * Decodes {@code payload} as {@code declared} (null: unknown, decoded by its codec id).
   *
   * @throws ColonyException if the payload cannot be read as that type
   */
  public static Object decode(Payload payload, Class<?> declared) {
    return TaskPayloads.decode(payload, declared);
  }

  /**
   * A chunk's values as one encoded {@code TaskValues}, as a packed task's arguments and results
   * travel ({@code TaskAssignment.packed_arguments}, {@code WorkerTaskResult.packed_values}).
   */
  public static ByteString pack(List<Payload> values) {
    return TaskPayloads.pack(values);
  }

  /**
   * The values {@link #pack} packed, in order.
   *
   * @throws InvalidProtocolBufferException if the bytes are not an encoded {@code TaskValues}
   */
  public static List<Payload> unpack(ByteString packed) throws InvalidProtocolBufferException {
    return TaskPayloads.unpack(packed);
  }
}
