package dev.colony.it.deploy.tasks;

import dev.colony.client.ColonyAtomicLong;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyLock;
import dev.colony.client.Task;
import dev.colony.client.TaskContext;
import java.util.concurrent.TimeUnit;

/**
 * The multi-host test's task, shipped to the workers with the pool (they load it from the jar the
 * client sends): counts its run in {@code <run>.executions}, marks itself running in {@code
 * <run>.running} (item to worker pid) while it works, adds one to {@code <run>.underLock} with a
 * read and a write under the lock {@code <run>.lock} (a lost update would show a broken lock), puts
 * its item on the queue {@code <run>.out}, and answers its square and where it ran.
 *
 * <p>With {@code together > 0}, it first counts down the latch {@code <run>.together} and waits for
 * it: the items then finish only if that many run at the same time, on different workers when one
 * has too few slots.
 */
public final class HostWork implements Task<HostWork.Job, HostWork.Done> {

  public record Job(String run, int n, long millis, int together) {}

  public record Done(int n, long square, long workerPid, int attempt) {}

  @Override
  public Done call(Job job, TaskContext context) throws InterruptedException {
    ColonyClient colony = context.colony();
    String run = job.run();
    colony.map(run + ".executions", Integer.class, Long.class).merge(job.n(), 1L, Long::sum);
    colony.map(run + ".running", Integer.class, Long.class).put(job.n(), context.workerPid());
    if (job.together() > 0) {
      var latch = colony.countDownLatch(run + ".together", job.together());
      latch.countDown();
      if (!latch.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException(job.together() + " tasks did not run together in 60 s");
      }
    }
    ColonyLock lock = colony.lock(run + ".lock");
    lock.lock();
    try {
      ColonyAtomicLong counter = colony.atomicLong(run + ".underLock");
      counter.set(counter.get() + 1);
    } finally {
      lock.unlock();
    }
    colony.queue(run + ".out", Integer.class).put(job.n());
    Thread.sleep(job.millis()); // the work itself
    colony.map(run + ".running", Integer.class, Long.class).remove(job.n());
    return new Done(job.n(), (long) job.n() * job.n(), context.workerPid(), context.attempt());
  }
}
