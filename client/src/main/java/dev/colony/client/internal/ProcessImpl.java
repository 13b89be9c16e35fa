package dev.colony.client.internal;

import dev.colony.client.ColonyProcess;
import dev.colony.client.ProcessOptions;
import dev.colony.proto.v1.NoWorkerWarning;
import dev.colony.proto.v1.TaskOutcome;
import dev.colony.proto.v1.TaskSpec;
import dev.colony.proto.v1.TaskState;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;

/**
 * A process: one task submitted through the client's {@link TaskTracker}, whose collector completes
 * {@link #ended}. While it runs, where it runs comes from TaskInfo.
 */
final class ProcessImpl<R> implements ColonyProcess<R> {
  private static final Logger log = Loggers.get("dev.colony.client.ColonyProcess");

  /** Python's exit code of a process ended by SIGTERM. */
  static final int TERMINATED = -15;

  private final TaskTracker tracker;
  private final String taskName;
  private final Object argument;
  private final Class<?> resultType;
  private final String name;
  private final ProcessOptions options;
  private final CompletableFuture<Ended> ended = new CompletableFuture<>();
  private final Object lock = new Object();
  // Guarded by lock.
  private boolean started;
  private volatile long taskId;
  // Where it runs or ran, once known.
  private volatile TaskOutcome placement;
  private boolean warnedNoWorker;
  private final Class<?> taskClass;

  /** How the task ended: its outcome, or why the client lost track of it. */
  private record Ended(TaskOutcome outcome, RuntimeException lost) {}

  ProcessImpl(
      TaskTracker tracker,
      String taskName,
      Object argument,
      Class<?> resultType,
      String name,
      ProcessOptions options,
      Class<?> taskClass) {
    this.tracker = tracker;
    this.taskClass = taskClass;
    this.taskName = taskName;
    Names.requireValid("a process name", name);
    this.argument = argument;
    this.resultType = resultType;
    this.name = name;
    this.options = options;
  }

  @Override
  public void start() {
    synchronized (lock) {
      if (started) {
        throw new IllegalStateException("process " + name + " was already started");
      }
      started = true;
    }
    String code;
    try {
      code = tracker.code.ship(options.getCodeJar(), options.isShipTaskCode(), taskClass);
    } catch (RuntimeException e) {
      synchronized (lock) {
        started = false;
      }
      throw e;
    }
    TaskSpec spec =
        TaskSpec.newBuilder()
            .setTaskName(taskName)
            .setCodeSha256(code)
            .addArguments(TaskPayloads.encode(argument))
            .setDaemon(options.isDaemon())
            .setDisplayName(name)
            .setTimeoutMs(options.getTimeout().toMillis())
            .setNoWorkerTimeoutMs(options.getNoWorkerTimeout().toMillis())
            .build();
    try {
      tracker.submit(List.of(spec), List.of(new Listener()));
    } catch (RuntimeException e) {
      synchronized (lock) {
        started = false; // nothing went out: it may be started again
      }
      throw e;
    }
  }

  private final class Listener implements TaskTracker.Listener {
    @Override
    public void submitted(long id) {
      taskId = id;
    }

    @Override
    public void finished(TaskOutcome outcome) {
      if (!outcome.getWorkerId().isEmpty() || outcome.getWorkerPid() != 0) {
        placement = outcome;
      }
      ended.complete(new Ended(outcome, null));
    }

    @Override
    public void lost(RuntimeException why) {
      ended.complete(new Ended(null, why));
    }

    @Override
    public void noWorker(NoWorkerWarning warning) {
      if (!warnedNoWorker) {
        warnedNoWorker = true; // only the collector thread calls this
        log.warn("process {}: {}", name, warning.getMessage());
      }
    }
  }

  @Override
  public void join() throws InterruptedException {
    requireStarted();
    try {
      ended.get();
    } catch (ExecutionException e) {
      throw new AssertionError("the ended future never fails", e);
    }
  }

  @Override
  public boolean join(long timeout, TimeUnit unit) throws InterruptedException {
    requireStarted();
    try {
      ended.get(Math.max(0, timeout), unit);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw new AssertionError("the ended future never fails", e);
    }
  }

  private void requireStarted() {
    synchronized (lock) {
      if (!started) {
        throw new IllegalStateException("process " + name + " was not started");
      }
    }
  }

  @Override
  public boolean isAlive() {
    synchronized (lock) {
      if (!started) {
        return false;
      }
    }
    return !ended.isDone();
  }

  @Override
  public void terminate() {
    long id = taskId;
    if (id == 0 || ended.isDone()) {
      return;
    }
    tracker.cancel(List.of(id));
  }

  @Override
  public Integer exitCode() {
    Ended end = ended.getNow(null);
    if (end == null) {
      return null;
    }
    if (end.outcome() == null) {
      return 1; // lost track of it: the client closed or its session ended
    }
    TaskState state = end.outcome().getState();
    return switch (state) {
      case TASK_STATE_SUCCEEDED -> 0;
      case TASK_STATE_CANCELLED -> TERMINATED;
      default -> 1;
    };
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean isDaemon() {
    return options.isDaemon();
  }

  @Override
  @SuppressWarnings("unchecked")
  public R result() {
    Ended end = ended.getNow(null);
    if (end == null) {
      throw new IllegalStateException("process " + name + " has not ended; join() it first");
    }
    if (end.lost() != null) {
      throw end.lost();
    }
    TaskOutcome outcome = end.outcome();
    if (outcome.getState() != TaskState.TASK_STATE_SUCCEEDED) {
      throw RemoteFailures.of(outcome);
    }
    if (outcome.getResultsCount() != 1) {
      throw new IllegalStateException(
          "task " + outcome.getTaskId() + " returned " + outcome.getResultsCount() + " results");
    }
    return (R) TaskPayloads.decode(outcome.getResults(0), resultType);
  }

  @Override
  public long taskId() {
    return taskId;
  }

  @Override
  public String workerId() {
    TaskOutcome where = where();
    return where == null || where.getWorkerId().isEmpty() ? null : where.getWorkerId();
  }

  @Override
  public String workerHost() {
    TaskOutcome where = where();
    return where == null || where.getWorkerHost().isEmpty() ? null : where.getWorkerHost();
  }

  @Override
  public long workerPid() {
    TaskOutcome where = where();
    return where == null ? 0 : where.getWorkerPid();
  }

  /** Where it ran; asks the coordinator while it runs (a retry may move it to another worker). */
  private TaskOutcome where() {
    long id = taskId;
    if (id == 0 || ended.isDone()) {
      return placement;
    }
    TaskOutcome now = tracker.info(id);
    if (now != null && now.getState() == TaskState.TASK_STATE_RUNNING) {
      placement = now;
    }
    return placement;
  }

  @Override
  public String toString() {
    Integer code = exitCode();
    String status =
        !isAlive() && code == null ? "initial" : code == null ? "started" : "exitcode=" + code;
    return "ColonyProcess[" + name + ", " + status + (isDaemon() ? ", daemon" : "") + "]";
  }
}
