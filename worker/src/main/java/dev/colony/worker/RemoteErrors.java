package dev.colony.worker;

import dev.colony.proto.v1.RemoteError;
import dev.colony.proto.v1.TaskFailureReason;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Exceptions as text for the caller: class name, message, one "at ..." line per frame and the cause
 * chain. Never Java serialization, and bounded so a deep recursion or a huge message cannot make a
 * result frame too large for the stream.
 */
final class RemoteErrors {
  static final int MAX_STACK_LINES = 200;
  static final int MAX_CAUSES = 16;
  static final int MAX_MESSAGE_CHARS = 8_192;

  private RemoteErrors() {}

  /** A task's own exception (or one thrown while running it) with the given reason. */
  static RemoteError thrown(Throwable error, TaskFailureReason reason) {
    return describe(error, Collections.newSetFromMap(new IdentityHashMap<>()), 0)
        .setReason(reason)
        .build();
  }

  /** A refusal: its reason and message, the cause chain, but not the worker's own frames. */
  static RemoteError refusal(TaskRefusal refusal) {
    RemoteError.Builder error =
        RemoteError.newBuilder()
            .setClassName(refusal.remoteClassName())
            .setMessage(truncate(refusal.getMessage()))
            .setReason(refusal.reason());
    if (refusal.getCause() != null) {
      error.setCause(
          describe(refusal.getCause(), Collections.newSetFromMap(new IdentityHashMap<>()), 1));
    }
    return error.build();
  }

  /**
   * An error the worker reports about a task (timed out, cancelled), with what the task threw when
   * it was interrupted, if anything, as the cause.
   */
  static RemoteError stopped(
      String className, String message, TaskFailureReason reason, Throwable cause) {
    RemoteError.Builder error =
        RemoteError.newBuilder()
            .setClassName(className)
            .setMessage(truncate(message))
            .setReason(reason);
    if (cause != null) {
      error.setCause(describe(cause, Collections.newSetFromMap(new IdentityHashMap<>()), 1));
    }
    return error.build();
  }

  private static RemoteError.Builder describe(Throwable error, Set<Throwable> seen, int depth) {
    seen.add(error);
    RemoteError.Builder builder =
        RemoteError.newBuilder()
            .setClassName(error.getClass().getName())
            .setMessage(truncate(error.getMessage()));
    StackTraceElement[] frames = error.getStackTrace();
    int shown = Math.min(frames.length, MAX_STACK_LINES);
    for (int i = 0; i < shown; i++) {
      builder.addStack("at " + frames[i]);
    }
    if (frames.length > shown) {
      builder.addStack("... " + (frames.length - shown) + " more");
    }
    Throwable cause = error.getCause();
    // A cause that was already described would make the chain a cycle.
    if (cause != null && !seen.contains(cause) && depth + 1 < MAX_CAUSES) {
      builder.setCause(describe(cause, seen, depth + 1));
    }
    return builder;
  }

  private static String truncate(String message) {
    if (message == null) {
      return "";
    }
    return message.length() <= MAX_MESSAGE_CHARS
        ? message
        : message.substring(0, MAX_MESSAGE_CHARS) + "... (truncated)";
  }
}
