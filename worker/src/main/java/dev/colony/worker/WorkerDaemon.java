package dev.colony.worker;

import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyOptions;
import dev.colony.proto.v1.CoordinatorFrame;
import dev.colony.proto.v1.TaskAssignment;
import dev.colony.proto.v1.TaskFailureReason;
import dev.colony.proto.v1.WorkerFrame;
import dev.colony.proto.v1.WorkerTaskResult;
import dev.colony.proto.v1.WorkerWelcome;
import io.grpc.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker daemon: it pulls tasks from a coordinator over one stream, runs them on its slots and
 * sends the results back. The stream announces the free slots as credits, so the coordinator never
 * sends more tasks than the worker can start at once.
 *
 * <p>When the stream breaks the daemon reconnects with exponential backoff (100 ms to 5 s, with
 * jitter). The tasks of the broken stream are interrupted and their results dropped: the
 * coordinator has already queued them again.
 *
 * <p>The daemon owns the lifecycle and routes the coordinator's frames; {@link CoordinatorLink}
 * keeps the connection (reconnecting, heartbeats, sending frames) and {@link TaskSlots} the tasks
 * running on the slots. The three share one lock.
 *
 * <p>Lifecycle as an {@code ExecutorService}: {@link #shutdown()} drains (no new tasks; running
 * ones get the drain grace period, then they are interrupted and handed back to the coordinator),
 * {@link #shutdownNow()} hands running tasks back at once.
 */
public final class WorkerDaemon {
  private static final Logger log = LoggerFactory.getLogger(WorkerDaemon.class);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  private final WorkerOptions options;
  private final ScheduledExecutorService scheduler;
  private final CompletableFuture<String> joined = new CompletableFuture<>();
  private final CountDownLatch terminated = new CountDownLatch(1);

  private final Object lock = new Object();
  private final CoordinatorLink link;
  private final TaskSlots tasks;
  // Guarded by lock.
  private boolean started;
  private boolean shutdown;
  private boolean stopNow;
  private volatile String workerId;
  // Shipped code (--allow-code-from-clients), or null.
  private final CodeCache codeCache;
  // Whether the code cache folder is the worker's own temporary one, deleted when it ends.
  private final boolean ownCodeFolder;

  /**
   * A daemon that connects its tasks' client with {@link Colony#connect(ColonyOptions)}.
   *
   * @throws IllegalArgumentException if a tasks path is neither a jar nor a folder
   */
  public WorkerDaemon(WorkerOptions options) {
    this(options, WorkerDaemon::connectClient);
  }

  WorkerDaemon(WorkerOptions options, Function<WorkerOptions, ColonyClient> clientFactory) {
    this.options = options;
    TaskRegistry registry =
        TaskRegistry.create(options.taskJars(), TaskAllowList.of(options.allowedTasks()));
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "colony-worker-scheduler");
              thread.setDaemon(true);
              return thread;
            });
    String host = WorkerIdentity.localHost();
    long pid = WorkerIdentity.localPid();
    this.link =
        new CoordinatorLink(
            options,
            clientFactory,
            new StreamListener(),
            scheduler,
            host,
            pid,
            lock,
            () -> shutdown,
            this::runningTaskIds);
    if (options.allowCodeFromClients()) {
      boolean own = options.codeCache() == null;
      Path folder = own ? temporaryCodeFolder() : options.codeCache();
      CoordinatorLink fetcher = link;
      codeCache = new CodeCache(folder, fetcher::fetchCode, WorkerDaemon.class.getClassLoader());
      ownCodeFolder = own;
      registry.allowShippedCode(codeCache);
    } else {
      codeCache = null;
      ownCodeFolder = false;
    }
    TaskRunner runner =
        new TaskRunner(
            registry,
            scheduler,
            () -> new WorkerIdentity(host, pid, link.client()),
            options::taskLogOutput);
    this.tasks =
        new TaskSlots(
            lock,
            TaskThreads.newExecutor(options.slots(), options.virtualThreads()),
            // A virtual thread per task: what bounds how many run is this gate.
            options.virtualThreads() && options.prefetch() > 0
                ? new Semaphore(options.slots(), true)
                : null,
            runner);
  }

  private static Path temporaryCodeFolder() {
    try {
      return Files.createTempDirectory("colony-worker-code-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make a folder for shipped code", e);
    }
  }

  /** The ids of the tasks running here; the caller holds the lock. */
  private List<Long> runningTaskIds() {
    List<Long> ids = new ArrayList<>();
    for (RunningTask task : tasks.all()) {
      ids.add(task.assignment().getTaskId());
    }
    return ids;
  }

  private static ColonyClient connectClient(WorkerOptions options) {
    return Colony.connect(options.connection());
  }

  public WorkerOptions options() {
    return options;
  }

  /**
   * Connects in the background and returns at once; see {@link #joined()}.
   *
   * @throws IllegalStateException if started before or shut down
   */
  public WorkerDaemon start() {
    synchronized (lock) {
      if (started || shutdown) {
        throw new IllegalStateException(
            shutdown ? "the worker was shut down" : "the worker was already started");
      }
      started = true;
      link.start();
    }
    return this;
  }

  /** The id the coordinator gave this worker; null until it first joined. */
  public String workerId() {
    return workerId;
  }

  /**
   * Completes with the worker id when the coordinator first welcomes this worker; fails with a
   * {@link CancellationException} if the worker shuts down before that.
   */
  public CompletableFuture<String> joined() {
    return joined.copy();
  }

  /**
   * Drains: tells the coordinator to send no new tasks, lets running tasks finish within the drain
   * grace period, then interrupts the rest and hands them back to be run elsewhere, and closes.
   * Returns at once; see {@link #awaitTermination}.
   */
  public void shutdown() {
    beginShutdown(false);
  }

  /** Interrupts running tasks at once, hands them back to the coordinator, and closes. */
  public void shutdownNow() {
    beginShutdown(true);
  }

  public boolean isShutdown() {
    synchronized (lock) {
      return shutdown;
    }
  }

  public boolean isTerminated() {
    return terminated.getCount() == 0;
  }

  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return terminated.await(timeout, unit);
  }

  // ---- what the coordinator sends -------------------------------------------------------

  private final class StreamListener implements CoordinatorStream.Listener {
    @Override
    public void onFrame(CoordinatorStream from, CoordinatorFrame frame) {
      switch (frame.getKindCase()) {
        case WELCOME -> welcome(from, frame.getWelcome());
        case TASK -> assign(from, List.of(frame.getTask()));
        case TASKS -> assign(from, frame.getTasks().getTasksList());
        case ABORT -> tasks.abort(from, frame.getAbort().getTaskId());
        case RESULTS_ACK -> acknowledged(from, frame.getResultsAck().getTaskIdsList());
        case KIND_NOT_SET -> log.debug("ignored an empty frame from the coordinator");
      }
    }

    @Override
    public void onEnded(CoordinatorStream from, Status status) {
      streamEnded(from, status);
    }
  }

  private void welcome(CoordinatorStream from, WorkerWelcome welcome) {
    synchronized (lock) {
      if (!link.isCurrent(from)) {
        return;
      }
      if (shutdown) {
        link.detach();
        from.close();
        lock.notifyAll();
        return;
      }
      workerId = welcome.getWorkerId();
      // Tasks of an earlier stream may still be finishing; their slots are credited as they end.
      link.welcomed(welcome, options.slots() + options.prefetch() - tasks.size());
    }
    log.info(
        "worker {} joined {} with {} slots",
        welcome.getWorkerId(),
        options.coordinator(),
        options.slots());
    joined.complete(welcome.getWorkerId());
  }

  private void acknowledged(CoordinatorStream from, List<Long> taskIds) {
    synchronized (lock) {
      if (link.isCurrent(from)) {
        link.acknowledged(taskIds);
        lock.notifyAll();
      }
    }
  }

  private void assign(CoordinatorStream from, List<TaskAssignment> assignments) {
    List<RunningTask> started = new ArrayList<>(assignments.size());
    synchronized (lock) {
      if (!link.isCurrent(from)) {
        return; // the coordinator re-queued them when that stream broke
      }
      for (TaskAssignment assignment : assignments) {
        RunningTask task = new RunningTask(assignment, from, workerId);
        if (shutdown) {
          // Sent before the coordinator saw our drain: hand it straight back.
          task.claimReport();
          from.send(WorkerFrames.handBack(task));
        } else {
          tasks.add(task);
          started.add(task);
        }
      }
    }
    for (RunningTask task : started) {
      tasks.run(task, this::report);
    }
  }

  /**
   * A task ended (or was handed back): its result goes to the current stream, together with the
   * results of the tasks that ended while the previous frame was being written.
   */
  private void report(RunningTask task, WorkerTaskResult outcome) {
    WorkerFrame frame = WorkerFrames.result(outcome, link.maxMessageBytes());
    if (frame.getResult().getError().getReason() == TaskFailureReason.RESULT_TOO_LARGE) {
      log.warn(
          "task {} failed: {}", outcome.getTaskId(), frame.getResult().getError().getMessage());
    }
    synchronized (lock) {
      tasks.remove(task);
      if (task.claimReport()) {
        link.taskEnded(frame);
      }
      lock.notifyAll();
    }
    link.sendResults();
  }

  private void streamEnded(CoordinatorStream from, Status status) {
    List<RunningTask> orphans;
    synchronized (lock) {
      if (!link.isCurrent(from)) {
        return;
      }
      link.detach();
      orphans = tasks.from(from);
      lock.notifyAll();
    }
    if (isShutdown()) {
      return;
    }
    // They run on: a result that reaches the coordinator first settles the task, even if it was
    // queued again meanwhile (a restart, a blip shorter than its rerun).
    link.retryLater(
        status,
        "lost the coordinator "
            + options.coordinator()
            + "; "
            + orphans.size()
            + " running tasks carry on and report when it is back",
        null);
  }

  // ---- shutting down --------------------------------------------------------------------

  /**
   * For a shutdown hook: if one of this worker's tasks called {@code System.exit}, says which (e.g.
   * "System.exit called by task 17 (com.acme.Quit)"); empty if the JVM is ending for another
   * reason. Such an exit is not the worker's choice: see {@link #abandon}.
   */
  public Optional<String> taskEndingTheJvm() {
    synchronized (lock) {
      for (RunningTask task : tasks.all()) {
        Thread thread = task.thread();
        if (thread != null && JvmExit.isCalledBy(thread)) {
          TaskAssignment assignment = task.assignment();
          return Optional.of(
              "System.exit called by task "
                  + assignment.getTaskId()
                  + " ("
                  + assignment.getTaskName()
                  + ")");
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The JVM is ending although nobody asked this worker to stop: tells the coordinator why, so each
   * running task counts a failed attempt rather than being handed back as if the worker drained,
   * and closes without waiting for the tasks. Returns once the coordinator has the news or after a
   * few seconds.
   */
  public void abandon(String reason) {
    CoordinatorStream last;
    synchronized (lock) {
      shutdown = true;
      stopNow = true;
      link.cancelReconnect();
      if (!link.send(WorkerFrames.exit(reason))) {
        log.warn("could not tell the coordinator that this worker is exiting: not connected");
      }
      last = link.detach();
      lock.notifyAll();
    }
    if (last != null) {
      last.close();
    }
    // Waits for the stream to end, which the coordinator does once it has read the exit frame.
    link.close(CLOSE_WAIT);
    terminate();
  }

  private void beginShutdown(boolean now) {
    synchronized (lock) {
      stopNow |= now;
      lock.notifyAll();
      if (shutdown) {
        return;
      }
      shutdown = true;
      link.cancelReconnect();
      if (!started) {
        terminate();
        return;
      }
      link.send(WorkerFrames.drain());
    }
    Thread drainer = new Thread(this::drain, "colony-worker-drain");
    drainer.start();
  }

  private void drain() {
    long deadline = System.nanoTime() + options.drainGrace().toNanos();
    CoordinatorStream last;
    synchronized (lock) {
      try {
        // Results must be durable before the stream closes: an unacknowledged one would be lost.
        while ((!tasks.isEmpty() || !link.allAcknowledged()) && !stopNow) {
          long remaining = deadline - System.nanoTime();
          if (remaining <= 0) {
            break;
          }
          lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (!tasks.isEmpty()) {
        log.info("handing {} unfinished tasks back to the coordinator", tasks.size());
      }
      // Hand the rest back now rather than when (if ever) their threads notice the interrupt.
      for (RunningTask task : tasks.all()) {
        task.stop(RunningTask.Stop.INTERRUPTED);
        if (task.claimReport()) {
          link.sendOn(task.stream(), WorkerFrames.handBack(task));
        }
      }
      last = link.detach();
    }
    if (last != null) {
      last.close();
    }
    tasks.close(CLOSE_WAIT);
    link.close(CLOSE_WAIT);
    terminate();
  }

  private void terminate() {
    scheduler.shutdownNow();
    tasks.closeNow();
    joined.completeExceptionally(new CancellationException("the worker shut down before joining"));
    if (codeCache != null && ownCodeFolder) {
      try {
        codeCache.deleteFolder();
      } catch (RuntimeException e) {
        log.debug("could not delete the shipped code cache", e);
      }
    }
    terminated.countDown();
    log.info("worker {} stopped", workerId == null ? options.name() : workerId);
  }

  @Override
  public String toString() {
    return "WorkerDaemon[" + (workerId == null ? options.name() : workerId) + "]";
  }
}
