package dev.colony.it.workers.tasks;

import dev.colony.client.Task;
import dev.colony.client.TaskContext;

/**
 * Squares its argument, but calls {@code System.exit(42)} on a negative one, as a task that
 * "handles" an error by ending the process would. Only ever submitted to worker JVMs that a test
 * started for it.
 */
public final class ExitOnNegative implements Task<Integer, Integer> {
  @Override
  public Integer call(Integer n, TaskContext context) {
    if (n < 0) {
      System.exit(42);
    }
    return n * n;
  }
}
