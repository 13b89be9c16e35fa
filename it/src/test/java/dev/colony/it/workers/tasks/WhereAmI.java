package dev.colony.it.workers.tasks;

import dev.colony.client.Task;
import dev.colony.client.TaskContext;

/** Answers the id of the worker that ran it. */
public final class WhereAmI implements Task<Integer, String> {
  @Override
  public String call(Integer ignored, TaskContext context) {
    return context.workerId();
  }
}
