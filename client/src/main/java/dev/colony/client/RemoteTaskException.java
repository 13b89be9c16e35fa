package dev.colony.client;

import dev.colony.proto.v1.TaskFailureReason;
import java.util.List;

/**
 * A task failed on its worker: it threw, timed out, was cancelled, could not be run (unknown task,
 * not a task, undecodable argument) or lost every worker it ran on. Carries the remote exception as
 * text — its class name, message and stack — and the remote causes as a chain of {@code
 * RemoteTaskException}s; the stack trace of this exception is set from the remote frames where they
 * could be parsed. Never built by Java deserialization.
 */
public class RemoteTaskException extends RuntimeException {
  private final long taskId;
  private final String remoteClassName;
  private final String remoteMessage;
  private final List<String> remoteStackTrace;
  private final TaskFailureReason reason;

  public RemoteTaskException(
      long taskId,
      String remoteClassName,
      String remoteMessage,
      List<String> remoteStackTrace,
      TaskFailureReason reason,
      RemoteTaskException cause) {
    super(describe(remoteClassName, remoteMessage), cause);
    this.taskId = taskId;
    this.remoteClassName = remoteClassName;
    this.remoteMessage = remoteMessage;
    this.remoteStackTrace = List.copyOf(remoteStackTrace);
    this.reason = reason == null ? TaskFailureReason.TASK_FAILURE_REASON_UNSPECIFIED : reason;
  }

  private static String describe(String className, String message) {
    return message == null || message.isEmpty() ? className : className + ": " + message;
  }

  /** The coordinator's id of the failed task (0 for a remote cause). */
  public long taskId() {
    return taskId;
  }

  /** The binary name of the exception class thrown on the worker. */
  public String remoteClassName() {
    return remoteClassName;
  }

  /** The remote exception's message ("" when it had none). */
  public String remoteMessage() {
    return remoteMessage;
  }

  /** The remote frames, one "at ..." line each, as {@code printStackTrace} shows them. */
  public List<String> remoteStackTrace() {
    return remoteStackTrace;
  }

  /**
   * Why the task failed: {@code TASK_THREW} for the task's own exception, else what stopped it
   * ({@code UNKNOWN_TASK}, {@code NOT_A_TASK}, {@code TASK_NOT_ALLOWED}, {@code BAD_ARGUMENT},
   * {@code WORKER_LOST}, {@code TASK_TIMED_OUT}, {@code TASK_CANCELLED}, {@code NO_WORKER}: it
   * waited past its no-worker timeout with no worker able to run it). Causes carry {@code
   * TASK_FAILURE_REASON_UNSPECIFIED}.
   */
  public TaskFailureReason reason() {
    return reason;
  }

  /** The remote cause, if the remote exception had one. */
  @Override
  public synchronized RemoteTaskException getCause() {
    return (RemoteTaskException) super.getCause();
  }
}
