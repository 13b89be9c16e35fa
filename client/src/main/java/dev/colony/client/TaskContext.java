package dev.colony.client;

import org.slf4j.Logger;

/** What a running task knows about itself, where it runs and who asked for it. */
public interface TaskContext {
  /** The coordinator's id of this task. */
  long taskId();

  /** 1 for the first run; higher when the task runs again after its worker was lost. */
  int attempt();

  /** The id the coordinator gave the worker running this task. */
  String workerId();

  /** Host name of the worker. */
  String workerHost();

  /** Process id of the worker JVM: the {@code os.getpid()} of this world. */
  long workerPid();

  /** The display name given at submission (a Process name), or else the task name. */
  String name();

  /** Label of the session that submitted the task (its id stays with the submitter). */
  String submitterSessionLabel();

  /** Host of the submitting client. */
  String submitterHost();

  /** Process id of the submitting client: the {@code os.getppid()} of this world. */
  long submitterPid();

  /**
   * A logger named after the task's class. On a worker, each line goes to the worker's output
   * prefixed with the task id ({@code [task 42 resize] INFO message}) whatever the logging
   * configuration, and the attempt's last lines (at most 100 lines, 16 KiB) are kept with the task
   * at the coordinator, shown by {@code colony tasks show ID} and the dashboard. INFO and above are
   * always on; DEBUG and TRACE when the application's logging enables them for the class.
   */
  Logger logger();

  /**
   * True once the task was aborted, terminated or timed out; its thread is interrupted at the same
   * moment, so a task blocked in an interruptible call sees an {@link InterruptedException}.
   */
  boolean isCancelled();

  /**
   * A client connected to the coordinator that sent this task: the worker's own session, shared by
   * every task it runs. Do not close it.
   */
  ColonyClient colony();
}
