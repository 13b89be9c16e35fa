package dev.colony.it.workers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * A worker JVM started again whenever it exits with a non-zero code, as systemd's {@code
 * Restart=on-failure} would; an exit with code 0 (a drain the worker chose) ends the supervision.
 * Records each failed exit's code. Closing kills the current JVM and stops supervising.
 */
final class SupervisedWorker implements AutoCloseable {
  private static final Duration POLL = Duration.ofSeconds(1);

  private final String name;
  private final String coordinator;
  private final Thread supervisor;
  private final List<Integer> failedExits = new ArrayList<>();
  private WorkerProcess current;
  private boolean closed;
  private Exception broken;

  private SupervisedWorker(String name, String coordinator) {
    this.name = name;
    this.coordinator = coordinator;
    this.supervisor = new Thread(this::supervise, "supervisor-" + name);
    supervisor.setDaemon(true);
  }

  static SupervisedWorker start(String name, String coordinator) {
    SupervisedWorker worker = new SupervisedWorker(name, coordinator);
    worker.supervisor.start();
    return worker;
  }

  private void supervise() {
    try {
      for (int incarnation = 1; ; incarnation++) {
        WorkerProcess process;
        synchronized (this) {
          if (closed) {
            return;
          }
          process = WorkerProcess.launch(name + "-" + incarnation, coordinator);
          current = process;
        }
        process.awaitConnected();
        int code = awaitExit(process);
        synchronized (this) {
          if (closed || code == 0) {
            return;
          }
          failedExits.add(code);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (TimeoutException | RuntimeException e) {
      synchronized (this) {
        broken = e;
      }
    }
  }

  /** The JVM's exit code; waits in bounded steps so that closing is noticed. */
  private int awaitExit(WorkerProcess process) throws InterruptedException {
    while (true) {
      try {
        return process.waitFor(POLL);
      } catch (TimeoutException stillRunning) {
        synchronized (this) {
          if (closed) {
            return -1;
          }
        }
      }
    }
  }

  /** The exit codes of the JVMs that exited non-zero, in order. */
  synchronized List<Integer> failedExits() {
    return List.copyOf(failedExits);
  }

  /** What stopped the supervision, if a start failed; null otherwise. */
  synchronized Exception broken() {
    return broken;
  }

  @Override
  public void close() {
    WorkerProcess last;
    synchronized (this) {
      closed = true;
      last = current;
    }
    if (last != null) {
      last.close();
    }
    supervisor.interrupt();
    try {
      supervisor.join(Duration.ofSeconds(30).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public synchronized String toString() {
    return name + "(failed exits " + failedExits + ", now " + current + ")";
  }
}
