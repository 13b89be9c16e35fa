package dev.colony.worker;

import dev.colony.proto.v1.TaskFailureReason;

/**
 * The worker could not run a task at all (no such class, not a task, undecodable argument). It is
 * reported with its own reason rather than as the task's exception, and the worker keeps serving.
 */
final class TaskRefusal extends Exception {
  private final TaskFailureReason reason;
  private final String remoteClassName;

  TaskRefusal(TaskFailureReason reason, String remoteClassName, String message, Throwable cause) {
    super(message, cause, false, false);
    this.reason = reason;
    this.remoteClassName = remoteClassName;
  }

  static TaskRefusal unknownTask(String message, Throwable cause) {
    return new TaskRefusal(
        TaskFailureReason.UNKNOWN_TASK, ClassNotFoundException.class.getName(), message, cause);
  }

  static TaskRefusal notATask(String message) {
    return new TaskRefusal(
        TaskFailureReason.NOT_A_TASK, IllegalArgumentException.class.getName(), message, null);
  }

  static TaskRefusal notAllowed(String message) {
    return new TaskRefusal(
        TaskFailureReason.TASK_NOT_ALLOWED, SecurityException.class.getName(), message, null);
  }

  static TaskRefusal codeNotAllowed(String message) {
    return new TaskRefusal(
        TaskFailureReason.CODE_NOT_ALLOWED, SecurityException.class.getName(), message, null);
  }

  static TaskRefusal codeUnavailable(String message, Throwable cause) {
    return new TaskRefusal(
        TaskFailureReason.CODE_UNAVAILABLE, ClassNotFoundException.class.getName(), message, cause);
  }

  static TaskRefusal badArgument(String message, Throwable cause) {
    return new TaskRefusal(
        TaskFailureReason.BAD_ARGUMENT, IllegalArgumentException.class.getName(), message, cause);
  }

  TaskFailureReason reason() {
    return reason;
  }

  /** The exception class the caller sees; a JDK name that says what kind of problem it is. */
  String remoteClassName() {
    return remoteClassName;
  }
}
