package dev.colony.server.core;

import dev.colony.proto.v1.AttachCommand;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.CallCommand;
import dev.colony.proto.v1.CancelCommand;
import dev.colony.proto.v1.CloseSessionCommand;
import dev.colony.proto.v1.ClusterNodeInfo;
import dev.colony.proto.v1.Command;
import dev.colony.proto.v1.CommandBatch;
import dev.colony.proto.v1.CoreSettings;
import dev.colony.proto.v1.CoreSnapshot;
import dev.colony.proto.v1.DetachCommand;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.KeepAliveCommand;
import dev.colony.proto.v1.ObjectInfo;
import dev.colony.proto.v1.OpenSessionCommand;
import dev.colony.proto.v1.Reply;
import dev.colony.proto.v1.RestartCommand;
import dev.colony.proto.v1.SessionOpenRequest;
import dev.colony.proto.v1.SessionOpenResponse;
import dev.colony.proto.v1.SessionSnapshot;
import dev.colony.proto.v1.StatusResponse;
import dev.colony.proto.v1.TimerSnapshot;
import dev.colony.proto.v1.WorkerFrame;
import dev.colony.proto.v1.WorkerTaskResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's state machine. It owns every session, shared object and task, and changes only
 * by {@link #apply applying} commands, one at a time on one thread. Time enters only as the time a
 * batch is stamped with; randomness and streams never enter: what applying a command produces is a
 * list of outputs in the {@link Outbox}, addressed by the transport's ids. So the same batches
 * applied to an empty core give the same state and the same outputs, which is what the log replays
 * and what replicas agree on. Not thread-safe: the apply loop owns it.
 */
public final class CoordinatorCore {
  private static final Logger log = LoggerFactory.getLogger(CoordinatorCore.class);

  private final Settings settings;
  private final Timers timers = new Timers();
  private final Outbox outbox = new Outbox();
  private final ObjectRegistry objects;
  private final Map<String, Session> sessions = new LinkedHashMap<>();
  private final TaskBoard tasks;
  private final DeadlockDetector deadlocks;
  private final CallHandlers handlers;
  private final RetryCaches retryCaches;

  /** Members of a replicated group as they announced themselves, by node id, in id order. */
  private final Map<String, ClusterNodeInfo> clusterNodes = new java.util.TreeMap<>();

  private long now;

  public CoordinatorCore(Limits limits) {
    this(limits, CoreOptions.defaults());
  }

  public CoordinatorCore(Limits limits, CoreOptions options) {
    this.settings = new Settings(limits, options);
    this.deadlocks = new DeadlockDetector(settings);
    CoreEnv env = new CoreEnv(settings, timers, deadlocks, outbox);
    this.objects = new ObjectRegistry(env);
    this.tasks = new TaskBoard(env, timers);
    this.handlers = new CallHandlers(objects, tasks);
    this.retryCaches = new RetryCaches(settings);
  }

  /** The limits commands are applied under now (see {@link Settings}). */
  public Limits limits() {
    return settings.limits();
  }

  public CoreOptions options() {
    return settings.options();
  }

  /** What a {@link RestartCommand} of a process with these limits and options carries. */
  public static CoreSettings settingsOf(Limits limits, CoreOptions options) {
    return Settings.toProto(limits, options);
  }

  /** The outputs of everything applied since they were last drained. */
  public Outbox outbox() {
    return outbox;
  }

  /** The core's time: that of the latest batch, never going backwards. */
  public long now() {
    return now;
  }

  /** The earliest deadline still pending (a lease, a waiter's timeout, a heartbeat), or never. */
  public long nextDeadline() {
    return timers.next();
  }

  /** Applies every command of a batch at the batch's time. */
  public void apply(CommandBatch batch) {
    advanceTo(batch.getNowMs());
    for (Command command : batch.getCommandsList()) {
      apply(command);
    }
  }

  private void advanceTo(long nowMillis) {
    now = Math.max(now, nowMillis);
  }

  /**
   * Applies one command at the core's current time. Deadlines that passed fire first: a timed-out
   * waiter must not be served by this command, nor an expired session renewed by it.
   */
  void apply(Command command) {
    try {
      if (command.getKindCase() != Command.KindCase.RESTART) {
        // A restart comes first: leases that ran out while the coordinator was down start again.
        timers.fireDue(now);
      }
      switch (command.getKindCase()) {
        case OPEN_SESSION -> open(command.getOpenSession());
        case CLOSE_SESSION -> close(command.getCloseSession());
        case ATTACH -> attach(command.getAttach());
        case DETACH -> detach(command.getDetach());
        case KEEP_ALIVE -> keepAlive(command.getKeepAlive());
        case CALL -> call(command.getCall());
        case CANCEL -> cancel(command.getCancel());
        case WORKER_JOIN ->
            tasks.join(
                command.getWorkerJoin().getHello(),
                command.getWorkerJoin().getPrincipal(),
                command.getWorkerJoin().getStreamId(),
                now);
        case WORKER_FRAME ->
            workerFrame(
                command.getWorkerFrame().getStreamId(), command.getWorkerFrame().getFrame());
        case WORKER_LEAVE -> {
          String workerId = tasks.workerOn(command.getWorkerLeave().getStreamId());
          if (workerId != null) {
            tasks.lost(workerId, command.getWorkerLeave().getWhy(), now);
          }
        }
        case TICK, KIND_NOT_SET -> {}
        case RESTART -> restart(command.getRestart());
        case ANNOUNCE_NODE ->
            clusterNodes.put(
                command.getAnnounceNode().getNode().getId(), command.getAnnounceNode().getNode());
      }
    } catch (RuntimeException e) {
      // A bug, not bad input (that is refused before it becomes a command): keep applying the
      // rest, so one bad command cannot stop the coordinator or make a replay diverge.
      log.error("applying a {} command failed", command.getKindCase(), e);
    }
  }

  // ---- sessions -------------------------------------------------------------------------

  private void open(OpenSessionCommand command) {
    long replyTo = command.getReplyTo();
    CoreException overLimit = SessionQuota.check(sessions.values(), command, settings.limits());
    if (overLimit != null) {
      outbox.failed(replyTo, overLimit.toFailure());
      return;
    }
    SessionOpenRequest request = command.getRequest();
    long ttl =
        request.getTtlMs() == 0 ? settings.limits().defaultSessionTtlMillis() : request.getTtlMs();
    String sessionId = command.getSessionId();
    Session session =
        new Session(
            sessionId,
            command.getOwner(),
            command.getClientAddress(),
            request.getClientName(),
            request.getHost(),
            request.getPid(),
            ttl,
            now);
    session.boundBy(retryCaches);
    sessions.put(sessionId, session);
    timers.schedule(new Lease(session), session.expiresAt);
    log.debug(
        "session {} opened by {} on {} pid {}",
        session.label,
        session.clientName,
        session.host,
        session.pid);
    outbox.opened(
        replyTo,
        SessionOpenResponse.newBuilder()
            .setSessionId(sessionId)
            .setTtlMs(ttl)
            .setSessionLabel(session.label)
            .build());
  }

  private void close(CloseSessionCommand command) {
    Session session = sessions.get(command.getSessionId());
    if (session != null && !command.getAnyOwner() && !session.isOwnedBy(command.getPrincipal())) {
      outbox.failed(command.getReplyTo(), CoreException.notSessionOwner(session.label).toFailure());
      return;
    }
    if (session != null) {
      endSession(session, "closed", false);
    }
    outbox.done(command.getReplyTo());
  }

  private void keepAlive(KeepAliveCommand command) {
    Session session = sessions.get(command.getSessionId());
    if (session != null && !session.isOwnedBy(command.getPrincipal())) {
      if (command.getEcho() != 0) {
        outbox.failed(
            command.getStreamId(), CoreException.notSessionOwner(session.label).toFailure());
      }
    } else if (session != null) {
      session.renew(now);
      if (command.getEcho() != 0) {
        outbox.keepAliveAck(command.getStreamId(), command.getEcho());
      }
    } else if (command.getEcho() != 0) {
      // The client wants to know its lease holds: it does not, and the stream is of no use.
      outbox.failed(command.getStreamId(), unknownSession(command.getSessionId()).toFailure());
    }
  }

  private void attach(AttachCommand command) {
    Session session = sessions.get(command.getSessionId());
    if (session == null) {
      outbox.failed(command.getStreamId(), unknownSession(command.getSessionId()).toFailure());
      return;
    }
    if (!session.isOwnedBy(command.getPrincipal())) {
      outbox.failed(
          command.getStreamId(), CoreException.notSessionOwner(session.label).toFailure());
      return;
    }
    session.attachedStreams++;
    session.renew(now);
  }

  /**
   * A stream is gone: its blocked calls are withdrawn (nothing may be handed to a caller that
   * cannot receive it; a client that reconnects sends them again). What the session holds stays
   * until its lease runs out. The stream may then complete.
   */
  private void detach(DetachCommand command) {
    Session session = sessions.get(command.getSessionId());
    long streamId = command.getStreamId();
    // A stream refused at attach never counted: only the owner's streams are detached.
    if (session != null && session.isOwnedBy(command.getPrincipal())) {
      session.attachedStreams = Math.max(0, session.attachedStreams - 1);
      for (Waiter waiter : new ArrayList<>(session.pending.values())) {
        if (waiter.call.streamId() == streamId) {
          waiter.cancel(CoreException.cancelled("the caller's stream closed"));
        }
      }
    }
    outbox.done(streamId);
  }

  /**
   * The session {@code command} calls on, or null when it is unknown or another principal's (the
   * failure is then the call's reply). Checked before the retry cache: another's results are not
   * ours to see either.
   */
  private Session callerSession(CallCommand command) {
    Session session = sessions.get(command.getSessionId());
    CoreException refusal =
        session == null
            ? unknownSession(command.getSessionId())
            : session.isOwnedBy(command.getPrincipal())
                ? null
                : CoreException.notSessionOwner(session.label);
    if (refusal != null) {
      outbox.reply(command.getStreamId(), failure(command.getCall().getId(), refusal));
      return null;
    }
    return session;
  }

  private void call(CallCommand command) {
    Call call = command.getCall();
    long streamId = command.getStreamId();
    Session session = callerSession(command);
    if (session == null) {
      return;
    }
    session.renew(now);
    session.forgetBelow(call.getRepliedBelow());
    Reply remembered = session.remembered(call.getId());
    if (remembered != null) {
      // Sent again (a reconnect or a lost reply): the first result, not a second application.
      if (!call.getOneWay() || remembered.hasFailure()) {
        outbox.reply(streamId, remembered);
      }
      return;
    }
    Waiter blocked = session.pending.get(call.getId());
    if (blocked != null) {
      // Sent again while still blocked: it goes on waiting and answers where it was sent last.
      blocked.call.readdress(streamId);
      return;
    }
    if (session.forgot(call.getId())) {
      // Applied once already and its reply forgotten: applying it again could take a second item
      // or add twice, so the caller learns it cannot know the first result instead.
      outbox.reply(streamId, failure(call.getId(), retryExpired(session, call.getId())));
      return;
    }
    dispatch(
        new CallContext(session, call.getId(), call.getOneWay(), streamId, outbox, now),
        call,
        "call");
  }

  /** Runs {@code call}'s handler; a failure becomes the call's reply, never the loop's problem. */
  private void dispatch(CallContext ctx, Call call, String what) {
    try {
      handlers.dispatch(ctx, call);
    } catch (CoreException e) {
      ctx.fail(e);
    } catch (RuntimeException e) {
      log.error("{} {} failed unexpectedly", what, call.getOpCase(), e);
      ctx.fail(
          new CoreException(
              CoreException.Code.INTERNAL,
              ErrorReason.ERROR_REASON_UNSPECIFIED,
              "internal error: " + e));
    }
  }

  /**
   * Serves a call that only reads ({@link ReadOnlyCalls#isRead}) at the state as applied so far:
   * its reply goes to the outbox, and nothing else changes (no lease renewal, no retry cache entry,
   * no deadline fired; those wait for the next command through the log).
   */
  public void read(CallCommand command) {
    Call call = command.getCall();
    if (!ReadOnlyCalls.ops().contains(call.getOpCase()) || call.getOneWay()) {
      throw new IllegalArgumentException("not a read: " + call.getOpCase());
    }
    long streamId = command.getStreamId();
    Session session = callerSession(command);
    if (session == null) {
      return;
    }
    dispatch(
        new CallContext(session, call.getId(), false, streamId, outbox, now, true), call, "read");
  }

  /** Withdraws a blocked call; a call that was already served is left alone. */
  private void cancel(CancelCommand command) {
    Session session = sessions.get(command.getSessionId());
    if (session == null || !session.isOwnedBy(command.getPrincipal())) {
      return;
    }
    session.renew(now);
    Waiter waiter = session.pending.get(command.getCallId());
    if (waiter != null) {
      waiter.cancel(CoreException.cancelled("cancelled by the caller"));
    }
  }

  private void workerFrame(long streamId, WorkerFrame frame) {
    String workerId = tasks.workerOn(streamId);
    if (workerId == null) {
      return;
    }
    switch (frame.getKindCase()) {
      case CREDIT -> tasks.credit(workerId, frame.getCredit().getSlots(), now);
      case RESULT -> tasks.result(workerId, frame.getResult(), now);
      case RESULTS -> {
        for (WorkerTaskResult result : frame.getResults().getResultsList()) {
          tasks.result(workerId, result, now);
        }
      }
      case HEARTBEAT -> tasks.heartbeat(workerId, now);
      case DRAIN -> tasks.drain(workerId, now);
      case EXIT -> tasks.exited(workerId, frame.getExit().getReason(), now);
      case HELLO, KIND_NOT_SET -> {}
    }
  }

  /**
   * The coordinator started again on this state: every stream of the old process is gone, so
   * blocked calls are withdrawn (clients send them again when they reconnect), workers are
   * forgotten (their tasks are queued again), and every lease starts afresh, so clients have a
   * whole lease to find the coordinator again.
   */
  private void restart(RestartCommand restart) {
    settings.apply(restart.getSettings());
    for (Session session : sessions.values()) {
      session.attachedStreams = 0;
      for (Waiter waiter : new ArrayList<>(session.pending.values())) {
        waiter.cancel(CoreException.cancelled("the coordinator restarted"));
      }
      session.restartLease(now);
    }
    tasks.detachAll(now);
  }

  private static CoreException unknownSession(String sessionId) {
    return CoreException.notFound(
        ErrorReason.SESSION_NOT_FOUND,
        "session '" + sessionId + "' does not exist or has expired; open a new session");
  }

  private CoreException retryExpired(Session session, long callId) {
    return new CoreException(
        CoreException.Code.FAILED_PRECONDITION,
        ErrorReason.RETRY_EXPIRED,
        "call "
            + callId
            + " was sent again, but session "
            + session.label
            + " no longer remembers its first reply (a session's retry cache keeps its latest "
            + Session.RETRY_WINDOW
            + " replies and at most "
            + settings.limits().maxRetryBytesPerSession()
            + " bytes, --max-retry-bytes-per-session; all sessions together at most "
            + settings.limits().maxRetryBytes()
            + ", --max-retry-bytes): it was not applied again; check what it changed before"
            + " repeating it");
  }

  private static Reply failure(long callId, CoreException e) {
    return Reply.newBuilder().setId(callId).setFailure(e.toFailure()).build();
  }

  private void endSession(Session session, String why, boolean expired) {
    session.ended = true;
    sessions.remove(session.id);
    session.forgetAll();
    for (Waiter waiter : new ArrayList<>(session.pending.values())) {
      waiter.cancel(CoreException.cancelled("session " + why));
    }
    if (session.submittedTasks) {
      tasks.submitterEnded(session, now);
    }
    for (SharedObject object : new ArrayList<>(session.holdings)) {
      object.releaseSession(session);
    }
    session.holdings.clear();
    // A clean close is routine; an expiry means a client vanished while holding things.
    if (expired) {
      log.info(
          "session {} ({} on {} pid {}) {}",
          session.label,
          session.clientName,
          session.host,
          session.pid,
          why);
    } else {
      log.debug("session {} {}", session.label, why);
    }
  }

  /** Checks a session's lease when its deadline comes; renewals only move the deadline. */
  private final class Lease extends Timed {
    private final Session session;

    Lease(Session session) {
      this.session = session;
    }

    @Override
    protected boolean isLive() {
      return !session.ended;
    }

    @Override
    protected void fire(long now) {
      if (now >= session.expiresAt) {
        endSession(session, "expired (no keep-alive for " + session.ttlMillis + " ms)", true);
      } else {
        timers.schedule(this, session.expiresAt);
      }
    }
  }

  // ---- reads ----------------------------------------------------------------------------

  /**
   * Workers, objects, task counts, sessions, current deadlocks and recent task failures, for status
   * tools and the dashboard. Changes nothing.
   */
  public StatusResponse.Builder status() {
    StatusResponse.Builder status =
        tasks
            .status(now)
            .addAllObjects(objects.list())
            .setSessions(sessions.size())
            .setStoredBytes(storedBytes())
            .setMaxStoredBytes(settings.limits().maxStoredBytes())
            .setRetryCacheBytes(retryCaches.bytes())
            .setMaxRetryBytes(settings.limits().maxRetryBytes());
    for (DeadlockDetector.Cycle cycle : deadlocks.current()) {
      status.addDeadlocks(cycle.toProto(now));
    }
    return status;
  }

  /**
   * Counts for metrics, cheaper than {@link #status()}: no per-object summaries, and only the
   * {@code maxQueues} longest queues by name.
   */
  public CoreStats stats(int maxQueues) {
    int waiters = 0;
    for (Session session : sessions.values()) {
      waiters += session.pending.size();
    }
    return new CoreStats(
        sessions.size(),
        objects.size(),
        waiters,
        objects.longestQueues(maxQueues),
        tasks.queuedCount(),
        tasks.runningCount(),
        tasks.succeededCount(),
        tasks.failedCount(),
        tasks.workerCount(),
        deadlocks.current().size(),
        deadlocks.detectedCount(),
        storedBytes(),
        retryCaches.bytes());
  }

  /** Bytes stored in all objects and tasks, as the limits count them. */
  /**
   * A jar shipped by a client, or null. Read-only: call it on the apply thread (ApplyLoop.read).
   */
  public com.google.protobuf.ByteString codeJar(String sha256) {
    return tasks.code().jar(sha256);
  }

  public long storedBytes() {
    return objects.env().storedBytes();
  }

  /** Bytes all sessions' retry caches hold, as the limits count them. */
  public long retryCacheBytes() {
    return retryCaches.bytes();
  }

  /**
   * A fingerprint of the whole state: the SHA-256 of the {@link #snapshot()}, in hex. Two cores
   * that applied the same batches, or one restored from the other's snapshot, have the same digest.
   */
  public String digest() {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256").digest(snapshot().toByteArray()));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  // ---- snapshots ------------------------------------------------------------------------

  /**
   * The whole state, for the log's snapshots (see snapshot.proto). Take it between batches, once
   * the outbox is drained: outputs are not state. Changes nothing.
   */
  public CoreSnapshot snapshot() {
    SnapshotWriter writer = new SnapshotWriter(sessions, objects);
    CoreSnapshot.Builder snapshot =
        CoreSnapshot.newBuilder()
            .setNowMs(now)
            .setNextDeliveryId(objects.env().peekNextDeliveryId())
            .setNextTimerSeq(timers.nextSeq())
            .setSettings(settings.toProto())
            .addAllClusterNodes(clusterNodes.values())
            .addAllCodeJars(tasks.code().toSnapshot());
    for (Session session : sessions.values()) {
      snapshot.addSessions(session.toSnapshot());
    }
    snapshot
        .addAllObjects(objects.toSnapshot(writer))
        .setTasks(tasks.toSnapshot(writer))
        .setDeadlocks(deadlocks.toSnapshot(writer));
    for (Timed timed : timers.liveInOrder()) {
      TimerSnapshot.Builder timer =
          TimerSnapshot.newBuilder().setDeadlineMs(timed.deadline).setSeq(timed.seq);
      if (timed instanceof Lease lease) {
        timer.setLease(writer.sessionId(lease.session));
      } else if (timed instanceof WorkerRecord worker) {
        timer.setWorker(worker.id);
      } else if (timed instanceof Waiter waiter) {
        timer.setWaiter(writer.ref(waiter));
      } else if (timed instanceof TaskBoard.NoWorkerCheck) {
        timer.setNoWorkerCheck(true);
      } else {
        throw new IllegalStateException("cannot snapshot a deadline of " + timed.getClass());
      }
      snapshot.addTimers(timer);
    }
    return snapshot.build();
  }

  /**
   * A core in the state {@code snapshot} holds, as if it had applied the batches that led there.
   * The snapshot's settings are those it keeps; {@code limits} and {@code options} are for a
   * snapshot of a version that kept none.
   *
   * @throws IllegalArgumentException if the snapshot is inconsistent (names what it does not hold)
   */
  public static CoordinatorCore restore(Limits limits, CoreOptions options, CoreSnapshot snapshot) {
    CoordinatorCore core = new CoordinatorCore(limits, options);
    core.restoreFrom(snapshot);
    return core;
  }

  private void restoreFrom(CoreSnapshot snapshot) {
    settings.apply(snapshot.getSettings());
    for (ClusterNodeInfo node : snapshot.getClusterNodesList()) {
      clusterNodes.put(node.getId(), node);
    }
    now = snapshot.getNowMs();
    objects.env().restoreNextDeliveryId(snapshot.getNextDeliveryId());
    timers.restoreNextSeq(snapshot.getNextTimerSeq());
    for (SessionSnapshot state : snapshot.getSessionsList()) {
      Session session = Session.fromSnapshot(state);
      if (sessions.put(state.getId(), session) != null) {
        throw SnapshotReader.invalid("session " + state.getId() + " is there twice");
      }
      session.boundBy(retryCaches);
    }
    SnapshotReader reader = new SnapshotReader(sessions, outbox);
    objects.restore(snapshot.getObjectsList(), reader);
    tasks.code().restore(snapshot.getCodeJarsList());
    tasks.restore(snapshot.getTasks(), reader);
    reader.restorePending(snapshot.getSessionsList());
    for (SessionSnapshot state : snapshot.getSessionsList()) {
      Session session = sessions.get(state.getId());
      for (String name : state.getHoldingsList()) {
        SharedObject object = objects.find(name);
        if (object == null) {
          throw SnapshotReader.invalid("session " + state.getId() + " holds unknown " + name);
        }
        session.hold(object);
      }
    }
    deadlocks.restore(snapshot.getDeadlocks(), reader, objects);
    for (TimerSnapshot timer : snapshot.getTimersList()) {
      Timed timed =
          switch (timer.getKindCase()) {
            case LEASE -> new Lease(reader.session(timer.getLease()));
            case WORKER -> tasks.heartbeatCheck(timer.getWorker());
            case WAITER -> reader.waiter(timer.getWaiter(), Waiter.class);
            case NO_WORKER_CHECK -> tasks.restoreNoWorkerCheck();
            case KIND_NOT_SET -> throw SnapshotReader.invalid("a deadline of nothing");
          };
      timers.restore(timed, timer.getDeadlineMs(), timer.getSeq());
    }
  }

  /** The members of a replicated group as they announced themselves, by node id. */
  public Map<String, ClusterNodeInfo> clusterNodes() {
    return java.util.Collections.unmodifiableMap(clusterNodes);
  }

  public List<ObjectInfo> objects() {
    return objects.list();
  }

  public List<Session> sessions() {
    return new ArrayList<>(sessions.values());
  }
}
