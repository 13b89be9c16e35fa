package dev.colony.it.workers.tasks;

import dev.colony.client.ColonyQueue;
import dev.colony.client.Task;
import dev.colony.client.TaskContext;
import java.util.ArrayList;
import java.util.List;

/** Takes from the shared queue named by its argument until {@link #STOP}; answers what it took. */
public final class Consume implements Task<String, Consume.Consumed> {

  public static final int STOP = -1;

  public record Consumed(String workerId, List<Integer> items) {}

  @Override
  public Consumed call(String queueName, TaskContext context) throws InterruptedException {
    ColonyQueue<Integer> queue = context.colony().queue(queueName, Integer.class);
    List<Integer> items = new ArrayList<>();
    for (int item = queue.take(); item != STOP; item = queue.take()) {
      items.add(item);
    }
    return new Consumed(context.workerId(), items);
  }
}
