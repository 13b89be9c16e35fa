package dev.colony.server.core;

import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.ObjectDeleteResponse;
import dev.colony.proto.v1.ObjectDescribeResponse;
import dev.colony.proto.v1.ObjectInfo;
import dev.colony.proto.v1.ObjectListResponse;
import dev.colony.proto.v1.ObjectType;
import dev.colony.proto.v1.Reply;
import dev.colony.proto.v1.SessionOpenRequest;
import dev.colony.proto.v1.SessionOpenResponse;
import dev.colony.proto.v1.StatusResponse;
import dev.colony.proto.v1.WorkerFrame;
import dev.colony.proto.v1.WorkerHello;
import dev.colony.proto.v1.WorkerWelcome;
import dev.colony.server.store.CommandLog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's state machine. It owns every session and shared object and applies one command
 * at a time on its {@link SerialExecutor}; time enters only through the {@link Ticker} reading
 * taken when a command is applied and through {@link #tick()}. Every public method is thread-safe
 * and never blocks.
 */
public final class CoordinatorCore {
  private static final Logger log = LoggerFactory.getLogger(CoordinatorCore.class);

  /** Asks for {@link #tick()} to be called at a deadline; tests drive it by hand. */
  public interface Alarm {
    void wakeAt(long deadlineMillis, long nowMillis, Runnable tick);

    Alarm MANUAL = (deadline, now, tick) -> {};
  }

  private final Limits limits;
  private final CoreOptions options;
  private final Ticker ticker;
  private final CommandLog commandLog;
  private final Alarm alarm;
  private final SerialExecutor serial = new SerialExecutor();
  private final Timers timers = new Timers();
  private final CoreEnv env;
  private final ObjectRegistry objects;
  private final Map<String, Session> sessions = new HashMap<>();
  private final TaskBoard tasks;
  private final DeadlockDetector deadlocks;
  private final long startedAt;
  private long alarmAt = Timed.NEVER;

  public CoordinatorCore(Limits limits, Ticker ticker, CommandLog commandLog, Alarm alarm) {
    this(limits, CoreOptions.defaults(), ticker, commandLog, alarm);
  }

  public CoordinatorCore(
      Limits limits, CoreOptions options, Ticker ticker, CommandLog commandLog, Alarm alarm) {
    this.limits = limits;
    this.options = options;
    this.ticker = ticker;
    this.commandLog = commandLog;
    this.alarm = alarm;
    this.startedAt = ticker.nowMillis();
    this.deadlocks = new DeadlockDetector(options.deadlockPolicy());
    this.env = new CoreEnv(limits, timers, deadlocks);
    this.objects = new ObjectRegistry(env);
    this.tasks =
        new TaskBoard(
            env,
            timers,
            limits.workerHeartbeatIntervalMillis(),
            limits.workerHeartbeatTimeoutMillis());
  }

  public Limits limits() {
    return limits;
  }

  public CoreOptions options() {
    return options;
  }

  // ---- sessions -------------------------------------------------------------------------

  /** Opens a session whose id the caller chose (so the command log replays to the same ids). */
  public CompletableFuture<SessionOpenResponse> openSession(
      String sessionId, SessionOpenRequest request) {
    CompletableFuture<SessionOpenResponse> result = new CompletableFuture<>();
    run(
        now -> {
          if (sessions.size() >= limits.maxSessions()) {
            throw CoreException.exhausted(
                ErrorReason.LIMIT_EXCEEDED,
                "the coordinator already has "
                    + sessions.size()
                    + " sessions (limit "
                    + limits.maxSessions()
                    + ")");
          }
          long ttl =
              request.getTtlMs() == 0 ? limits.defaultSessionTtlMillis() : request.getTtlMs();
          Session session =
              new Session(
                  sessionId,
                  request.getClientName(),
                  request.getHost(),
                  request.getPid(),
                  ttl,
                  now);
          sessions.put(sessionId, session);
          timers.schedule(new Lease(session), session.expiresAt);
          log.debug(
              "session {} opened by {} on {} pid {}",
              sessionId,
              session.clientName,
              session.host,
              session.pid);
          result.complete(
              SessionOpenResponse.newBuilder().setSessionId(sessionId).setTtlMs(ttl).build());
        },
        result);
    return result;
  }

  /** Ends a session now, releasing everything it held. Unknown ids are ignored. */
  public CompletableFuture<Void> closeSession(String sessionId) {
    CompletableFuture<Void> result = new CompletableFuture<>();
    run(
        now -> {
          Session session = sessions.get(sessionId);
          if (session != null) {
            endSession(session, "closed", false, now);
          }
          result.complete(null);
        },
        result);
    return result;
  }

  /** A stream was attached to the session; fails with SESSION_NOT_FOUND for unknown ids. */
  public CompletableFuture<Void> attach(String sessionId) {
    CompletableFuture<Void> result = new CompletableFuture<>();
    run(
        now -> {
          Session session = session(sessionId);
          session.attachedStreams++;
          session.renew(now);
          result.complete(null);
        },
        result);
    return result;
  }

  /**
   * The stream whose replies go to {@code replier} is gone: its blocked calls are cancelled
   * (nothing may be handed to a caller that cannot receive it). What the session holds stays until
   * its lease runs out, so a client can reconnect.
   */
  public void detach(String sessionId, Replier replier) {
    run(
        now -> {
          Session session = sessions.get(sessionId);
          if (session == null) {
            return;
          }
          session.attachedStreams--;
          for (Waiter waiter : new ArrayList<>(session.pending.values())) {
            if (waiter.call.replier.channel() == replier) {
              waiter.cancel(CoreException.cancelled("the caller's stream closed"));
            }
          }
        },
        null);
  }

  /** Renews the session's lease. */
  public void keepAlive(String sessionId) {
    run(
        now -> {
          Session session = sessions.get(sessionId);
          if (session != null) {
            session.renew(now);
          }
        },
        null);
  }

  // ---- workers ------------------------------------------------------------------------

  /** A worker daemon's stream said hello; tasks for it go to {@code link}. */
  public CompletableFuture<WorkerWelcome> workerJoin(WorkerHello hello, WorkerLink link) {
    CompletableFuture<WorkerWelcome> result = new CompletableFuture<>();
    run(now -> result.complete(tasks.join(hello, link, now)), result);
    return result;
  }

  /** A frame from a joined worker: credit, result, heartbeat or drain. */
  public void workerFrame(String workerId, WorkerFrame frame) {
    run(
        now -> {
          switch (frame.getKindCase()) {
            case CREDIT -> tasks.credit(workerId, frame.getCredit().getSlots(), now);
            case RESULT -> tasks.result(workerId, frame.getResult(), now);
            case HEARTBEAT -> tasks.heartbeat(workerId, now);
            case DRAIN -> tasks.drain(workerId, now);
            case HELLO, KIND_NOT_SET -> {}
          }
        },
        null);
  }

  /** The worker's stream ended: its running tasks are queued again. */
  public void workerLeft(String workerId, String why) {
    run(now -> tasks.lost(workerId, why, now), null);
  }

  // ---- calls ----------------------------------------------------------------------------

  /**
   * Applies one call for a session. The reply (or failure) goes to {@code replier} exactly once,
   * now or when a blocked call is served, times out or is cancelled.
   */
  public void execute(String sessionId, Call call, Replier replier) {
    serial.execute(
        () -> {
          long now = ticker.nowMillis();
          // Deadlines that passed come first: a timed-out waiter must not be served by this call,
          // nor an expired session renewed by it.
          timers.fireDue(now);
          Session session = sessions.get(sessionId);
          if (session == null) {
            replier.send(failure(call.getId(), unknownSession(sessionId)));
            return;
          }
          session.renew(now);
          if (session.pending.containsKey(call.getId())) {
            replier.send(
                failure(
                    call.getId(),
                    CoreException.invalid(
                        "call id " + call.getId() + " is already in flight in this session")));
            return;
          }
          CallContext ctx = new CallContext(session, call.getId(), call.getOneWay(), replier, now);
          try {
            dispatch(ctx, call);
          } catch (CoreException e) {
            ctx.fail(e);
          } catch (RuntimeException e) {
            log.error("call {} failed unexpectedly", call.getOpCase(), e);
            ctx.fail(
                new CoreException(
                    CoreException.Code.INTERNAL,
                    ErrorReason.ERROR_REASON_UNSPECIFIED,
                    "internal error: " + e));
          }
          rearm(now);
        });
  }

  /** Withdraws a blocked call; a call that was already served is left alone. */
  public void cancel(String sessionId, long callId) {
    run(
        now -> {
          Session session = sessions.get(sessionId);
          if (session == null) {
            return;
          }
          Waiter waiter = session.pending.get(callId);
          if (waiter != null) {
            waiter.cancel(CoreException.cancelled("cancelled by the caller"));
          }
        },
        null);
  }

  /** Fires every deadline that has passed: waiter timeouts and lease expiries. */
  public void tick() {
    run(now -> {}, null);
  }

  /**
   * Workers, objects, task counts, sessions, current deadlocks and recent task failures, for status
   * tools and the dashboard.
   */
  public CompletableFuture<StatusResponse> status() {
    CompletableFuture<StatusResponse> result = new CompletableFuture<>();
    run(
        now -> {
          StatusResponse.Builder status =
              tasks
                  .status(now)
                  .addAllObjects(objects.list())
                  .setSessions(sessions.size())
                  .setUptimeMs(now - startedAt);
          for (DeadlockDetector.Cycle cycle : deadlocks.current()) {
            status.addDeadlocks(cycle.toProto(now));
          }
          result.complete(status.build());
        },
        result);
    return result;
  }

  /**
   * Counts for metrics, cheaper than {@link #status()}: no per-object summaries, and only the
   * {@code maxQueues} longest queues by name.
   */
  public CompletableFuture<CoreStats> stats(int maxQueues) {
    CompletableFuture<CoreStats> result = new CompletableFuture<>();
    run(
        now -> {
          int waiters = 0;
          for (Session session : sessions.values()) {
            waiters += session.pending.size();
          }
          result.complete(
              new CoreStats(
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
                  deadlocks.detectedCount()));
        },
        result);
    return result;
  }

  /** Runs a read-only function over the state, on the serial context. */
  public <T> CompletableFuture<T> query(Function<View, T> function) {
    CompletableFuture<T> result = new CompletableFuture<>();
    run(now -> result.complete(function.apply(new View())), result);
    return result;
  }

  /** A read-only view of the state, valid only inside {@link #query}. */
  public final class View {
    public List<ObjectInfo> objects() {
      return objects.list();
    }

    public List<Session> sessions() {
      return new ArrayList<>(sessions.values());
    }
  }

  // ---- internals ------------------------------------------------------------------------

  private interface Command {
    void apply(long now);
  }

  private void run(Command command, CompletableFuture<?> failOn) {
    serial.execute(
        () -> {
          long now = ticker.nowMillis();
          try {
            timers.fireDue(now);
            command.apply(now);
          } catch (RuntimeException e) {
            if (failOn != null) {
              failOn.completeExceptionally(e);
            } else {
              log.error("core command failed", e);
            }
          }
          rearm(now);
        });
  }

  private void rearm(long now) {
    long next = timers.next();
    if (next < alarmAt) {
      alarmAt = next;
      alarm.wakeAt(next, now, this::onAlarm);
    }
  }

  private void onAlarm() {
    serial.execute(
        () -> {
          long now = ticker.nowMillis();
          alarmAt = Timed.NEVER;
          timers.fireDue(now);
          rearm(now);
        });
  }

  private Session session(String sessionId) {
    Session session = sessions.get(sessionId);
    if (session == null) {
      throw unknownSession(sessionId);
    }
    return session;
  }

  private static CoreException unknownSession(String sessionId) {
    return CoreException.notFound(
        ErrorReason.SESSION_NOT_FOUND,
        "session '" + sessionId + "' does not exist or has expired; open a new session");
  }

  private static Reply failure(long callId, CoreException e) {
    return Reply.newBuilder().setId(callId).setFailure(e.toFailure()).build();
  }

  private void endSession(Session session, String why, boolean expired, long now) {
    session.ended = true;
    sessions.remove(session.id);
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
          session.id,
          session.clientName,
          session.host,
          session.pid,
          why);
    } else {
      log.debug("session {} {}", session.id, why);
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
        endSession(session, "expired (no keep-alive for " + session.ttlMillis + " ms)", true, now);
      } else {
        timers.schedule(this, session.expiresAt);
      }
    }
  }

  private void dispatch(CallContext ctx, Call call) {
    switch (call.getOpCase()) {
      case OBJECT_CREATE -> {
        var response = objects.create(call.getObjectCreate());
        ctx.reply(r -> r.setObjectCreate(response));
      }
      case OBJECT_DESCRIBE -> {
        String name = call.getObjectDescribe().getName();
        SharedObject object = objects.find(name);
        if (object == null) {
          throw CoreException.notFound(
              ErrorReason.OBJECT_NOT_FOUND, "no object is called '" + name + "'");
        }
        ctx.reply(
            r -> r.setObjectDescribe(ObjectDescribeResponse.newBuilder().setInfo(object.info())));
      }
      case OBJECT_DELETE -> {
        boolean deleted = objects.delete(call.getObjectDelete().getName());
        ctx.reply(r -> r.setObjectDelete(ObjectDeleteResponse.newBuilder().setDeleted(deleted)));
      }
      case OBJECT_LIST ->
          ctx.reply(
              r -> r.setObjectList(ObjectListResponse.newBuilder().addAllObjects(objects.list())));

      case QUEUE_PUT -> queue(call.getQueuePut().getName()).put(ctx, call.getQueuePut());
      case QUEUE_GET -> queue(call.getQueueGet().getName()).get(ctx, call.getQueueGet());
      case QUEUE_ACK -> queue(call.getQueueAck().getName()).ack(ctx, call.getQueueAck());
      case QUEUE_TASK_DONE ->
          queue(call.getQueueTaskDone().getName()).taskDone(ctx, call.getQueueTaskDone());
      case QUEUE_JOIN -> queue(call.getQueueJoin().getName()).join(ctx, call.getQueueJoin());
      case QUEUE_INFO -> queue(call.getQueueInfo().getName()).queueInfo(ctx, call.getQueueInfo());

      case LOCK_ACQUIRE ->
          lock(call.getLockAcquire().getName()).acquire(ctx, call.getLockAcquire());
      case LOCK_RELEASE ->
          lock(call.getLockRelease().getName()).release(ctx, call.getLockRelease());
      case LOCK_INFO -> lock(call.getLockInfo().getName()).lockInfo(ctx, call.getLockInfo());
      case CONDITION_AWAIT ->
          condition(call.getConditionAwait().getName()).await(ctx, call.getConditionAwait());
      case CONDITION_SIGNAL ->
          condition(call.getConditionSignal().getName()).signal(ctx, call.getConditionSignal());

      case SEMAPHORE_ACQUIRE ->
          semaphore(call.getSemaphoreAcquire().getName()).acquire(ctx, call.getSemaphoreAcquire());
      case SEMAPHORE_RELEASE ->
          semaphore(call.getSemaphoreRelease().getName()).release(ctx, call.getSemaphoreRelease());
      case SEMAPHORE_INFO ->
          semaphore(call.getSemaphoreInfo().getName()).semaphoreInfo(ctx, call.getSemaphoreInfo());

      case EVENT_SET -> event(call.getEventSet().getName()).set(ctx, call.getEventSet());
      case EVENT_CLEAR -> event(call.getEventClear().getName()).clear(ctx, call.getEventClear());
      case EVENT_IS_SET -> event(call.getEventIsSet().getName()).isSet(ctx, call.getEventIsSet());
      case EVENT_WAIT -> event(call.getEventWait().getName()).await(ctx, call.getEventWait());

      case BARRIER_AWAIT ->
          barrier(call.getBarrierAwait().getName()).await(ctx, call.getBarrierAwait());
      case BARRIER_ABORT ->
          barrier(call.getBarrierAbort().getName()).abort(ctx, call.getBarrierAbort());
      case BARRIER_RESET ->
          barrier(call.getBarrierReset().getName()).reset(ctx, call.getBarrierReset());
      case BARRIER_INFO ->
          barrier(call.getBarrierInfo().getName()).barrierInfo(ctx, call.getBarrierInfo());

      case LATCH_COUNT_DOWN ->
          latch(call.getLatchCountDown().getName()).countDown(ctx, call.getLatchCountDown());
      case LATCH_AWAIT -> latch(call.getLatchAwait().getName()).await(ctx, call.getLatchAwait());
      case LATCH_COUNT -> latch(call.getLatchCount().getName()).count(ctx, call.getLatchCount());

      case VALUE_GET -> value(call.getValueGet().getName()).get(ctx, call.getValueGet());
      case VALUE_SET -> value(call.getValueSet().getName()).set(ctx, call.getValueSet());
      case VALUE_GET_AND_SET ->
          value(call.getValueGetAndSet().getName()).getAndSet(ctx, call.getValueGetAndSet());
      case VALUE_COMPARE_AND_SET ->
          value(call.getValueCompareAndSet().getName())
              .compareAndSet(ctx, call.getValueCompareAndSet());
      case VALUE_ADD -> value(call.getValueAdd().getName()).add(ctx, call.getValueAdd());

      case MAP_GET -> map(call.getMapGet().getName()).get(ctx, call.getMapGet());
      case MAP_PUT -> map(call.getMapPut().getName()).put(ctx, call.getMapPut());
      case MAP_PUT_ALL -> map(call.getMapPutAll().getName()).putAll(ctx, call.getMapPutAll());
      case MAP_REMOVE -> map(call.getMapRemove().getName()).remove(ctx, call.getMapRemove());
      case MAP_REPLACE -> map(call.getMapReplace().getName()).replace(ctx, call.getMapReplace());
      case MAP_CONTAINS_KEY ->
          map(call.getMapContainsKey().getName()).containsKey(ctx, call.getMapContainsKey());
      case MAP_SIZE -> map(call.getMapSize().getName()).size(ctx, call.getMapSize());
      case MAP_ENTRIES -> map(call.getMapEntries().getName()).entries(ctx, call.getMapEntries());
      case MAP_CLEAR -> map(call.getMapClear().getName()).clear(ctx, call.getMapClear());

      case LIST_ADD -> list(call.getListAdd().getName()).add(ctx, call.getListAdd());
      case LIST_GET -> list(call.getListGet().getName()).get(ctx, call.getListGet());
      case LIST_SET -> list(call.getListSet().getName()).set(ctx, call.getListSet());
      case LIST_REMOVE -> list(call.getListRemove().getName()).remove(ctx, call.getListRemove());
      case LIST_SIZE -> list(call.getListSize().getName()).size(ctx, call.getListSize());
      case LIST_RANGE -> list(call.getListRange().getName()).range(ctx, call.getListRange());
      case LIST_CLEAR -> list(call.getListClear().getName()).clear(ctx, call.getListClear());

      case TASK_SUBMIT -> tasks.submit(ctx, call.getTaskSubmit());
      case TASK_WAIT -> tasks.await(ctx, call.getTaskWait());
      case TASK_CANCEL -> tasks.cancel(ctx, call.getTaskCancel());
      case TASK_INFO -> tasks.info(ctx, call.getTaskInfo());

      case OP_NOT_SET -> throw CoreException.invalid("the call has no operation set");
    }
  }

  private QueueObject queue(String name) {
    return objects.get(name, QueueObject.class, ObjectType.QUEUE);
  }

  private LockObject lock(String name) {
    return objects.get(name, LockObject.class, ObjectType.LOCK, ObjectType.RLOCK);
  }

  private ConditionObject condition(String name) {
    return objects.get(name, ConditionObject.class, ObjectType.CONDITION);
  }

  private SemaphoreObject semaphore(String name) {
    return objects.get(
        name, SemaphoreObject.class, ObjectType.SEMAPHORE, ObjectType.BOUNDED_SEMAPHORE);
  }

  private EventObject event(String name) {
    return objects.get(name, EventObject.class, ObjectType.EVENT);
  }

  private BarrierObject barrier(String name) {
    return objects.get(name, BarrierObject.class, ObjectType.BARRIER);
  }

  private LatchObject latch(String name) {
    return objects.get(name, LatchObject.class, ObjectType.COUNT_DOWN_LATCH);
  }

  private ValueObject value(String name) {
    return objects.get(name, ValueObject.class, ObjectType.VALUE);
  }

  private MapObject map(String name) {
    return objects.get(name, MapObject.class, ObjectType.MAP);
  }

  private ListObject list(String name) {
    return objects.get(name, ListObject.class, ObjectType.LIST);
  }
}
