package dev.colony.cli;

import dev.colony.client.Task;
import dev.colony.client.TaskContext;

/** Returns its argument: a string comes back as it went. */
public final class EchoTask implements Task<String, String> {
  @Override
  public String call(String text, TaskContext context) {
    return text;
  }
}
