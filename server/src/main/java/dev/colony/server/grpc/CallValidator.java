package dev.colony.server.grpc;

import com.google.protobuf.ByteString;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.MapEntry;
import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectType;
import dev.colony.proto.v1.Payload;
import dev.colony.proto.v1.Scalar;
import dev.colony.proto.v1.SessionOpenRequest;
import dev.colony.proto.v1.TaskSpec;
import dev.colony.proto.v1.TaskSubmitRequest;
import dev.colony.server.core.CoreException;
import dev.colony.server.core.Limits;
import dev.colony.server.core.Paging;

/**
 * Checks what a caller sent before it reaches the core: names, sizes and the ranges of numeric
 * fields. Both the session stream and the unary Execute use this one validator, so a request is
 * refused the same way whichever path it took. Checks that need state (wrong type, missing object)
 * stay in the core.
 */
public final class CallValidator {
  private static final int MAX_QUOTED_NAME = 40;

  /** As long as a worker looks a task class up by. */
  private static final int MAX_TASK_NAME = 1_000;

  private final Limits limits;

  public CallValidator(Limits limits) {
    this.limits = limits;
  }

  /** Throws a {@link CoreException} describing the first problem found in {@code call}. */
  public void validate(Call call) {
    switch (call.getOpCase()) {
      case OBJECT_CREATE -> objectCreate(call.getObjectCreate());
      case OBJECT_DESCRIBE -> name(call.getObjectDescribe().getName());
      case OBJECT_DELETE -> name(call.getObjectDelete().getName());
      case OBJECT_LIST -> {}

      case QUEUE_PUT -> {
        var r = call.getQueuePut();
        name(r.getName());
        timeout(r.hasTimeoutMs(), r.getTimeoutMs());
        payload("queue item", r.getItem());
        for (int i = 0; i < r.getMoreItemsCount(); i++) {
          payload("queue item", r.getMoreItems(i));
        }
      }
      case QUEUE_GET -> {
        var r = call.getQueueGet();
        name(r.getName());
        timeout(r.hasTimeoutMs(), r.getTimeoutMs());
        notNegative("max_items", r.getMaxItems());
      }
      case QUEUE_ACK -> name(call.getQueueAck().getName());
      case QUEUE_TASK_DONE -> name(call.getQueueTaskDone().getName());
      case QUEUE_JOIN -> {
        var r = call.getQueueJoin();
        name(r.getName());
        timeout(r.hasTimeoutMs(), r.getTimeoutMs());
      }
      case QUEUE_INFO -> name(call.getQueueInfo().getName());
      case QUEUE_RANGE -> {
        var r = call.getQueueRange();
        name(r.getName());
        Paging.pageSize(r.getPageSize());
      }
      case QUEUE_REMOVE -> {
        var r = call.getQueueRemove();
        name(r.getName());
        if (!r.hasPosition()) {
          throw CoreException.invalid(
              "position is required: the position of the item to remove, as a QueueRange page"
                  + " gave it");
        }
      }
      case QUEUE_CLEAR -> name(call.getQueueClear().getName());

      case LOCK_ACQUIRE -> {
        var r = call.getLockAcquire();
        name(r.getName());
        timeout(r.hasTimeoutMs(), r.getTimeoutMs());
      }
      case LOCK_RELEASE -> name(call.getLockRelease().getName());
      case LOCK_INFO -> name(call.getLockInfo().getName());
      case LOCK_HAS_QUEUED_THREAD -> name(call.getLockHasQueuedThread().getName());
      case CONDITION_AWAIT -> {
        var r = call.getConditionAwait();
        name(r.getName());
        timeout(r.hasTimeoutMs(), r.getTimeoutMs());
      }
      case CONDITION_SIGNAL -> {
        var r = call.getConditionSignal();
        name(r.getName());
        notNegative("count", r.getCount());
      }
      case CONDITION_INFO -> name(call.getConditionInfo().getName());

      case SEMAPHORE_ACQUIRE -> {
        var r = call.getSemaphoreAcquire();
        name(r.getName());
        notNegative("permits", r.getPermits());
        timeout(r.hasTimeoutMs(), r.getTimeoutMs());
      }
      case SEMAPHORE_RELEASE -> {
        var r = call.getSemaphoreRelease();
        name(r.getName());
        notNegative("permits", r.getPermits());
      }
      case SEMAPHORE_INFO -> name(call.getSemaphoreInfo().getName());
      case SEMAPHORE_DRAIN -> name(call.getSemaphoreDrain().getName());
      case SEMAPHORE_REDUCE -> {
        var r = call.getSemaphoreReduce();
        name(r.getName());
        notNegative("reduction", r.getReduction());
      }

      case EVENT_SET -> name(call.getEventSet().getName());
      case EVENT_CLEAR -> name(call.getEventClear().getName());
      case EVENT_IS_SET -> name(call.getEventIsSet().getName());
      case EVENT_WAIT -> {
        var r = call.getEventWait();
        name(r.getName());
        timeout(r.hasTimeoutMs(), r.getTimeoutMs());
      }

      case BARRIER_AWAIT -> {
        var r = call.getBarrierAwait();
        name(r.getName());
        timeout(r.hasTimeoutMs(), r.getTimeoutMs());
      }
      case BARRIER_ABORT -> name(call.getBarrierAbort().getName());
      case BARRIER_RESET -> name(call.getBarrierReset().getName());
      case BARRIER_INFO -> name(call.getBarrierInfo().getName());
      case BARRIER_ACTION_DONE -> {
        var r = call.getBarrierActionDone();
        name(r.getName());
        if (r.getActionId() < 1) {
          throw CoreException.invalid(
              "action_id must be the one the barrier await answered (1 or more); got "
                  + r.getActionId());
        }
        size("barrier action failure", r.getFailureBytes().size());
      }

      case LATCH_COUNT_DOWN -> name(call.getLatchCountDown().getName());
      case LATCH_AWAIT -> {
        var r = call.getLatchAwait();
        name(r.getName());
        timeout(r.hasTimeoutMs(), r.getTimeoutMs());
      }
      case LATCH_COUNT -> name(call.getLatchCount().getName());

      case VALUE_GET -> name(call.getValueGet().getName());
      case VALUE_SET -> {
        var r = call.getValueSet();
        name(r.getName());
        scalar("value", r.getValue());
      }
      case VALUE_GET_AND_SET -> {
        var r = call.getValueGetAndSet();
        name(r.getName());
        scalar("value", r.getValue());
      }
      case VALUE_COMPARE_AND_SET -> {
        var r = call.getValueCompareAndSet();
        name(r.getName());
        scalar("expected value", r.getExpected());
        scalar("new value", r.getUpdate());
      }
      case VALUE_ADD -> {
        var r = call.getValueAdd();
        name(r.getName());
        scalar("delta", r.getDelta());
      }

      case MAP_GET -> {
        var r = call.getMapGet();
        name(r.getName());
        payload("map key", r.getKey());
      }
      case MAP_PUT -> {
        var r = call.getMapPut();
        name(r.getName());
        payload("map key", r.getKey());
        payload("map value", r.getValue());
      }
      case MAP_PUT_ALL -> {
        var r = call.getMapPutAll();
        name(r.getName());
        for (MapEntry entry : r.getEntriesList()) {
          payload("map key", entry.getKey());
          payload("map value", entry.getValue());
        }
      }
      case MAP_REMOVE -> {
        var r = call.getMapRemove();
        name(r.getName());
        payload("map key", r.getKey());
        payload("expected map value", r.getExpected());
      }
      case MAP_REPLACE -> {
        var r = call.getMapReplace();
        name(r.getName());
        payload("map key", r.getKey());
        payload("map value", r.getValue());
        payload("expected map value", r.getExpected());
      }
      case MAP_CONTAINS_KEY -> {
        var r = call.getMapContainsKey();
        name(r.getName());
        payload("map key", r.getKey());
      }
      case MAP_SIZE -> name(call.getMapSize().getName());
      case MAP_ENTRIES -> name(call.getMapEntries().getName());
      case MAP_CLEAR -> name(call.getMapClear().getName());
      case MAP_RANGE -> {
        var r = call.getMapRange();
        name(r.getName());
        Paging.pageSize(r.getPageSize());
      }

      case LIST_ADD -> {
        var r = call.getListAdd();
        name(r.getName());
        for (Payload item : r.getItemsList()) {
          payload("list item", item);
        }
      }
      case LIST_GET -> name(call.getListGet().getName());
      case LIST_SET -> {
        var r = call.getListSet();
        name(r.getName());
        payload("list item", r.getItem());
      }
      case LIST_REMOVE -> name(call.getListRemove().getName());
      case LIST_SIZE -> name(call.getListSize().getName());
      case LIST_RANGE -> name(call.getListRange().getName());
      case LIST_CLEAR -> name(call.getListClear().getName());

      case TASK_SUBMIT -> taskSubmit(call.getTaskSubmit());
      case CODE_UPLOAD -> {
        // The core checks the hash and the size (it knows the bounds of shipped code).
      }

      case OP_NOT_SET ->
          throw CoreException.invalid(
              "the call has no operation set (e.g. object_create, queue_put); the client may be"
                  + " newer than this coordinator");
    }
  }

  /** Checks a session's requested lease and the descriptive fields shown in status. */
  public void validateOpen(SessionOpenRequest request) {
    long ttl = request.getTtlMs();
    if (ttl != 0 && (ttl < Limits.MIN_SESSION_TTL_MILLIS || ttl > limits.maxSessionTtlMillis())) {
      throw CoreException.invalid(
          "ttl_ms must be 0 (the default, "
              + limits.defaultSessionTtlMillis()
              + " ms) or between "
              + Limits.MIN_SESSION_TTL_MILLIS
              + " and "
              + limits.maxSessionTtlMillis()
              + " ms; got "
              + ttl);
    }
    bounded("client_name", request.getClientName());
    bounded("host", request.getHost());
  }

  /** Task names are class names; display names are shown in status. */
  private void taskSubmit(TaskSubmitRequest request) {
    for (TaskSpec spec : request.getTasksList()) {
      String taskName = spec.getTaskName();
      if (taskName.isEmpty() || taskName.length() > MAX_TASK_NAME) {
        throw CoreException.invalid(
            "task_name must name the task's class in 1 to "
                + MAX_TASK_NAME
                + " characters; got "
                + taskName.length());
      }
      wellFormed("task_name", taskName);
      bounded("display_name", spec.getDisplayName());
      if (!spec.getCodeSha256().isEmpty() && spec.getCodeSha256().length() != 64) {
        throw CoreException.invalid(
            "code_sha256 must be a SHA-256 in 64 lowercase hex digits, or empty");
      }
      if (!spec.getPackedArguments().isEmpty() && spec.getArgumentsCount() > 0) {
        throw CoreException.invalid(
            "a task carries its arguments either as arguments or as packed_arguments, not both");
      }
    }
  }

  private void objectCreate(ObjectCreateRequest request) {
    name(request.getName());
    ObjectType type = request.getType();
    if (type == ObjectType.OBJECT_TYPE_UNSPECIFIED || type == ObjectType.UNRECOGNIZED) {
      throw CoreException.invalid(
          "object type is required: one of QUEUE, LOCK, RLOCK, SEMAPHORE, BOUNDED_SEMAPHORE,"
              + " CONDITION, EVENT, BARRIER, COUNT_DOWN_LATCH, VALUE, MAP, LIST");
    }
    ObjectType optionsFor = optionsType(request);
    if (optionsFor != null && !optionsMatch(optionsFor, type)) {
      throw CoreException.invalid(
          request.getOptionsCase().name().toLowerCase()
              + " options cannot be given when creating a "
              + type);
    }
    switch (request.getOptionsCase()) {
      case QUEUE -> notNegative("max_size", request.getQueue().getMaxSize());
      case SEMAPHORE -> {
        // A plain SEMAPHORE may start below zero, as java.util.concurrent.Semaphore may.
        if (type == ObjectType.BOUNDED_SEMAPHORE) {
          notNegative("permits", request.getSemaphore().getPermits());
        }
      }
      case BARRIER -> notNegative("parties", request.getBarrier().getParties());
      case LATCH -> notNegative("count", request.getLatch().getCount());
      case VALUE -> scalar("initial value", request.getValue().getInitial());
      case CONDITION, OPTIONS_NOT_SET -> {}
    }
    if (type == ObjectType.CONDITION) {
      String lock = request.getCondition().getLockName();
      if (lock.isEmpty()) {
        throw new CoreException(
            CoreException.Code.INVALID_ARGUMENT,
            ErrorReason.INVALID_NAME,
            "a CONDITION needs condition options with the lock_name of its LOCK or RLOCK");
      }
      name(lock);
    }
  }

  /** The type an options message belongs to (SEMAPHORE stands for both semaphores). */
  private static ObjectType optionsType(ObjectCreateRequest request) {
    return switch (request.getOptionsCase()) {
      case QUEUE -> ObjectType.QUEUE;
      case SEMAPHORE -> ObjectType.SEMAPHORE;
      case BARRIER -> ObjectType.BARRIER;
      case LATCH -> ObjectType.COUNT_DOWN_LATCH;
      case VALUE -> ObjectType.VALUE;
      case CONDITION -> ObjectType.CONDITION;
      case OPTIONS_NOT_SET -> null;
    };
  }

  private static boolean optionsMatch(ObjectType optionsFor, ObjectType type) {
    return optionsFor == type
        || (optionsFor == ObjectType.SEMAPHORE && type == ObjectType.BOUNDED_SEMAPHORE);
  }

  /** Object names: 1..maxNameLength printable characters, no surrounding whitespace. */
  void name(String name) {
    String problem = nameProblem(name);
    if (problem != null) {
      throw new CoreException(
          CoreException.Code.INVALID_ARGUMENT,
          ErrorReason.INVALID_NAME,
          "object names must be 1 to "
              + limits.maxNameLength()
              + " printable characters without leading or trailing whitespace; "
              + problem);
    }
  }

  private String nameProblem(String name) {
    if (name.isEmpty()) {
      return "the name is empty";
    }
    int lone = loneSurrogate(name);
    if (lone >= 0) {
      return loneSurrogateProblem(name, lone);
    }
    int length = name.codePointCount(0, name.length());
    if (length > limits.maxNameLength()) {
      return "got " + length + " characters starting with " + quote(name);
    }
    if (Character.isWhitespace(name.codePointAt(0))
        || Character.isSpaceChar(name.codePointAt(0))
        || Character.isWhitespace(name.codePointBefore(name.length()))
        || Character.isSpaceChar(name.codePointBefore(name.length()))) {
      return "got " + quote(name) + " with leading or trailing whitespace";
    }
    for (int i = 0; i < name.length(); ) {
      int cp = name.codePointAt(i);
      if (!isPrintable(cp)) {
        return String.format(
            "got %s with the non-printable character U+%04X at index %d", quote(name), cp, i);
      }
      i += Character.charCount(cp);
    }
    return null;
  }

  /**
   * The index of the first surrogate that is not half of a pair, or -1 when {@code text} is valid
   * UTF-16. Such a string has no UTF-8 form: encoders turn the surrogate into '?', so two different
   * names would become the same object.
   */
  static int loneSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  private static String loneSurrogateProblem(String text, int index) {
    return String.format(
        "got %s with a lone surrogate U+%04X at index %d: text must be valid UTF-16, where"
            + " surrogates come in high-low pairs",
        quote(text), (int) text.charAt(index), index);
  }

  /** Refuses text that is not valid UTF-16, whatever field it is in. */
  private static void wellFormed(String field, String value) {
    int lone = loneSurrogate(value);
    if (lone >= 0) {
      throw CoreException.invalid(field + ": " + loneSurrogateProblem(value, lone));
    }
  }

  /** Control, format (invisible) and separator characters, and unpaired surrogates. */
  private static boolean isPrintable(int cp) {
    return switch (Character.getType(cp)) {
      case Character.CONTROL,
          Character.FORMAT,
          Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR,
          Character.SURROGATE,
          Character.UNASSIGNED ->
          false;
      default -> true;
    };
  }

  /** A name as Java would write it, shortened, so that control characters show up in messages. */
  private static String quote(String name) {
    StringBuilder out = new StringBuilder("'");
    int shown = 0;
    for (int i = 0; i < name.length() && shown < MAX_QUOTED_NAME; i++, shown++) {
      char c = name.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\'' -> out.append("\\'");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20 || c == 0x7f || !isPrintable(c)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    if (shown < name.length()) {
      out.append("...");
    }
    return out.append('\'').toString();
  }

  private void timeout(boolean present, long timeoutMillis) {
    if (present && timeoutMillis < 0) {
      throw CoreException.invalid(
          "timeout_ms must be 0 (do not wait) or more, or unset to wait forever; got "
              + timeoutMillis);
    }
  }

  private static void notNegative(String field, long value) {
    if (value < 0) {
      throw CoreException.invalid(field + " must be 0 or more; got " + value);
    }
  }

  private void payload(String what, Payload payload) {
    size(what, payload.getData().size());
  }

  private void scalar(String what, Scalar scalar) {
    ByteString bytes =
        switch (scalar.getKindCase()) {
          case STRING_VALUE -> scalar.getStringValueBytes();
          case BYTES_VALUE -> scalar.getBytesValue();
          case LONG_VALUE, DOUBLE_VALUE, KIND_NOT_SET -> ByteString.EMPTY;
        };
    size(what, bytes.size());
  }

  private void size(String what, int bytes) {
    if (bytes > limits.maxPayloadBytes()) {
      throw CoreException.exhausted(
          ErrorReason.PAYLOAD_TOO_LARGE,
          "the "
              + what
              + " is "
              + bytes
              + " bytes, over the coordinator's limit of "
              + limits.maxPayloadBytes()
              + " bytes per item; store large data elsewhere and share a reference");
    }
  }

  private void bounded(String field, String value) {
    wellFormed(field, value);
    if (value.length() > limits.maxNameLength()) {
      throw CoreException.invalid(
          field
              + " must be at most "
              + limits.maxNameLength()
              + " characters; got "
              + value.length());
    }
  }
}
