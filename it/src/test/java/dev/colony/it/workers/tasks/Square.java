package dev.colony.it.workers.tasks;

import dev.colony.client.Task;
import dev.colony.client.TaskContext;

/** n * n. */
public final class Square implements Task<Integer, Integer> {
  @Override
  public Integer call(Integer n, TaskContext context) {
    return n * n;
  }
}
