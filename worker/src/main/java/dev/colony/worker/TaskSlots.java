package dev.colony.worker;

import dev.colony.proto.v1.WorkerTaskResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tasks running on the worker's slots: starting them on the slot threads, aborting them when
 * the coordinator asks, and stopping them. The set of running tasks is guarded by the daemon's
 * lock, which callers of the methods that say so hold.
 */
final class TaskSlots {
  private static final Logger log = LoggerFactory.getLogger(TaskSlots.class);

  private final Object lock;
  private final ExecutorService executor;
  private final Semaphore slots;
  private final TaskRunner runner;
  // Guarded by lock.
  private final Set<RunningTask> running = new LinkedHashSet<>();

  /**
   * @param slots bounds how many tasks run at once when the executor does not (a thread per task
   *     and tasks taken beyond the slots), or null
   */
  TaskSlots(Object lock, ExecutorService executor, Semaphore slots, TaskRunner runner) {
    this.lock = lock;
    this.executor = executor;
    this.slots = slots;
    this.runner = runner;
  }

  /** Counts a task as running; the caller holds the lock. */
  void add(RunningTask task) {
    running.add(task);
  }

  /** The task ended; the caller holds the lock. */
  void remove(RunningTask task) {
    running.remove(task);
  }

  /** The caller holds the lock. */
  int size() {
    return running.size();
  }

  /** The caller holds the lock. */
  boolean isEmpty() {
    return running.isEmpty();
  }

  /** The running tasks, oldest first; the caller holds the lock. */
  Iterable<RunningTask> all() {
    return running;
  }

  /** The running tasks that came on {@code stream}; the caller holds the lock. */
  List<RunningTask> from(CoordinatorStream stream) {
    List<RunningTask> tasks = new ArrayList<>();
    for (RunningTask task : running) {
      if (task.stream() == stream) {
        tasks.add(task);
      }
    }
    return tasks;
  }

  /**
   * Runs an added task on a slot thread and hands its result to {@code report}; if the slots are
   * closed, reports it handed back at once.
   */
  void run(RunningTask task, BiConsumer<RunningTask, WorkerTaskResult> report) {
    try {
      executor.execute(
          slots == null
              ? () -> report.accept(task, runner.run(task))
              : () -> {
                try {
                  slots.acquire();
                } catch (InterruptedException e) {
                  handBack(task, report); // the worker is stopping
                  return;
                }
                try {
                  report.accept(task, runner.run(task));
                } finally {
                  slots.release();
                }
              });
    } catch (RejectedExecutionException e) {
      handBack(task, report);
    }
  }

  private static void handBack(RunningTask task, BiConsumer<RunningTask, WorkerTaskResult> report) {
    task.stop(RunningTask.Stop.INTERRUPTED);
    report.accept(
        task,
        TaskRunner.stopped(WorkerFrames.resultFor(task), task, RunningTask.Stop.INTERRUPTED, null));
  }

  /** The coordinator withdrew a task it sent on {@code from}: cancel it if it still runs. */
  void abort(CoordinatorStream from, long taskId) {
    List<RunningTask> matches = new ArrayList<>(1);
    synchronized (lock) {
      for (RunningTask task : running) {
        if (task.stream() == from && task.taskId() == taskId) {
          matches.add(task);
        }
      }
    }
    for (RunningTask task : matches) {
      if (task.stop(RunningTask.Stop.CANCELLED)) {
        log.info("task {} aborted by the coordinator", taskId);
      }
    }
  }

  /** Interrupts the slot threads and waits up to {@code wait} for them to end. */
  void close(Duration wait) {
    executor.shutdownNow();
    try {
      if (!executor.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("some tasks ignore interrupts; leaving their threads behind");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Interrupts the slot threads without waiting. */
  void closeNow() {
    executor.shutdownNow();
  }
}
