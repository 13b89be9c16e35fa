package dev.colony.it.workers.tasks;

import dev.colony.client.Task;
import dev.colony.client.TaskContext;

/**
 * CPU-bound work: the total number of Collatz steps of the numbers {@code [start, start + 20000)}.
 * Records which worker JVM ran it in the shared map {@code seenBy} (worker id → pid).
 */
public final class CollatzSteps implements Task<CollatzSteps.Range, Long> {

  public static final int WIDTH = 20_000;

  /** The numbers {@code [start, start + WIDTH)}; {@code seenBy} names a map of worker ids. */
  public record Range(String seenBy, long start) {}

  @Override
  public Long call(Range range, TaskContext context) {
    context
        .colony()
        .map(range.seenBy(), String.class, Long.class)
        .putIfAbsent(context.workerId(), context.workerPid());
    return totalSteps(range.start());
  }

  /** The function itself, for the local loop the remote results are compared with. */
  public static long totalSteps(long start) {
    long total = 0;
    for (long n = start; n < start + WIDTH; n++) {
      long x = n;
      while (x > 1) {
        x = (x & 1) == 0 ? x >>> 1 : 3 * x + 1;
        total++;
      }
    }
    return total;
  }
}
