package dev.colony.it.workers.tasks;

import dev.colony.client.ColonyClient;
import dev.colony.client.Task;
import dev.colony.client.TaskContext;

/**
 * Counts its execution in {@code <run>.executions} (per number) and {@code <run>.started}, waits
 * for the shared event {@code <run>.gate}, then answers its square and the worker that ran it.
 */
public final class Gated implements Task<Gated.Job, Gated.Ran> {

  public record Job(String run, int n) {}

  public record Ran(int square, String workerId) {}

  @Override
  public Ran call(Job job, TaskContext context) throws InterruptedException {
    ColonyClient colony = context.colony();
    colony.map(job.run() + ".executions", Integer.class, Long.class).merge(job.n(), 1L, Long::sum);
    colony.atomicLong(job.run() + ".started").incrementAndGet();
    colony.event(job.run() + ".gate").await();
    return new Ran(job.n() * job.n(), context.workerId());
  }
}
