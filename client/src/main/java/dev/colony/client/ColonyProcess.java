package dev.colony.client;

import java.util.concurrent.TimeUnit;

/**
 * Python's {@code multiprocessing.Process}: one task run on some worker, as a handle. Create it
 * with {@link ColonyClient#process}, then {@link #start()} it.
 *
 * @param <R> the task's result type
 */
public interface ColonyProcess<R> {

  /**
   * Submits the task. A process starts at most once.
   *
   * @throws IllegalStateException if it was started before
   */
  void start();

  /** Waits until the task has ended (succeeded, failed or terminated). */
  void join() throws InterruptedException;

  /**
   * Waits up to {@code timeout} for the task to end.
   *
   * @return true if it ended, false if it is still queued or running
   */
  boolean join(long timeout, TimeUnit unit) throws InterruptedException;

  /** True from {@link #start()} until the task has ended. */
  boolean isAlive();

  /**
   * Cancels the task: if queued it never runs, if running its worker interrupts it. The exit code
   * becomes -15 once the coordinator has recorded it (at once; {@link #join()} to be sure). A
   * process that was not started or has ended is left alone.
   */
  void terminate();

  /**
   * Null while not started or running; 0 when the task returned, 1 when it failed (threw, timed
   * out, could not run, lost its workers), -15 when it was terminated (SIGTERM's number, negated,
   * as in Python).
   */
  Integer exitCode();

  /** The name given in the options, or the default (task simple name and a number). */
  String name();

  /** Whether the task is cancelled when this client's session ends. */
  boolean isDaemon();

  /**
   * The task's result.
   *
   * @throws IllegalStateException if the task has not ended
   * @throws RemoteTaskException if it failed or was terminated
   */
  R result();

  /** The coordinator's id of the task; 0 before {@link #start()}. */
  long taskId();

  /** The id of the worker it runs or ran on; null until it was assigned to a worker. */
  String workerId();

  /** Host name of that worker; null until known. */
  String workerHost();

  /** Process id of that worker's JVM; 0 until known. */
  long workerPid();
}
