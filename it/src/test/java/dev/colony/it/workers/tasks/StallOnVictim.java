package dev.colony.it.workers.tasks;

import dev.colony.client.ColonyClient;
import dev.colony.client.Task;
import dev.colony.client.TaskContext;

/**
 * Squares its number after {@code millis} of work, counting each execution per number in the shared
 * map {@code <run>.executions} and each finished item in {@code <run>.done}.
 *
 * <p>On the worker {@code victim}, the first {@code victimRuns} executions work normally and every
 * later one counts itself in {@code <run>.stalled} and blocks for good; once {@code victimSlots}
 * are stalled it sets the event {@code <run>.victimStalled}. Elsewhere, tasks wait for that event
 * before they work, so the rest of the map cannot finish before the victim is stuck: the test then
 * kills the victim with its slots full of running tasks, whatever the timing of the machine.
 */
public final class StallOnVictim implements Task<StallOnVictim.Job, Integer> {

  public record Job(
      String run, int n, long millis, String victim, int victimRuns, int victimSlots) {}

  @Override
  public Integer call(Job job, TaskContext context) throws InterruptedException {
    ColonyClient colony = context.colony();
    colony.map(job.run() + ".executions", Integer.class, Long.class).merge(job.n(), 1L, Long::sum);
    if (context.workerId().equals(job.victim())) {
      if (colony.atomicLong(job.run() + ".victimRuns").incrementAndGet() > job.victimRuns()) {
        if (colony.atomicLong(job.run() + ".stalled").incrementAndGet() >= job.victimSlots()) {
          colony.event(job.run() + ".victimStalled").set();
        }
        colony.event(job.run() + ".never").await();
      }
    } else {
      colony.event(job.run() + ".victimStalled").await();
    }
    Thread.sleep(job.millis()); // the work itself; nothing waits on it
    colony.atomicLong(job.run() + ".done").incrementAndGet();
    return job.n() * job.n();
  }
}
