package dev.colony.worker;

import dev.colony.client.ColonyChannels;
import dev.colony.client.ColonyClient;
import dev.colony.proto.v1.CodeFetchRequest;
import dev.colony.proto.v1.WorkerFrame;
import dev.colony.proto.v1.WorkerServiceGrpc;
import dev.colony.proto.v1.WorkerTaskResult;
import dev.colony.proto.v1.WorkerWelcome;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's link to the coordinator: the channel, the session its tasks' client uses, and the
 * current stream. It connects, reconnects with exponential backoff (100 ms to 5 s, with jitter),
 * heartbeats once welcomed, and sends frames on the current stream only. Its state is guarded by
 * the daemon's lock, which callers of the methods that say so hold.
 */
final class CoordinatorLink {
  private static final Logger log = LoggerFactory.getLogger(CoordinatorLink.class);
  private static final long DEFAULT_HEARTBEAT_MILLIS = 1_000;

  private final WorkerOptions options;
  private final Function<WorkerOptions, ColonyClient> clientFactory;
  private final CoordinatorStream.Listener listener;
  private final ScheduledExecutorService scheduler;
  private final String host;
  private final long pid;
  private final Object lock;
  private final BooleanSupplier shutdown;
  // Held while the session is replaced, so that tasks and the reconnect open one new session.
  private final Object sessionLock = new Object();
  private final Backoff backoff = new Backoff(() -> ThreadLocalRandom.current().nextDouble());

  // Guarded by lock.
  private ManagedChannel channel;
  private volatile ColonyClient client;
  private volatile long maxMessageBytes;
  private CoordinatorStream stream;
  private boolean welcomed;
  // The id the coordinator gave this worker last: sent again when joining, to resume it.
  private volatile String workerId;
  // Results of tasks that ended while there was no stream: each is a slot coming free.
  private final List<WorkerFrame> carried = new ArrayList<>();
  // Results sent on the current stream that the coordinator has not acknowledged yet, by task id;
  // if the stream breaks they are sent again on the next one (as resent: their slots came free on
  // the old one).
  private final Map<Long, WorkerFrame> unacknowledged = new LinkedHashMap<>();
  private final List<WorkerFrame> resend = new ArrayList<>();
  // Results for the current stream not yet written to it (each is also in unacknowledged), and
  // whether a thread is writing them (sendResults).
  private final List<WorkerTaskResult> outgoing = new ArrayList<>();
  private final AtomicBoolean sendingResults = new AtomicBoolean();
  // The ids of the tasks running here; called holding the lock.
  private final Supplier<List<Long>> running;
  private ScheduledFuture<?> heartbeat;
  private ScheduledFuture<?> reconnect;

  /**
   * @param shutdown whether the worker is shutting down; read with the lock held
   */
  CoordinatorLink(
      WorkerOptions options,
      Function<WorkerOptions, ColonyClient> clientFactory,
      CoordinatorStream.Listener listener,
      ScheduledExecutorService scheduler,
      String host,
      long pid,
      Object lock,
      BooleanSupplier shutdown,
      Supplier<List<Long>> running) {
    this.options = options;
    this.clientFactory = clientFactory;
    this.listener = listener;
    this.scheduler = scheduler;
    this.host = host;
    this.pid = pid;
    this.lock = lock;
    this.shutdown = shutdown;
    this.running = running;
  }

  /**
   * The session for tasks' clients, replaced first if the coordinator lost it; null before the
   * first join and while shutting down. If no new session can be opened, the lost one is returned:
   * its calls then say why.
   */
  ColonyClient client() {
    ColonyClient current = client;
    if (current == null || current.isUsable()) {
      return current;
    }
    try {
      return usableSession();
    } catch (RuntimeException e) {
      log.warn("cannot open a new session for tasks: {}", e.getMessage());
      return current;
    }
  }

  /**
   * The worker's session, opening one if there is none or the coordinator lost it (its lease ran
   * out, or a coordinator restarted without its data). A session outlives a broken stream: its
   * client re-attaches on its own, to a new leader too, so running tasks keep their locks and
   * queues. Null while shutting down.
   *
   * @throws RuntimeException if a new session cannot be opened
   */
  private ColonyClient usableSession() {
    synchronized (sessionLock) {
      ColonyClient current = client;
      if (current != null && current.isUsable()) {
        return current;
      }
      if (current != null) {
        Thread closer = new Thread(() -> closeQuietly(current), "colony-worker-session-close");
        closer.setDaemon(true);
        closer.start();
      }
      ColonyClient opened = clientFactory.apply(options);
      synchronized (lock) {
        if (shutdown.getAsBoolean()) {
          closeQuietly(opened);
          return null;
        }
        client = opened;
      }
      return opened;
    }
  }

  /**
   * A jar a client shipped, fetched from the coordinator by hash (blocking, up to a minute).
   *
   * @throws io.grpc.StatusRuntimeException what the coordinator or the channel said
   */
  byte[] fetchCode(String sha256) {
    ManagedChannel current;
    synchronized (lock) {
      current = channel;
    }
    if (current == null) {
      throw Status.UNAVAILABLE.withDescription("the worker is not connected").asRuntimeException();
    }
    return WorkerServiceGrpc.newBlockingStub(current)
        .withDeadlineAfter(60, TimeUnit.SECONDS)
        .withMaxInboundMessageSize(64 << 20)
        .fetchCode(CodeFetchRequest.newBuilder().setSha256(sha256).build())
        .getJar()
        .toByteArray();
  }

  /** The coordinator's message limit, as the latest session said; 0 before one opened. */
  long maxMessageBytes() {
    return maxMessageBytes;
  }

  /** Opens the channel and connects in the background; the caller holds the lock. */
  void start() {
    channel =
        // Keep-alive pings included: a coordinator host that vanished is noticed in seconds.
        ColonyChannels.build(ColonyChannels.newChannelBuilder(options.connection()));
    scheduler.execute(this::connect);
  }

  private void connect() {
    ColonyClient session;
    try {
      session = usableSession();
    } catch (RuntimeException e) {
      retryLater(Status.fromThrowable(e), "cannot open a session on " + options.coordinator(), e);
      return;
    }
    if (session == null) {
      return; // shutting down
    }
    maxMessageBytes = session.maxMessageBytes();
    CoordinatorStream opened = new CoordinatorStream(listener);
    List<Long> reporting = new ArrayList<>();
    synchronized (lock) {
      if (shutdown.getAsBoolean()) {
        return;
      }
      reconnect = null;
      stream = opened;
      welcomed = false;
      reporting.addAll(running.get());
      for (WorkerFrame result : resend) {
        reporting.add(result.getResult().getTaskId());
      }
      for (WorkerFrame result : carried) {
        reporting.add(result.getResult().getTaskId());
      }
    }
    opened.open(
        WorkerServiceGrpc.newStub(channel),
        WorkerFrames.hello(options, host, pid, session.sessionId(), workerId, reporting));
  }

  /**
   * Connects again after the backoff's next delay, unless the worker is shutting down, and logs one
   * line: {@code what} failed, why, and when the next attempt is. One line per attempt, with the
   * reason's message only, so a coordinator that is down for an hour fills no log with traces.
   */
  void retryLater(Status status, String what, Throwable why) {
    Duration delay = backoff.next(status.getCode());
    synchronized (lock) {
      if (shutdown.getAsBoolean()) {
        return;
      }
      reconnect = scheduler.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
    log.warn(
        "{} ({}); trying again in {} ms",
        what,
        why != null && why.getMessage() != null ? why.getMessage() : describe(status),
        delay.toMillis());
  }

  private static String describe(Status status) {
    return status.getDescription() == null
        ? status.getCode().toString()
        : status.getCode() + ": " + status.getDescription();
  }

  /** Whether {@code from} is the current stream; the caller holds the lock. */
  boolean isCurrent(CoordinatorStream from) {
    return from == stream;
  }

  /**
   * The coordinator welcomed the current stream: credit the free slots and start heartbeating. The
   * caller holds the lock.
   */
  void welcomed(WorkerWelcome welcome, int freeSlots) {
    CoordinatorStream current = stream;
    welcomed = true;
    workerId = welcome.getWorkerId();
    backoff.reset();
    for (WorkerFrame result : resend) {
      sendResult(result);
    }
    resend.clear();
    // Results of tasks that finished while there was no stream; each frees its slot as it lands.
    for (WorkerFrame result : carried) {
      sendResult(result);
    }
    int credit = freeSlots - carried.size();
    carried.clear();
    if (credit > 0) {
      current.send(WorkerFrames.credit(credit));
    }
    long interval =
        welcome.getHeartbeatIntervalMs() > 0
            ? welcome.getHeartbeatIntervalMs()
            : DEFAULT_HEARTBEAT_MILLIS;
    WorkerFrame beat = WorkerFrames.heartbeat();
    heartbeat =
        scheduler.scheduleAtFixedRate(
            () -> current.send(beat), interval, interval, TimeUnit.MILLISECONDS);
  }

  /**
   * Sends on the current stream once welcomed; false if there is none. The caller holds the lock.
   */
  boolean send(WorkerFrame frame) {
    if (stream != null && welcomed) {
      stream.send(frame);
      return true;
    }
    return false;
  }

  /**
   * Sends on {@code from} if it is the current, welcomed stream: a task's result goes only to the
   * stream the task came on. The caller holds the lock.
   */
  boolean sendOn(Object from, WorkerFrame frame) {
    return from == stream && send(frame);
  }

  /**
   * A task ended: its result goes to the current stream, even if the task came on one that broke
   * (the coordinator takes the first result of a task, from any stream, and counts the result as
   * the slot coming free). With no stream right now, it is carried until the next welcome. The
   * caller holds the lock.
   */
  void taskEnded(WorkerFrame result) {
    if (stream != null && welcomed) {
      unacknowledged.put(result.getResult().getTaskId(), result);
      outgoing.add(result.getResult());
    } else {
      carried.add(result);
    }
  }

  /**
   * Sends the results {@link #taskEnded} queued, in as few frames as they fit in. Called without
   * the lock, by the thread whose task ended: if another thread is writing results right now, it
   * returns at once and that thread sends these too once its frame is written, so results that end
   * together share a frame and no slot thread waits for another's write.
   */
  void sendResults() {
    while (sendingResults.compareAndSet(false, true)) {
      try {
        List<WorkerTaskResult> batch;
        CoordinatorStream target;
        synchronized (lock) {
          batch = List.copyOf(outgoing);
          outgoing.clear();
          target = stream;
        }
        if (target != null) {
          for (WorkerFrame frame : WorkerFrames.results(batch, maxMessageBytes)) {
            target.send(frame);
          }
        }
      } finally {
        sendingResults.set(false);
      }
      synchronized (lock) {
        if (outgoing.isEmpty()) {
          return;
        }
      }
    }
  }

  private void sendResult(WorkerFrame result) {
    unacknowledged.put(result.getResult().getTaskId(), result);
    stream.send(result);
  }

  /** The coordinator made these results durable: they need not be sent again. Lock held. */
  void acknowledged(Collection<Long> taskIds) {
    for (Long taskId : taskIds) {
      unacknowledged.remove(taskId);
    }
  }

  /** Whether every result sent has been acknowledged (or there is no stream). Lock held. */
  boolean allAcknowledged() {
    return unacknowledged.isEmpty() || stream == null;
  }

  /**
   * Forgets the current stream and stops heartbeating on it, returning it (null if none) for the
   * caller to close outside the lock. The caller holds the lock.
   */
  CoordinatorStream detach() {
    CoordinatorStream last = stream;
    stream = null;
    welcomed = false;
    for (WorkerFrame result : unacknowledged.values()) {
      resend.add(
          WorkerFrame.newBuilder()
              .setResult(result.getResult().toBuilder().setResent(true))
              .build());
    }
    unacknowledged.clear();
    // Moved to resend with the rest of unacknowledged.
    outgoing.clear();
    if (heartbeat != null) {
      heartbeat.cancel(false);
      heartbeat = null;
    }
    return last;
  }

  /** Stops a scheduled reconnect; the caller holds the lock. */
  void cancelReconnect() {
    if (reconnect != null) {
      reconnect.cancel(false);
      reconnect = null;
    }
  }

  /** Closes the session and the channel, waiting up to {@code wait} for the channel. */
  void close(Duration wait) {
    ColonyClient session = client;
    if (session != null) {
      closeQuietly(session);
    }
    channel.shutdown();
    try {
      if (!channel.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  static void closeQuietly(ColonyClient session) {
    try {
      session.close();
    } catch (RuntimeException e) {
      log.debug("closing the worker's session failed", e);
    }
  }
}
