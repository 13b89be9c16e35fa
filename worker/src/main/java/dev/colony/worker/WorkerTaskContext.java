package dev.colony.worker;

import dev.colony.client.ColonyClient;
import dev.colony.client.TaskContext;
import dev.colony.proto.v1.TaskAssignment;
import org.slf4j.Logger;

/** The {@link TaskContext} of one execution on this worker. */
final class WorkerTaskContext implements TaskContext {
  private final RunningTask task;
  private final WorkerIdentity worker;
  private final Logger logger;

  /**
   * @param logger what {@link #logger()} returns: a {@link TaskLogger} on a worker
   */
  WorkerTaskContext(RunningTask task, WorkerIdentity worker, Logger logger) {
    this.task = task;
    this.worker = worker;
    this.logger = logger;
  }

  private TaskAssignment assignment() {
    return task.assignment();
  }

  @Override
  public long taskId() {
    return assignment().getTaskId();
  }

  @Override
  public int attempt() {
    return assignment().getAttempt();
  }

  @Override
  public String workerId() {
    return task.workerId();
  }

  @Override
  public String workerHost() {
    return worker.host();
  }

  @Override
  public long workerPid() {
    return worker.pid();
  }

  @Override
  public String name() {
    String display = assignment().getDisplayName();
    return display.isEmpty() ? assignment().getTaskName() : display;
  }

  @Override
  public String submitterSessionLabel() {
    return assignment().getSubmitter().getSessionLabel();
  }

  @Override
  public String submitterHost() {
    return assignment().getSubmitter().getHost();
  }

  @Override
  public long submitterPid() {
    return assignment().getSubmitter().getPid();
  }

  @Override
  public Logger logger() {
    return logger;
  }

  @Override
  public boolean isCancelled() {
    return task.isStopped();
  }

  @Override
  public ColonyClient colony() {
    ColonyClient client = worker.client();
    if (client == null) {
      throw new IllegalStateException("this worker has no client session for tasks");
    }
    return client;
  }

  @Override
  public String toString() {
    return "TaskContext[task " + taskId() + " attempt " + attempt() + " " + name() + "]";
  }
}
