package dev.colony.cli;

import dev.colony.client.Task;
import dev.colony.client.TaskContext;

/** Logs two lines through its context's logger, then fails: for task logs. */
public final class LoggingTask implements Task<String, String> {
  @Override
  public String call(String file, TaskContext context) {
    context.logger().info("resizing {}", file);
    context.logger().warn("{} is larger than 10 MB", file);
    throw new IllegalStateException("cannot resize " + file);
  }
}
