package dev.colony.bench;

import dev.colony.client.Task;
import dev.colony.client.TaskContext;

/** The peers' tiny task: returns its argument. Runs on the bench's worker JVMs. */
public final class IdentityTask implements Task<Long, Long> {
  @Override
  public Long call(Long argument, TaskContext context) {
    return argument;
  }
}
