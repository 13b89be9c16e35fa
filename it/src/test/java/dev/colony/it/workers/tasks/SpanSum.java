package dev.colony.it.workers.tasks;

import dev.colony.client.Task;
import dev.colony.client.TaskContext;

/** Sums {@code from, from + step, ...} up to {@code to} inclusive: a task of several arguments. */
public final class SpanSum implements Task<SpanSum.Span, Long> {

  public record Span(long from, long to, int step) {}

  @Override
  public Long call(Span span, TaskContext context) {
    return sum(span);
  }

  public static long sum(Span span) {
    long total = 0;
    for (long n = span.from(); n <= span.to(); n += span.step()) {
      total += n;
    }
    return total;
  }
}
