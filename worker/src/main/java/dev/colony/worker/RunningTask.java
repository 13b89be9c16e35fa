package dev.colony.worker;

import dev.colony.proto.v1.TaskAssignment;

/**
 * One assignment on this worker, from arrival until its result is reported. Stopping it (abort,
 * timeout, shutdown, lost stream) and the slot thread leaving it are serialized on this object, so
 * an interrupt meant for this task can never reach the next task run on the same thread.
 */
final class RunningTask {
  /** Why a task was stopped before it finished. */
  enum Stop {
    /** TaskAbort from the coordinator: cancelled or terminated by its submitter. */
    CANCELLED,
    /** Its timeout_ms passed. */
    TIMED_OUT,
    /** The worker is shutting down or lost its stream: the coordinator runs it again. */
    INTERRUPTED
  }

  private final TaskAssignment assignment;
  private final Object stream;
  private final String workerId;
  private Thread thread;
  private volatile Stop stop;
  private boolean finished;
  private boolean reported;

  /**
   * @param stream the coordinator stream the assignment came on; its result goes back only there
   * @param workerId the id the coordinator gave this worker on that stream
   */
  RunningTask(TaskAssignment assignment, Object stream, String workerId) {
    this.assignment = assignment;
    this.stream = stream;
    this.workerId = workerId;
  }

  String workerId() {
    return workerId;
  }

  TaskAssignment assignment() {
    return assignment;
  }

  Object stream() {
    return stream;
  }

  long taskId() {
    return assignment.getTaskId();
  }

  /** True once stopped; the stop wins over a result the task produces afterwards. */
  boolean isStopped() {
    return stop != null;
  }

  Stop stopReason() {
    return stop;
  }

  /**
   * Stops the task if it has not finished: records why and interrupts its thread.
   *
   * @return false if it had already finished or was already stopped
   */
  synchronized boolean stop(Stop why) {
    if (finished || stop != null) {
      return false;
    }
    stop = why;
    if (thread != null) {
      thread.interrupt();
    }
    return true;
  }

  /** The slot thread running it, or null before it starts and after it ends. */
  synchronized Thread thread() {
    return thread;
  }

  /**
   * The slot thread starts running it.
   *
   * @return false if it was stopped before it started
   */
  synchronized boolean begin(Thread current) {
    if (stop != null) {
      finished = true;
      return false;
    }
    thread = current;
    return true;
  }

  /**
   * The slot thread is done with it. Clears an interrupt meant for this task, so the thread starts
   * its next task clean.
   *
   * @return why it was stopped, or null if it finished on its own
   */
  Stop end() {
    Stop why;
    synchronized (this) {
      finished = true;
      thread = null;
      why = stop;
    }
    Thread.interrupted();
    return why;
  }

  /**
   * Claims the right to report this task's result, which happens exactly once: either when it ends
   * or earlier, when a shutdown reports it interrupted without waiting for its thread.
   */
  synchronized boolean claimReport() {
    if (reported) {
      return false;
    }
    reported = true;
    return true;
  }
}
