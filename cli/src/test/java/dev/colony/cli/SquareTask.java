package dev.colony.cli;

import dev.colony.client.Task;
import dev.colony.client.TaskContext;

/** A structured result: a record, which travels as JSON. */
public final class SquareTask implements Task<Long, SquareTask.Square> {
  /** n and n². */
  public record Square(long n, long square) {}

  @Override
  public Square call(Long n, TaskContext context) {
    return new Square(n, n * n);
  }
}
