package dev.colony.cli;

import dev.colony.client.Task;
import dev.colony.client.TaskContext;
import java.util.concurrent.CountDownLatch;

/** Runs until it is cancelled (interrupted), for the cancel and timeout tests. */
public final class BlockingTask implements Task<String, String> {
  @Override
  public String call(String ignored, TaskContext context) throws InterruptedException {
    new CountDownLatch(1).await();
    throw new AssertionError("unreachable");
  }
}
