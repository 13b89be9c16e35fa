package dev.colony.cli;

import dev.colony.client.Task;
import dev.colony.client.TaskContext;

/** A task that always throws, for the failures section of status. */
public final class FailingTask implements Task<String, String> {
  @Override
  public String call(String message, TaskContext context) {
    throw new IllegalStateException(message);
  }
}
