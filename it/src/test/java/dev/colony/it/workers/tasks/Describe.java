package dev.colony.it.workers.tasks;

import dev.colony.client.Task;
import dev.colony.client.TaskContext;

/** Answers what its TaskContext says about the task, its worker and its submitter. */
public final class Describe implements Task<String, Describe.Context> {

  public record Context(
      long taskId,
      int attempt,
      String name,
      String workerId,
      String workerHost,
      long workerPid,
      long actualPid,
      String submitterSessionLabel,
      String submitterHost,
      long submitterPid,
      boolean cancelled,
      String loggerName) {}

  @Override
  public Context call(String ignored, TaskContext context) {
    return new Context(
        context.taskId(),
        context.attempt(),
        context.name(),
        context.workerId(),
        context.workerHost(),
        context.workerPid(),
        ProcessHandle.current().pid(),
        context.submitterSessionLabel(),
        context.submitterHost(),
        context.submitterPid(),
        context.isCancelled(),
        context.logger().getName());
  }
}
