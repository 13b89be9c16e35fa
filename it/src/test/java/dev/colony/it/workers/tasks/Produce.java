package dev.colony.it.workers.tasks;

import dev.colony.client.ColonyQueue;
import dev.colony.client.Task;
import dev.colony.client.TaskContext;

/** Puts {@code from .. from + count - 1} on the shared queue and answers how many it put. */
public final class Produce implements Task<Produce.Batch, Integer> {

  public record Batch(String queue, int from, int count) {}

  @Override
  public Integer call(Batch batch, TaskContext context) throws InterruptedException {
    ColonyQueue<Integer> queue = context.colony().queue(batch.queue(), Integer.class);
    for (int i = 0; i < batch.count(); i++) {
      queue.put(batch.from() + i);
    }
    return batch.count();
  }
}
