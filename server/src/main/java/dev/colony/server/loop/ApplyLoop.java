package dev.colony.server.loop;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.colony.proto.v1.AnnounceNodeCommand;
import dev.colony.proto.v1.CallCommand;
import dev.colony.proto.v1.ClusterNodeInfo;
import dev.colony.proto.v1.Command;
import dev.colony.proto.v1.CommandBatch;
import dev.colony.proto.v1.CoreSnapshot;
import dev.colony.proto.v1.Output;
import dev.colony.proto.v1.RestartCommand;
import dev.colony.proto.v1.StatusResponse;
import dev.colony.proto.v1.TickCommand;
import dev.colony.server.core.CoordinatorCore;
import dev.colony.server.core.CoreOptions;
import dev.colony.server.core.CoreStats;
import dev.colony.server.core.Limits;
import dev.colony.server.core.ReadOnlyCalls;
import dev.colony.server.store.CommandLog;
import dev.colony.server.store.CommandLog.GroupView;
import dev.colony.server.store.NotLeaderException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's one apply loop. Transport threads only {@link #submit} commands (a
 * multi-producer queue); the loop's thread takes whatever is queued as a batch, stamps it once with
 * the clock, and appends it to the {@link CommandLog}. Once the batch is durable the log applies it
 * to the core, and the loop hands each output to the {@link Outlet} registered for its id. So time
 * enters the core only through the batch, outputs leave only after their batch is durable, and a
 * busy coordinator writes one log entry (and one sync) for many commands.
 *
 * <p>Time passing is a command too: when the core's earliest deadline comes and nothing else
 * arrives, the loop proposes a tick. Reads that change nothing ({@link #read}) run on the loop's
 * thread without a log entry.
 *
 * <p>Calls that only read ({@link ReadOnlyCalls}) are not logged either: the loop collects those it
 * takes with a batch and serves them together under the core's lock, once every batch appended
 * before them has been applied (so a read sees the writes sent before it on its stream, and every
 * write acknowledged before it was sent) and the log's {@link CommandLog#readIndex} confirms the
 * state is current (in a group: this node still leads, and has applied all that was committed when
 * the read arrived). A read the log cannot confirm while this node believes it leads is tried again
 * shortly; once it stops leading, its stream has ended and its client sends it to the leader.
 */
public final class ApplyLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApplyLoop.class);

  /** Most commands in one batch, and (roughly) most bytes, so one entry stays a sane size. */
  static final int MAX_BATCH_COMMANDS = 1024;

  static final int MAX_BATCH_BYTES = 8 << 20;

  /**
   * Batches appended and not yet applied, at most (or fewer, as the log asks): beyond this,
   * commands stay queued and go into the next batch once one is applied.
   */
  static final int MAX_BATCHES_IN_FLIGHT = 256;

  /** How long a read the log could not confirm waits before it is tried again. */
  private static final long READ_RETRY_MILLIS = 50;

  /** How long the loop sleeps at most when there is nothing to do and no deadline. */
  private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  // Replaced whole when the log restores a snapshot; read and applied only under coreLock.
  private volatile CoordinatorCore core;
  private final Limits limits;
  private final CoreOptions options;
  private final Object coreLock = new Object();
  private final CommandLog commandLog;
  private final LongSupplier clock;
  private final Queue<Object> inbox = new ConcurrentLinkedQueue<>();
  private final Map<Long, Outlet> outlets = new ConcurrentHashMap<>();
  private final AtomicLong ids;
  private final AtomicBoolean sleeping = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Semaphore inFlight;
  private final long startedAt;
  private final Thread thread;
  private volatile boolean running;

  // Whether this node's appends can succeed: always for a log of one node once it is open; for a
  // member of a group, while it leads. Transport refuses calls on a node that does not lead.
  private volatile boolean leading;
  private volatile String leaderId;
  private volatile Map<String, ClusterNodeInfo> clusterNodes = Map.of();
  private volatile long nextDeadline = Long.MAX_VALUE;
  private volatile Throwable failure;
  private final CompletableFuture<Throwable> failed = new CompletableFuture<>();
  private long lastStamp;
  private long tickedFor = Long.MIN_VALUE;

  // The batch this loop appended last, so an in-memory log (which applies it at once, on this
  // thread) need not parse what was just built; such a log is not even given its bytes (each of
  // its batches is appended as ByteString.EMPTY), since it keeps nothing.
  private ByteString appendedBytes;
  private CommandBatch appendedBatch;

  // The append of the batch this loop appended last (loop thread only): a read waits for it, so
  // it sees every command taken before it.
  private CompletableFuture<Void> lastAppend = CompletableFuture.completedFuture(null);

  /**
   * A loop over {@code core} with {@code commandLog}, stamping time as the wall clock at start-up
   * plus the time elapsed since on the monotonic clock: a wall clock stepped by NTP neither ends
   * every lease at once nor stops time, and a restart still continues from about where it was.
   */
  public ApplyLoop(CoordinatorCore core, CommandLog commandLog) {
    this(core, commandLog, elapsedSince(System.currentTimeMillis(), System.nanoTime()));
  }

  private static LongSupplier elapsedSince(long wallMillis, long nanos) {
    return () -> wallMillis + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }

  public ApplyLoop(CoordinatorCore core, CommandLog commandLog, LongSupplier clock) {
    this.core = core;
    // The core's settings until the log is replayed are this process's own; a replay may apply
    // those of earlier processes, until this one's restart command is applied.
    this.limits = core.limits();
    this.options = core.options();
    this.commandLog = commandLog;
    this.inFlight =
        new Semaphore(
            Math.max(1, Math.min(MAX_BATCHES_IN_FLIGHT, commandLog.appendsInFlightMax())));
    this.clock = clock;
    this.startedAt = clock.getAsLong();
    // Ids of this process start above any id of an earlier one, so outputs replayed from the
    // log for streams of a dead process can never reach a stream of this one.
    this.ids = new AtomicLong(startedAt << 16);
    this.thread = new Thread(this::run, "colony-apply");
    this.thread.setDaemon(true);
  }

  /** This process's limits (what the transport checks at the edge). */
  public Limits limits() {
    return limits;
  }

  /**
   * Replays the log into the core, tells the core it restarted (if the log held anything), and
   * starts the loop's thread.
   */
  public ApplyLoop start() {
    try {
      commandLog.open(new Applier());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the command log: " + e.getMessage(), e);
    }
    running = true;
    thread.start();
    return this;
  }

  /**
   * This node leads: it tells the core the coordinator started again (every stream of the earlier
   * leader, or of this node's earlier process, is gone; leases start afresh so their clients have a
   * whole lease to find this node), and its stream ids start above those of any earlier leader.
   */
  private void becameLeader() {
    ids.accumulateAndGet(clock.getAsLong() << 16, Math::max);
    GroupView group = commandLog.group();
    leaderId = group == null ? null : group.selfId();
    // Queued before calls are let in (leading), so it comes first in the log of this term.
    submit(
        Command.newBuilder()
            .setRestart(
                RestartCommand.newBuilder()
                    .setSettings(CoordinatorCore.settingsOf(limits, options)))
            .build());
    leading = true;
    if (group != null) {
      log.info("{} leads the group (term {})", group.selfId(), group.term());
    }
  }

  /**
   * Another node leads, or none is known: this node's streams end, so their clients go to the
   * leader; what they submitted here and the log now refuses they send again there, with the same
   * request ids.
   */
  private void becameFollower(String newLeader) {
    boolean wasLeading = leading;
    leading = false;
    leaderId = newLeader;
    if (wasLeading) {
      log.info(
          "no longer leading; {}",
          newLeader == null ? "an election is under way" : newLeader + " leads");
      NotLeader why = notLeader();
      for (Map.Entry<Long, Outlet> outlet : outlets.entrySet()) {
        outlets.remove(outlet.getKey());
        outlet.getValue().abandon(why);
      }
    }
  }

  /** True while this node's appends can succeed; calls are refused otherwise. */
  public boolean isLeading() {
    return leading;
  }

  /** Why this node cannot serve a call, naming the leader and where to reach it if known. */
  public NotLeader notLeader() {
    GroupView group = commandLog.group();
    String self = group == null ? "this coordinator" : group.selfId();
    String leader = leaderId;
    ClusterNodeInfo node = leader == null ? null : clusterNodes.get(leader);
    return new NotLeader(
        self,
        leader,
        node == null || node.getClientAddress().isEmpty() ? null : node.getClientAddress());
  }

  /**
   * Where the leader serves its dashboard (HOST:PORT), if this node does not lead and knows it;
   * else null.
   */
  public String leaderDashboard() {
    String leader = leaderId;
    ClusterNodeInfo node = leading || leader == null ? null : clusterNodes.get(leader);
    return node == null || node.getHttpAddress().isEmpty() ? null : node.getHttpAddress();
  }

  /**
   * Logs what this node says about itself (its client address, dashboard, pid) through the group's
   * leader, so every member can point clients at it once it leads. Nothing for a coordinator that
   * is not a member of a group.
   */
  public void announce(ClusterNodeInfo node) {
    if (commandLog.group() == null) {
      return;
    }
    CommandBatch batch =
        CommandBatch.newBuilder()
            .addCommands(
                Command.newBuilder()
                    .setAnnounceNode(AnnounceNodeCommand.newBuilder().setNode(node)))
            .build();
    commandLog
        .appendViaLeader(batch.toByteString())
        .whenComplete(
            (done, error) -> {
              if (error != null && running) {
                log.warn("could not announce {} to the group: {}", node.getId(), error.toString());
              }
            });
  }

  /**
   * Adds and removes members of the group (each added node started beforehand with the new group in
   * --peers); completes with the status once the group runs with them.
   */
  public CompletableFuture<StatusResponse> changeMembers(
      List<CommandLog.Member> add, List<String> remove) {
    return commandLog.changeMembers(add, remove).thenCompose(group -> status());
  }

  /** A fresh id for a stream or a unary call, unique across restarts of this coordinator. */
  public long newId() {
    return ids.incrementAndGet();
  }

  /**
   * Outputs addressed to {@code id} go to {@code outlet} from now on; on a node that does not lead
   * (any more) the outlet is abandoned at once.
   */
  public void register(long id, Outlet outlet) {
    outlets.put(id, outlet);
    // After the put: either becameFollower's sweep sees this outlet, or this sees it did not lead.
    if (!leading && outlets.remove(id) != null) {
      outlet.abandon(notLeader());
    }
  }

  public void unregister(long id) {
    outlets.remove(id);
  }

  /**
   * Queues a command for the next batch, or, for a call that only reads ({@link
   * ReadOnlyCalls#isRead}), to be served without the log. Thread-safe, never blocks.
   */
  public void submit(Command command) {
    inbox.add(ReadOnlyCalls.isRead(command) ? new CallRead(command.getCall()) : command);
    wake();
  }

  /** Runs a function that changes nothing over the core, on the loop's thread. */
  public <T> CompletableFuture<T> read(Function<CoordinatorCore, T> function) {
    Read<T> read = new Read<>(function);
    if (!running) {
      read.result.completeExceptionally(new IllegalStateException("the coordinator is stopped"));
      return read.result;
    }
    inbox.add(read);
    wake();
    return read.result;
  }

  /** Status for tools and the dashboard; with the group, for a member of one. */
  public CompletableFuture<StatusResponse> status() {
    return read(
        c -> {
          StatusResponse.Builder status =
              c.status().setUptimeMs(Math.max(0, clock.getAsLong() - startedAt));
          GroupView group = commandLog.group();
          if (group != null) {
            status.setCluster(ClusterStatusView.of(group, c.clusterNodes()));
          }
          return status.build();
        });
  }

  /** Counts for metrics. */
  public CompletableFuture<CoreStats> stats(int maxQueues) {
    return read(c -> c.stats(maxQueues));
  }

  /** Stops the loop; commands still queued are dropped, and the log is closed. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    running = false;
    LockSupport.unpark(thread);
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    commandLog.close();
    Object item;
    while ((item = inbox.poll()) != null) {
      if (item instanceof Read<?> read) {
        read.result.completeExceptionally(new IllegalStateException("the coordinator stopped"));
      }
    }
  }

  private void wake() {
    if (sleeping.get() && sleeping.compareAndSet(true, false)) {
      LockSupport.unpark(thread);
    }
  }

  private void run() {
    List<Command> commands = new ArrayList<>();
    List<Read<?>> reads = new ArrayList<>();
    List<CallCommand> callReads = new ArrayList<>();
    while (running) {
      int bytes = 0;
      // Room for one more batch in flight; without it, commands stay queued (and so does what
      // follows them, in order) and go out together once an append is applied (its release
      // wakes the loop): group commit across batches.
      boolean room = inFlight.tryAcquire();
      Object item;
      while (commands.size() < MAX_BATCH_COMMANDS
          && bytes < MAX_BATCH_BYTES
          && (item = inbox.peek()) != null) {
        if (item instanceof Command command) {
          if (!room) {
            break;
          }
          commands.add(command);
          bytes += command.getSerializedSize();
        } else if (item instanceof CallRead callRead) {
          callReads.add(callRead.command());
        } else {
          reads.add((Read<?>) item);
        }
        inbox.poll(); // the item peeked: this thread is the only one that takes
      }
      long now = stamp();
      long deadline = nextDeadline;
      // Only the leader proposes time. Commands are appended whoever leads: on a node that does
      // not lead (a call that raced its loss of leadership) the log refuses them, and their
      // senders, whose streams end, send them again to the leader.
      if (room && leading && commands.isEmpty() && now >= deadline && deadline != tickedFor) {
        tickedFor = deadline;
        commands.add(Command.newBuilder().setTick(TickCommand.getDefaultInstance()).build());
      }
      if (!commands.isEmpty()) {
        append(CommandBatch.newBuilder().setNowMs(now).addAllCommands(commands).build());
        commands.clear();
      } else if (room) {
        inFlight.release();
      }
      if (!callReads.isEmpty()) {
        serveReads(List.copyOf(callReads));
        callReads.clear();
      }
      for (Read<?> read : reads) {
        synchronized (coreLock) {
          read.run(core);
        }
      }
      reads.clear();
      if (!hasWork()) {
        sleepUntil(nextDeadline);
      }
    }
  }

  /** Whether the loop can take something now: a read, or a command with room for its batch. */
  private boolean hasWork() {
    Object head = inbox.peek();
    return head != null && (!(head instanceof Command) || inFlight.availablePermits() > 0);
  }

  private void sleepUntil(long deadline) {
    sleeping.set(true);
    // Checked after sleeping is set: an append applied (or a command queued) from here on wakes
    // the loop.
    if (hasWork() || !running) {
      sleeping.set(false);
      return;
    }
    long wait = IDLE_PARK_NANOS;
    // Only the leader proposes time: a member that does not lead has no deadline to wake for.
    // Nor does a loop without room for the tick's batch: the applied append wakes it.
    if (leading
        && deadline != Long.MAX_VALUE
        && deadline != tickedFor
        && inFlight.availablePermits() > 0) {
      wait = Math.min(wait, TimeUnit.MILLISECONDS.toNanos(Math.max(0, deadline - stamp())));
    }
    if (wait > 0) {
      LockSupport.parkNanos(this, wait);
    }
    sleeping.set(false);
  }

  /** The wall clock, never going backwards within this process. */
  private long stamp() {
    lastStamp = Math.max(lastStamp, clock.getAsLong());
    return lastStamp;
  }

  /**
   * Serves calls that only read, once every batch appended so far is applied and the log confirms
   * the state is current; on the loop's thread at once when both already hold (in-memory, or a log
   * of one node with nothing in flight).
   */
  private void serveReads(List<CallCommand> calls) {
    CompletableFuture<Void> applied = lastAppend;
    CompletableFuture<Void> confirmed;
    try {
      confirmed = commandLog.readIndex();
    } catch (RuntimeException e) {
      confirmed = CompletableFuture.failedFuture(e);
    }
    if (isDoneWell(applied) && isDoneWell(confirmed)) {
      runReads(calls);
      return;
    }
    applied
        .thenCombine(confirmed, (a, c) -> a)
        .whenComplete(
            (v, error) -> {
              if (error == null) {
                runReads(calls);
              } else {
                readsNotConfirmed(calls, error);
              }
            });
  }

  private static boolean isDoneWell(CompletableFuture<?> future) {
    return future.isDone() && !future.isCompletedExceptionally();
  }

  private void runReads(List<CallCommand> calls) {
    List<Output> outputs;
    synchronized (coreLock) {
      for (CallCommand call : calls) {
        core.read(call);
      }
      outputs = core.outbox().drain();
    }
    deliver(outputs);
  }

  /**
   * While this node believes it leads, reads are tried again shortly (Ratis may have been between
   * rounds); once it does not, its streams have ended and their clients send the reads to the
   * leader, so they are dropped here.
   */
  private void readsNotConfirmed(List<CallCommand> calls, Throwable error) {
    if (!running || !leading) {
      return;
    }
    log.debug("{} reads not confirmed, tried again: {}", calls.size(), error.toString());
    CompletableFuture.delayedExecutor(READ_RETRY_MILLIS, TimeUnit.MILLISECONDS)
        .execute(
            () -> {
              for (CallCommand call : calls) {
                inbox.add(new CallRead(call));
              }
              wake();
            });
  }

  /** Appends {@code batch}, holding one of {@link #inFlight}'s permits until it is applied. */
  private void append(CommandBatch batch) {
    ByteString bytes = commandLog.needsBytes() ? batch.toByteString() : ByteString.EMPTY;
    appendedBytes = bytes;
    appendedBatch = batch;
    CompletableFuture<Void> appended = commandLog.append(bytes);
    lastAppend = appended;
    appended.whenComplete(
        (applied, error) -> {
          inFlight.release();
          wake(); // commands may be waiting for the room

          if (error != null && running && !lostLeadership(error)) {
            fail(error);
          }
        });
  }

  /**
   * The batch was refused, or dropped, because this node stopped leading: its senders go to the new
   * leader, which may commit the batch or not, and send it again with the same request ids.
   */
  private boolean lostLeadership(Throwable error) {
    for (Throwable e = error; e != null; e = e.getCause()) {
      if (e instanceof NotLeaderException) {
        return true;
      }
    }
    return !leading;
  }

  /**
   * The log could not make a batch durable: the callers in it would wait forever, and later batches
   * would apply to a state missing it. Stop applying; the coordinator must be restarted.
   */
  private void fail(Throwable error) {
    if (failure == null) {
      failure = error;
      log.error("the command log failed; the coordinator stops applying commands", error);
      running = false;
      failed.complete(error);
    }
  }

  /**
   * Completes with the log's error if the loop stops because the log failed (it never completes
   * otherwise). Nothing more is applied then: the process should stop and be restarted, which
   * replays what the log made durable.
   */
  public CompletableFuture<Throwable> failed() {
    return failed.copy();
  }

  /** Applies durable batches to the core and delivers their outputs. */
  private final class Applier implements CommandLog.Applier {
    @Override
    public void apply(ByteString bytes) {
      CommandBatch batch;
      if (bytes == appendedBytes) {
        batch = appendedBatch;
      } else {
        try {
          batch = CommandBatch.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
          throw new IllegalStateException("the command log holds a batch that does not parse", e);
        }
      }
      List<Output> outputs;
      synchronized (coreLock) {
        core.apply(batch);
        outputs = core.outbox().drain();
        nextDeadline = core.nextDeadline();
        for (Command command : batch.getCommandsList()) {
          if (command.hasAnnounceNode()) {
            clusterNodes = Map.copyOf(core.clusterNodes());
            break;
          }
        }
      }
      deliver(outputs);
    }

    @Override
    public void leading() {
      becameLeader();
    }

    @Override
    public void following(String leaderId) {
      becameFollower(leaderId);
    }

    @Override
    public ByteString snapshot() {
      synchronized (coreLock) {
        return core.snapshot().toByteString();
      }
    }

    @Override
    public void restore(ByteString snapshot) {
      CoreSnapshot parsed;
      try {
        parsed = CoreSnapshot.parseFrom(snapshot);
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException("the snapshot in the command log does not parse", e);
      }
      synchronized (coreLock) {
        core = CoordinatorCore.restore(limits, options, parsed);
        nextDeadline = core.nextDeadline();
        clusterNodes = Map.copyOf(core.clusterNodes());
      }
    }
  }

  private void deliver(List<Output> outputs) {
    Outlet previous = null;
    Set<Outlet> delivered = null;
    for (Output output : outputs) {
      Outlet outlet = outlets.get(output.getTo());
      if (outlet == null) {
        continue; // a stream that has gone, or of an earlier process
      }
      if (outlet != previous) {
        if (delivered == null) {
          delivered = Collections.newSetFromMap(new IdentityHashMap<>());
        }
        delivered.add(outlet);
        previous = outlet;
      }
      try {
        outlet.deliver(output);
      } catch (RuntimeException e) {
        log.warn("delivering a {} output failed", output.getKindCase(), e);
      }
    }
    if (delivered != null) {
      for (Outlet outlet : delivered) {
        try {
          outlet.flush();
        } catch (RuntimeException e) {
          log.warn("flushing an outlet failed", e);
        }
      }
    }
    // A wake-up for the deadline the batch may have moved earlier.
    if (Thread.currentThread() != thread) {
      wake();
    }
  }

  /** A call that only reads, queued in the inbox in the order it came with the commands. */
  private record CallRead(CallCommand command) {}

  private static final class Read<T> {
    final Function<CoordinatorCore, T> function;
    final CompletableFuture<T> result = new CompletableFuture<>();

    Read(Function<CoordinatorCore, T> function) {
      this.function = function;
    }

    void run(CoordinatorCore core) {
      try {
        result.complete(function.apply(core));
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    }
  }
}
