package dev.colony.it.workers.tasks;

import dev.colony.client.Task;
import dev.colony.client.TaskContext;

/**
 * Squares its number, except 13, where it throws an IllegalStateException caused by an
 * ArithmeticException. Each success is counted in the shared counter {@code completed}.
 */
public final class Unlucky implements Task<Unlucky.Item, Integer> {

  public static final int UNLUCKY = 13;

  public record Item(String completed, int n) {}

  @Override
  public Integer call(Item item, TaskContext context) {
    if (item.n() == UNLUCKY) {
      refuse(item.n());
    }
    context.colony().atomicLong(item.completed()).incrementAndGet();
    return item.n() * item.n();
  }

  /** A frame of its own, so the test can find it in the remote stack trace. */
  private static void refuse(int n) {
    throw new IllegalStateException(
        "refusing " + n, new ArithmeticException(n + " is not a number I square"));
  }
}
