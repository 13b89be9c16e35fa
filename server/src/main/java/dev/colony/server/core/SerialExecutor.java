package dev.colony.server.core;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on the submitting thread when nobody else is
 * running them (grpc's SynchronizationContext semantics). This keeps the core single-threaded
 * without a thread hop per command: the transport thread that receives a call usually applies it
 * and writes the reply itself. Tasks submitted from inside a task run after it (no reentrancy).
 */
final class SerialExecutor implements Executor {
  private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
    drain();
  }

  private void drain() {
    do {
      if (!draining.compareAndSet(false, true)) {
        return;
      }
      try {
        Runnable task;
        while ((task = tasks.poll()) != null) {
          try {
            task.run();
          } catch (RuntimeException | Error e) {
            log.error("core command failed; the coordinator keeps serving", e);
          }
        }
      } finally {
        draining.set(false);
      }
      // A task added between the last poll and the release would otherwise wait for the next.
    } while (!tasks.isEmpty());
  }
}
