package dev.colony.client.internal;

import dev.colony.client.RemoteTaskException;
import dev.colony.proto.v1.RemoteError;
import dev.colony.proto.v1.TaskFailureReason;
import dev.colony.proto.v1.TaskOutcome;
import dev.colony.proto.v1.TaskState;
import java.util.ArrayList;
import java.util.List;

/** Remote errors as {@link RemoteTaskException}s, with stack traces parsed from their text. */
final class RemoteFailures {
  private static final int MAX_CAUSES = 32;

  private RemoteFailures() {}

  /** The exception for a task that did not succeed. */
  static RemoteTaskException of(TaskOutcome outcome) {
    if (outcome.hasError()) {
      return of(outcome.getTaskId(), outcome.getError(), 0);
    }
    // The coordinator always sets an error; this keeps a malformed outcome readable anyway.
    TaskFailureReason reason =
        outcome.getState() == TaskState.TASK_STATE_CANCELLED
            ? TaskFailureReason.TASK_CANCELLED
            : TaskFailureReason.TASK_FAILURE_REASON_UNSPECIFIED;
    return new RemoteTaskException(
        outcome.getTaskId(),
        "dev.colony.TaskFailedException",
        "task " + outcome.getTaskId() + " ended " + outcome.getState(),
        List.of(),
        reason,
        null);
  }

  private static RemoteTaskException of(long taskId, RemoteError error, int depth) {
    RemoteTaskException cause =
        error.hasCause() && depth + 1 < MAX_CAUSES ? of(0, error.getCause(), depth + 1) : null;
    RemoteTaskException exception =
        new RemoteTaskException(
            taskId,
            error.getClassName(),
            error.getMessage(),
            error.getStackList(),
            depth == 0 ? error.getReason() : TaskFailureReason.TASK_FAILURE_REASON_UNSPECIFIED,
            cause);
    StackTraceElement[] frames = parse(error.getStackList());
    // Without remote frames the local ones (the pool's result thread) would only mislead.
    exception.setStackTrace(frames);
    return exception;
  }

  /** "at pkg.Cls.method(File.java:12)" lines as frames; lines that do not parse are skipped. */
  static StackTraceElement[] parse(List<String> lines) {
    List<StackTraceElement> frames = new ArrayList<>(lines.size());
    for (String line : lines) {
      StackTraceElement frame = parseLine(line.strip());
      if (frame != null) {
        frames.add(frame);
      }
    }
    return frames.toArray(new StackTraceElement[0]);
  }

  private static StackTraceElement parseLine(String line) {
    if (!line.startsWith("at ")) {
      return null;
    }
    String text = line.substring(3).strip();
    int open = text.indexOf('(');
    int close = text.lastIndexOf(')');
    if (open < 0 || close < open) {
      return null;
    }
    String qualified = text.substring(0, open);
    // "app//pkg.Cls.m" or "java.base@17/java.lang.Thread.run": drop loader and module.
    int slash = qualified.lastIndexOf('/');
    if (slash >= 0) {
      qualified = qualified.substring(slash + 1);
    }
    int dot = qualified.lastIndexOf('.');
    if (dot <= 0 || dot == qualified.length() - 1) {
      return null;
    }
    String className = qualified.substring(0, dot);
    String method = qualified.substring(dot + 1);
    String location = text.substring(open + 1, close);
    String file = null;
    int lineNumber = -1;
    if (location.equals("Native Method")) {
      lineNumber = -2;
    } else if (!location.equals("Unknown Source")) {
      int colon = location.lastIndexOf(':');
      if (colon > 0) {
        file = location.substring(0, colon);
        try {
          lineNumber = Integer.parseInt(location.substring(colon + 1));
        } catch (NumberFormatException e) {
          file = location;
        }
      } else {
        file = location;
      }
    }
    return new StackTraceElement(className, method, file, lineNumber);
  }
}
