package dev.colony.it.durability.tasks;

import dev.colony.client.Task;
import dev.colony.client.TaskContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A task that records each run of it in files of a shared directory (the test runs on the same
 * machine), so that it can be seen starting and finishing while the coordinator is down: it appends
 * {@code <workerId> <pid> <attempt>} to {@code runs-<n>}, creates {@code started-<n>}, waits until
 * the test creates {@code release}, creates {@code done-<n>} and answers where it ran. It never
 * talks to the coordinator itself.
 */
public final class HeldAcrossOutage implements Task<HeldAcrossOutage.Job, HeldAcrossOutage.Ran> {

  public record Job(String dir, int n) {}

  public record Ran(int n, String workerId, long workerPid, int attempt) {}

  @Override
  public Ran call(Job job, TaskContext context) throws InterruptedException {
    Path dir = Path.of(job.dir());
    Ran ran = new Ran(job.n(), context.workerId(), context.workerPid(), context.attempt());
    try {
      Files.writeString(
          dir.resolve("runs-" + job.n()),
          ran.workerId() + " " + ran.workerPid() + " " + ran.attempt() + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      Files.writeString(dir.resolve("started-" + job.n()), ran.workerId());
      while (!Files.exists(dir.resolve("release"))) {
        Thread.sleep(20); // the gate is a file the test creates while the coordinator is down
      }
      Files.writeString(dir.resolve("done-" + job.n()), ran.workerId());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ran;
  }
}
