package dev.colony.it.workers.tasks;

import dev.colony.client.Task;
import dev.colony.client.TaskContext;

/**
 * Ends the worker JVM that runs it at once, like a crash (Runtime.halt: no shutdown hooks, no
 * drain). Only ever submitted to worker JVMs that a test started for it.
 */
public final class HaltWorker implements Task<String, String> {
  @Override
  public String call(String ignored, TaskContext context) {
    Runtime.getRuntime().halt(137);
    return "unreachable";
  }
}
