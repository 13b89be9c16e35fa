package dev.colony.worker;

import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyOptions;
import dev.colony.proto.v1.CoordinatorFrame;
import dev.colony.proto.v1.TaskAssignment;
import dev.colony.proto.v1.WorkerCredit;
import dev.colony.proto.v1.WorkerDrain;
import dev.colony.proto.v1.WorkerFrame;
import dev.colony.proto.v1.WorkerHeartbeat;
import dev.colony.proto.v1.WorkerHello;
import dev.colony.proto.v1.WorkerServiceGrpc;
import dev.colony.proto.v1.WorkerTaskResult;
import dev.colony.proto.v1.WorkerWelcome;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
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
 * <p>Lifecycle as an {@code ExecutorService}: {@link #shutdown()} drains (no new tasks; running
 * ones get the drain grace period, then they are interrupted and handed back to the coordinator),
 * {@link #shutdownNow()} hands running tasks back at once.
 */
public final class WorkerDaemon {
  private static final Logger log = LoggerFactory.getLogger(WorkerDaemon.class);
  private static final long DEFAULT_HEARTBEAT_MILLIS = 1_000;
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  private final WorkerOptions options;
  private final Function<WorkerOptions, ColonyClient> clientFactory;
  private final String host = WorkerIdentity.localHost();
  private final long pid = WorkerIdentity.localPid();
  private final ScheduledExecutorService scheduler;
  private final ExecutorService slotExecutor;
  private final TaskRunner runner;
  private final Backoff backoff = new Backoff(() -> ThreadLocalRandom.current().nextDouble());
  private final CompletableFuture<String> joined = new CompletableFuture<>();
  private final CountDownLatch terminated = new CountDownLatch(1);
  private final CoordinatorStream.Listener listener = new StreamListener();

  private final Object lock = new Object();
  // Guarded by lock.
  private boolean started;
  private boolean shutdown;
  private boolean stopNow;
  private ManagedChannel channel;
  private volatile ColonyClient client;
  private CoordinatorStream stream;
  private boolean welcomed;
  private volatile String workerId;
  private final Set<RunningTask> running = new LinkedHashSet<>();
  private ScheduledFuture<?> heartbeat;
  private ScheduledFuture<?> reconnect;

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
    this.clientFactory = clientFactory;
    TaskRegistry registry = TaskRegistry.create(options.taskJars());
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "colony-worker-scheduler");
              thread.setDaemon(true);
              return thread;
            });
    this.slotExecutor = TaskThreads.newExecutor(options.slots(), options.virtualThreads());
    this.runner = new TaskRunner(registry, scheduler, () -> new WorkerIdentity(host, pid, client));
  }

  private static ColonyClient connectClient(WorkerOptions options) {
    return Colony.connect(
        ColonyOptions.newBuilder()
            .setTarget(options.coordinator())
            .setClientName("colony-worker " + options.name())
            .build());
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
      channel = ManagedChannelBuilder.forTarget(options.coordinator()).usePlaintext().build();
    }
    scheduler.execute(this::connect);
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

  // ---- connecting -----------------------------------------------------------------------

  private void connect() {
    ColonyClient session = client;
    if (session == null) {
      try {
        session = clientFactory.apply(options);
      } catch (RuntimeException e) {
        log.warn("cannot open a session on {}: {}", options.coordinator(), e.getMessage());
        retryLater(Status.fromThrowable(e));
        return;
      }
      synchronized (lock) {
        if (shutdown) {
          closeQuietly(session);
          return;
        }
        client = session;
      }
    }
    CoordinatorStream opened = new CoordinatorStream(listener);
    synchronized (lock) {
      if (shutdown) {
        return;
      }
      reconnect = null;
      stream = opened;
      welcomed = false;
    }
    WorkerHello hello =
        WorkerHello.newBuilder()
            .setName(options.name())
            .setHost(host)
            .setPid(pid)
            .setSlots(options.slots())
            .setSessionId(session.sessionId())
            .build();
    opened.open(
        WorkerServiceGrpc.newStub(channel), WorkerFrame.newBuilder().setHello(hello).build());
  }

  private void retryLater(Status status) {
    Duration delay = backoff.next(status.getCode());
    synchronized (lock) {
      if (shutdown) {
        return;
      }
      reconnect = scheduler.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
    log.info("reconnecting to {} in {} ms", options.coordinator(), delay.toMillis());
  }

  private final class StreamListener implements CoordinatorStream.Listener {
    @Override
    public void onFrame(CoordinatorStream from, CoordinatorFrame frame) {
      switch (frame.getKindCase()) {
        case WELCOME -> welcome(from, frame.getWelcome());
        case TASK -> assign(from, frame.getTask());
        case ABORT -> abort(from, frame.getAbort().getTaskId());
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
      if (from != stream) {
        return;
      }
      if (shutdown) {
        stream = null;
        from.close();
        lock.notifyAll();
        return;
      }
      welcomed = true;
      workerId = welcome.getWorkerId();
      backoff.reset();
      // Tasks of an earlier stream may still be finishing; their slots are credited as they end.
      int free = options.slots() - running.size();
      if (free > 0) {
        from.send(credit(free));
      }
      long interval =
          welcome.getHeartbeatIntervalMs() > 0
              ? welcome.getHeartbeatIntervalMs()
              : DEFAULT_HEARTBEAT_MILLIS;
      WorkerFrame beat =
          WorkerFrame.newBuilder().setHeartbeat(WorkerHeartbeat.getDefaultInstance()).build();
      heartbeat =
          scheduler.scheduleAtFixedRate(
              () -> from.send(beat), interval, interval, TimeUnit.MILLISECONDS);
    }
    log.info(
        "worker {} joined {} with {} slots",
        welcome.getWorkerId(),
        options.coordinator(),
        options.slots());
    joined.complete(welcome.getWorkerId());
  }

  private void assign(CoordinatorStream from, TaskAssignment assignment) {
    RunningTask task = new RunningTask(assignment, from, workerId);
    synchronized (lock) {
      if (from != stream) {
        return; // the coordinator re-queued it when that stream broke
      }
      if (shutdown) {
        // Sent before the coordinator saw our drain: hand it straight back.
        task.claimReport();
        from.send(
            result(TaskRunner.stopped(builderFor(task), task, RunningTask.Stop.INTERRUPTED, null)));
        return;
      }
      running.add(task);
    }
    try {
      slotExecutor.execute(() -> report(task, runner.run(task)));
    } catch (RejectedExecutionException e) {
      task.stop(RunningTask.Stop.INTERRUPTED);
      report(task, TaskRunner.stopped(builderFor(task), task, RunningTask.Stop.INTERRUPTED, null));
    }
  }

  private void abort(CoordinatorStream from, long taskId) {
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

  /** A task ended (or was handed back): its result goes to the stream it came on. */
  private void report(RunningTask task, WorkerTaskResult outcome) {
    synchronized (lock) {
      running.remove(task);
      if (task.claimReport() && stream != null && welcomed) {
        if (task.stream() == stream) {
          stream.send(result(outcome));
        } else {
          // From a stream that broke: its result is moot, but its slot is free on this one.
          stream.send(credit(1));
        }
      }
      lock.notifyAll();
    }
  }

  private void streamEnded(CoordinatorStream from, Status status) {
    List<RunningTask> orphans = new ArrayList<>();
    ColonyClient retired = null;
    synchronized (lock) {
      if (from != stream) {
        return;
      }
      stream = null;
      welcomed = false;
      if (heartbeat != null) {
        heartbeat.cancel(false);
        heartbeat = null;
      }
      for (RunningTask task : running) {
        if (task.stream() == from) {
          orphans.add(task);
        }
      }
      // Its session may have died with the stream (a restarted coordinator knows neither); the
      // next join opens a fresh one. Abandoned tasks' locks are released with the old one.
      if (!shutdown) {
        retired = client;
        client = null;
      }
      lock.notifyAll();
    }
    if (retired != null) {
      ColonyClient old = retired;
      Thread closer = new Thread(() -> closeQuietly(old), "colony-worker-session-close");
      closer.setDaemon(true);
      closer.start();
    }
    // The coordinator runs them again; stop wasting slots on them here.
    for (RunningTask task : orphans) {
      task.stop(RunningTask.Stop.INTERRUPTED);
    }
    if (isShutdown()) {
      return;
    }
    log.warn(
        "lost the coordinator {} ({}: {}); {} running tasks dropped",
        options.coordinator(),
        status.getCode(),
        status.getDescription(),
        orphans.size());
    retryLater(status);
  }

  // ---- shutting down --------------------------------------------------------------------

  private void beginShutdown(boolean now) {
    synchronized (lock) {
      stopNow |= now;
      lock.notifyAll();
      if (shutdown) {
        return;
      }
      shutdown = true;
      if (reconnect != null) {
        reconnect.cancel(false);
        reconnect = null;
      }
      if (!started) {
        terminate();
        return;
      }
      if (stream != null && welcomed) {
        stream.send(WorkerFrame.newBuilder().setDrain(WorkerDrain.getDefaultInstance()).build());
      }
    }
    Thread drainer = new Thread(this::drain, "colony-worker-drain");
    drainer.start();
  }

  private void drain() {
    long deadline = System.nanoTime() + options.drainGrace().toNanos();
    CoordinatorStream last;
    synchronized (lock) {
      try {
        while (!running.isEmpty() && !stopNow) {
          long remaining = deadline - System.nanoTime();
          if (remaining <= 0) {
            break;
          }
          lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (!running.isEmpty()) {
        log.info("handing {} unfinished tasks back to the coordinator", running.size());
      }
      // Hand the rest back now rather than when (if ever) their threads notice the interrupt.
      for (RunningTask task : running) {
        task.stop(RunningTask.Stop.INTERRUPTED);
        if (task.claimReport() && task.stream() == stream && welcomed) {
          stream.send(
              result(
                  TaskRunner.stopped(builderFor(task), task, RunningTask.Stop.INTERRUPTED, null)));
        }
      }
      last = stream;
      stream = null;
      if (heartbeat != null) {
        heartbeat.cancel(false);
      }
    }
    if (last != null) {
      last.close();
    }
    slotExecutor.shutdownNow();
    try {
      if (!slotExecutor.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("some tasks ignore interrupts; leaving their threads behind");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ColonyClient session = client;
    if (session != null) {
      closeQuietly(session);
    }
    channel.shutdown();
    try {
      if (!channel.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
    terminate();
  }

  private void terminate() {
    scheduler.shutdownNow();
    slotExecutor.shutdownNow();
    joined.completeExceptionally(new CancellationException("the worker shut down before joining"));
    terminated.countDown();
    log.info("worker {} stopped", workerId == null ? options.name() : workerId);
  }

  private static void closeQuietly(ColonyClient session) {
    try {
      session.close();
    } catch (RuntimeException e) {
      log.debug("closing the worker's session failed", e);
    }
  }

  private static WorkerTaskResult.Builder builderFor(RunningTask task) {
    return WorkerTaskResult.newBuilder()
        .setTaskId(task.assignment().getTaskId())
        .setAttempt(task.assignment().getAttempt());
  }

  private static WorkerFrame result(WorkerTaskResult result) {
    return WorkerFrame.newBuilder().setResult(result).build();
  }

  private static WorkerFrame credit(int slots) {
    return WorkerFrame.newBuilder().setCredit(WorkerCredit.newBuilder().setSlots(slots)).build();
  }

  @Override
  public String toString() {
    return "WorkerDaemon[" + (workerId == null ? options.name() : workerId) + "]";
  }
}
