package dev.colony.cli.demo;

import dev.colony.client.ColonyQueue;
import dev.colony.client.Task;
import dev.colony.client.TaskContext;

/**
 * A consumer: takes numbers from the shared queue named by its argument until it takes the end
 * marker {@link #END}, and returns what it took.
 */
public final class ConsumeNumbers implements Task<String, Tally> {
  /** Put once per consumer after the last number: Python's "poison pill". */
  public static final long END = -1;

  @Override
  public Tally call(String queueName, TaskContext context) throws InterruptedException {
    ColonyQueue<Long> queue = context.colony().queue(queueName, Long.class);
    long count = 0;
    long sum = 0;
    for (long n = queue.take(); n != END; n = queue.take()) {
      count++;
      sum += n;
    }
    return new Tally(count, sum);
  }
}
