package dev.colony.server.core;

import com.google.protobuf.ByteString;
import dev.colony.proto.v1.CoordinatorFrame;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.NoWorkerWarning;
import dev.colony.proto.v1.Owner;
import dev.colony.proto.v1.Payload;
import dev.colony.proto.v1.RecentFailureSnapshot;
import dev.colony.proto.v1.RemoteError;
import dev.colony.proto.v1.StatusResponse;
import dev.colony.proto.v1.TaskAbort;
import dev.colony.proto.v1.TaskBoardSnapshot;
import dev.colony.proto.v1.TaskCancelRequest;
import dev.colony.proto.v1.TaskCancelResponse;
import dev.colony.proto.v1.TaskCounts;
import dev.colony.proto.v1.TaskFailure;
import dev.colony.proto.v1.TaskFailureReason;
import dev.colony.proto.v1.TaskInfoRequest;
import dev.colony.proto.v1.TaskInfoResponse;
import dev.colony.proto.v1.TaskOutcome;
import dev.colony.proto.v1.TaskSnapshot;
import dev.colony.proto.v1.TaskSpec;
import dev.colony.proto.v1.TaskState;
import dev.colony.proto.v1.TaskSubmitRequest;
import dev.colony.proto.v1.TaskSubmitResponse;
import dev.colony.proto.v1.TaskSummary;
import dev.colony.proto.v1.TaskWaitRequest;
import dev.colony.proto.v1.TaskWaitResponse;
import dev.colony.proto.v1.TaskWaiterSnapshot;
import dev.colony.proto.v1.WaiterRef;
import dev.colony.proto.v1.WorkerHello;
import dev.colony.proto.v1.WorkerSnapshot;
import dev.colony.proto.v1.WorkerStatus;
import dev.colony.proto.v1.WorkerTaskResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task queue. Tasks wait in FIFO order and go to the {@link WorkerRoster}'s workers that have
 * credits (free slots), round robin. A lost worker's running tasks go back to the head of the queue
 * until their retries are used up; the first result recorded for a task wins.
 *
 * <p>Queued tasks with no worker able to run them (none connected and not draining, see {@link
 * WorkerRoster#anyAble()}) are reported in status and in TaskWait replies once they have waited
 * past the warning threshold, and fail with NO_WORKER past their own {@code no_worker_timeout_ms}.
 */
final class TaskBoard {
  private static final Logger log = LoggerFactory.getLogger(TaskBoard.class);
  static final int DEFAULT_MAX_RETRIES = 3;

  /** How many task failures status keeps for the dashboard. */
  static final int RECENT_FAILURES = 50;

  /** How many of the tracked tasks status lists. */
  static final int RECENT_TASKS = 50;

  /** How much of a worker's exit reason is kept (it is repeated in each lost task's error). */
  static final int MAX_EXIT_REASON = 1_000;

  /** How much of an error's message is kept when the error is too large for the room left. */
  static final int MAX_KEPT_ERROR_MESSAGE = 200;

  /** How many distinct task names a no-worker warning lists. */
  static final int NO_WORKER_NAMES = 3;

  /** What the no-worker messages tell people to do. */
  static final String START_A_WORKER =
      "start one with the task's classes, e.g. `colony worker --tasks your.jar`";

  /** {@link #noWorkerSince} while an able worker is connected. */
  static final long SOME_WORKER = -1;

  private final CoreEnv env;
  private final Timers timers;
  private final WorkerRoster workers;
  private final CodeStore code;
  // In submission order, which is the order a submitter's tasks are cancelled in when it leaves.
  private final Map<Long, TaskRecord> tasks = new LinkedHashMap<>();
  private final ArrayDeque<TaskRecord> queued = new ArrayDeque<>();
  private long nextTaskId = 1;
  private long succeeded;
  private long failed;
  private final FinishRate finishRate = new FinishRate();
  // Finished tasks that left the board, newest first, so `colony tasks` and `tasks show` still
  // know a task after its submitter collected it: at most RECENT_TASKS, without their arguments
  // and results, errors trimmed, logs bounded as every task's are. They stay out of the stored
  // bytes, which people must be able to bring down by taking or deleting what they stored.
  private final ArrayDeque<TaskRecord> recentlyDone = new ArrayDeque<>(RECENT_TASKS);
  // Each session's finished tasks still on the board, in id order (not finish order: a restored
  // replica must hand out the same ones in the same replies), for TaskWait(mine).
  private final Map<Session, TreeMap<Long, TaskRecord>> uncollected = new LinkedHashMap<>();
  // The TaskWait(mine) calls parked per session, oldest first.
  private final Map<Session, ArrayDeque<TaskWaiter>> mineWaiters = new LinkedHashMap<>();

  /** About how many outcome bytes one TaskWait(mine) reply carries; the rest come next time. */
  static final int MINE_REPLY_BYTES = 2 << 20;

  /**
   * Since when no able worker has been connected, or {@link #SOME_WORKER}. A new core has had none
   * since its start.
   */
  private long noWorkerSince;

  /** The one live check of no-worker timeouts, or null when no queued task needs one. */
  private NoWorkerCheck noWorkerCheck;

  /** The latest failures, newest first, at most {@link #RECENT_FAILURES}. */
  private final ArrayDeque<FailedTask> recentFailures = new ArrayDeque<>();

  private record FailedTask(TaskRecord task, long failedAt) {
    TaskFailure toProto(long now) {
      String name = task.spec.getDisplayName();
      TaskFailure.Builder failure =
          TaskFailure.newBuilder()
              .setTaskId(task.id)
              .setName(name.isEmpty() ? task.spec.getTaskName() : name)
              .setAttempt(task.attempt)
              .setFailedMsAgo(now - failedAt);
      if (task.error != null) {
        failure.setError(task.error);
      }
      if (task.log != null) {
        failure.setLog(task.log);
      }
      if (task.ranOn != null) {
        failure.setWorkerHost(task.ranOn.getHost()).setWorkerPid(task.ranOn.getPid());
      }
      return failure.build();
    }
  }

  TaskBoard(CoreEnv env, Timers timers) {
    this.env = env;
    this.timers = timers;
    this.workers = new WorkerRoster(env, timers);
    this.code = new CodeStore(env, this::codeInUse);
    workers.onDeparture(this::requeueTasksOf);
  }

  // ---- submitters -----------------------------------------------------------------------

  /** The jars clients ship with their tasks. */
  /** The code jars unfinished tasks name: a jar may be evicted only when none does. */
  private Set<String> codeInUse() {
    Set<String> hashes = new HashSet<>();
    for (TaskRecord task : tasks.values()) {
      if (!task.isFinished() && !task.spec.getCodeSha256().isEmpty()) {
        hashes.add(task.spec.getCodeSha256());
      }
    }
    return hashes;
  }

  CodeStore code() {
    return code;
  }

  void submit(CallContext ctx, TaskSubmitRequest request) {
    int unfinished = tasks.size();
    if (unfinished + request.getTasksCount() > env.limits().maxItemsPerContainer()) {
      throw CoreException.exhausted(
          ErrorReason.LIMIT_EXCEEDED,
          "the coordinator already tracks "
              + unfinished
              + " tasks (limit "
              + env.limits().maxItemsPerContainer()
              + "); wait for results before submitting more");
    }
    long bytes = 0;
    for (TaskSpec spec : request.getTasksList()) {
      if (!spec.getCodeSha256().isEmpty()) {
        code.checkKnown(spec.getCodeSha256());
      }
      bytes += storedSize(spec);
    }
    env.checkTotal(
        request.getTasksCount() == 1 ? "a task" : request.getTasksCount() + " tasks",
        bytes,
        "wait for results, or take, remove or delete some objects' contents first");
    TaskSubmitResponse.Builder response = TaskSubmitResponse.newBuilder();
    Owner submitter = ctx.session().owner(0);
    ctx.session().submittedTasks = true;
    for (TaskSpec spec : request.getTasksList()) {
      TaskRecord task = new TaskRecord(nextTaskId++, spec, ctx.session(), submitter);
      tasks.put(task.id, task);
      recount(task);
      queued.addLast(task);
      queuedNow(task, ctx.now());
      response.addTaskIds(task.id);
    }
    dispatch();
    ctx.reply(r -> r.setTaskSubmit(response));
  }

  void await(CallContext ctx, TaskWaitRequest request) {
    if (request.getMine()) {
      awaitMine(ctx, request);
      return;
    }
    List<TaskRecord> wanted = new ArrayList<>(request.getTaskIdsCount());
    for (long id : request.getTaskIdsList()) {
      TaskRecord task = tasks.get(id);
      if (task == null) {
        throw CoreException.notFound(
            ErrorReason.TASK_NOT_FOUND,
            "task " + id + " is unknown, or its result was already collected");
      }
      wanted.add(task);
    }
    TaskWaiter waiter = new TaskWaiter(ctx, wanted, request.getAll(), request.getForget());
    long deadline = CoreEnv.deadline(ctx.now(), request.hasTimeoutMs(), request.getTimeoutMs());
    if (waiter.satisfied() || deadline <= ctx.now()) {
      waiter.answer(ctx.now());
      return;
    }
    env.checkSessionWaiters(ctx.session(), "tasks");
    for (TaskRecord task : wanted) {
      if (!task.isFinished()) {
        task.waiters.add(waiter);
      }
    }
    env.park(waiter, deadline);
  }

  private void awaitMine(CallContext ctx, TaskWaitRequest request) {
    if (request.getTaskIdsCount() > 0 || !request.getForget() || request.getAll()) {
      throw CoreException.invalid(
          "TaskWait with mine waits for any of the session's tasks: no task_ids, no all, and"
              + " forget set");
    }
    TaskWaiter waiter = new TaskWaiter(ctx, List.of(), false, true, true);
    long deadline = CoreEnv.deadline(ctx.now(), request.hasTimeoutMs(), request.getTimeoutMs());
    if (waiter.satisfied() || deadline <= ctx.now()) {
      waiter.answer(ctx.now());
      return;
    }
    env.checkSessionWaiters(ctx.session(), "tasks");
    mineWaiters.computeIfAbsent(ctx.session(), s -> new ArrayDeque<>()).addLast(waiter);
    env.park(waiter, deadline);
  }

  void cancel(CallContext ctx, TaskCancelRequest request) {
    int cancelled = 0;
    for (long id : request.getTaskIdsList()) {
      TaskRecord task = tasks.get(id);
      if (task != null && !task.isFinished()) {
        cancelTask(task, "cancelled by " + ctx.session().clientName(), ctx.now());
        cancelled++;
      }
    }
    int count = cancelled;
    ctx.reply(r -> r.setTaskCancel(TaskCancelResponse.newBuilder().setCancelled(count)));
  }

  void info(CallContext ctx, TaskInfoRequest request) {
    TaskRecord task = known(request.getTaskId());
    if (task == null) {
      throw CoreException.notFound(
          ErrorReason.TASK_NOT_FOUND,
          "task "
              + request.getTaskId()
              + " is unknown: it never existed, or finished before the last "
              + RECENT_TASKS
              + " tasks that did");
    }
    ctx.reply(r -> r.setTaskInfo(TaskInfoResponse.newBuilder().setTask(task.outcome())));
  }

  /** The submitter left: its daemon tasks are cancelled and its results are dropped. */
  void submitterEnded(Session session, long now) {
    for (TaskRecord task : new ArrayList<>(tasks.values())) {
      if (task.submitter != session) {
        continue;
      }
      if (!task.isFinished() && task.spec.getDaemon()) {
        cancelTask(task, "its submitter's session ended", now);
      }
      if (task.isFinished()) {
        drop(task);
      } else {
        task.orphaned = true;
      }
    }
  }

  // ---- workers --------------------------------------------------------------------------

  /**
   * A worker's stream said hello: it joins, and its welcome goes out on {@code streamId}. A worker
   * process that names the id it had (its stream broke while the coordinator restarted) takes its
   * place again, with the tasks it still runs or has results of; any other task it was running lost
   * its result with the old stream and is queued again. Only with the credentials ({@code
   * principal}) that registered it, though: another's stream naming that id is refused.
   */
  void join(WorkerHello hello, String principal, long streamId, long now) {
    if (workers.resumesAnothers(hello, principal)) {
      log.warn(
          "a worker stream of {} asked to resume worker {}, which other credentials registered;"
              + " refused",
          principal.isEmpty() ? "anonymous" : principal,
          hello.getResumeWorkerId());
      env.outbox()
          .failed(streamId, CoreException.notWorkerOwner(hello.getResumeWorkerId()).toFailure());
      return;
    }
    WorkerRecord resumed = workers.resumable(hello);
    if (resumed == null) {
      workers.join(hello, principal, streamId, now);
      workersChanged(now);
      return;
    }
    Set<Long> reporting = new HashSet<>(hello.getReportingTaskIdsList());
    List<TaskRecord> lost = new ArrayList<>();
    for (TaskRecord task : resumed.running.values()) {
      if (!reporting.contains(task.id)) {
        lost.add(task);
      }
    }
    for (int i = lost.size() - 1; i >= 0; i--) {
      resumed.running.remove(lost.get(i).id);
      if (!lost.get(i).isFinished()) {
        requeue(lost.get(i), false, now);
      }
    }
    workers.resume(resumed, hello, streamId, now);
    workersChanged(now);
  }

  /** The coordinator restarted: workers may come back for their tasks (see WorkerRoster). */
  void detachAll(long now) {
    workers.detachAll(now);
    workersChanged(now);
  }

  /** The worker that joined on {@code streamId}, or null (never joined, or gone). */
  String workerOn(long streamId) {
    WorkerRecord worker = workers.onStream(streamId);
    return worker == null ? null : worker.id;
  }

  void credit(String workerId, int slots, long now) {
    WorkerRecord worker = workers.live(workerId, now);
    if (worker != null) {
      worker.credits += slots;
      dispatch();
    }
  }

  void heartbeat(String workerId, long now) {
    workers.live(workerId, now);
  }

  void drain(String workerId, long now) {
    WorkerRecord worker = workers.live(workerId, now);
    if (worker != null && !worker.draining) {
      worker.draining = true;
      log.info("worker {} is draining: no new tasks", workerId);
      workersChanged(now);
    }
  }

  void result(String workerId, WorkerTaskResult result, long now) {
    WorkerRecord worker = workers.live(workerId, now);
    if (worker == null) {
      return;
    }
    env.outbox().ackResult(worker.streamId, result.getTaskId());
    TaskRecord task = worker.running.remove(result.getTaskId());
    if (!result.getResent()) {
      worker.credits++;
    }
    if (task == null) {
      task = finishedElsewhere(result);
    }
    if (task != null && task.attempt == result.getAttempt() && !task.isFinished()) {
      if (result.hasLog() && result.getOutcomeCase() != WorkerTaskResult.OutcomeCase.INTERRUPTED) {
        task.log = TaskLogs.bounded(result.getLog());
      }
      switch (result.getOutcomeCase()) {
        case VALUES ->
            finish(
                task,
                TaskState.TASK_STATE_SUCCEEDED,
                result.getValues().getValuesList(),
                ByteString.EMPTY,
                null,
                now);
        case PACKED_VALUES ->
            finish(
                task,
                TaskState.TASK_STATE_SUCCEEDED,
                List.of(),
                result.getPackedValues(),
                null,
                now);
        case ERROR -> finish(task, TaskState.TASK_STATE_FAILED, List.of(), result.getError(), now);
        case INTERRUPTED, OUTCOME_NOT_SET -> requeue(task, false, now);
      }
    }
    dispatch();
  }

  /**
   * A result the worker carried over from an earlier stream: it finished the task while its stream
   * was down (or the coordinator restarted), and the task was queued again meanwhile. The first
   * result wins, so a success or failure of any attempt settles the task: it leaves the queue, or
   * the worker now running it again is told to stop. Returns the task, with its attempt set to the
   * result's, or null if the result changes nothing.
   */
  private TaskRecord finishedElsewhere(WorkerTaskResult result) {
    TaskRecord task = tasks.get(result.getTaskId());
    boolean settles =
        result.getOutcomeCase() == WorkerTaskResult.OutcomeCase.VALUES
            || result.getOutcomeCase() == WorkerTaskResult.OutcomeCase.PACKED_VALUES
            || result.getOutcomeCase() == WorkerTaskResult.OutcomeCase.ERROR;
    if (task == null || task.isFinished() || !settles || result.getAttempt() > task.attempt) {
      return null;
    }
    if (task.state == TaskState.TASK_STATE_QUEUED) {
      queued.remove(task);
    } else if (task.worker != null && !task.worker.gone) {
      task.worker.running.remove(task.id);
      env.outbox()
          .toWorker(
              task.worker.streamId,
              CoordinatorFrame.newBuilder()
                  .setAbort(TaskAbort.newBuilder().setTaskId(task.id))
                  .build());
      task.worker = null;
    }
    task.attempt = result.getAttempt();
    return task;
  }

  /** The worker's stream ended. */
  void lost(String workerId, String why, long now) {
    WorkerRecord worker = workers.remove(workerId, why);
    if (worker != null) {
      requeueTasksOf(worker, why, now);
    }
  }

  /**
   * The worker's JVM is ending without having been asked to stop (a task called System.exit): it is
   * lost like a worker whose stream broke, and says why.
   */
  void exited(String workerId, String reason, long now) {
    String shown =
        reason.length() > MAX_EXIT_REASON ? reason.substring(0, MAX_EXIT_REASON) : reason;
    lost(workerId, "exited: " + (shown.isEmpty() ? "its JVM ended" : shown), now);
  }

  /**
   * A worker is gone: the tasks it was running go back to the head of the queue, each with one
   * failed attempt, since any of them may be what killed it.
   */
  private void requeueTasksOf(WorkerRecord worker, String why, long now) {
    workersChanged(now);
    List<TaskRecord> orphans = new ArrayList<>(worker.running.values());
    worker.running.clear();
    String loss =
        worker.id + " (" + worker.hello.getHost() + " pid " + worker.hello.getPid() + ") " + why;
    // Back to the head in their original order.
    for (int i = orphans.size() - 1; i >= 0; i--) {
      TaskRecord task = orphans.get(i);
      if (!task.isFinished()) {
        task.lastLoss = loss;
        requeue(task, true, now);
      }
    }
    dispatch();
  }

  /** Workers and task counts; the caller adds objects and sessions. */
  StatusResponse.Builder status(long now) {
    StatusResponse.Builder status = StatusResponse.newBuilder();
    long running = 0;
    for (WorkerRecord worker : workers.all()) {
      running += worker.running.size();
      status.addWorkers(
          WorkerStatus.newBuilder()
              .setWorkerId(worker.id)
              .setName(worker.hello.getName())
              .setHost(worker.hello.getHost())
              .setPid(worker.hello.getPid())
              .setSlots(worker.hello.getSlots())
              .setBusy(worker.running.size())
              .setDraining(worker.draining)
              .setLastSeenMsAgo(now - worker.lastSeen));
    }
    for (FailedTask failure : recentFailures) {
      status.addRecentFailures(failure.toProto(now));
    }
    // Newest (highest id) first, from the board and the recently done: the last RECENT_TASKS.
    List<TaskRecord> newest = new ArrayList<>(recentlyDone);
    ArrayDeque<TaskRecord> onBoard = new ArrayDeque<>(RECENT_TASKS);
    for (TaskRecord task : tasks.values()) {
      if (onBoard.size() == RECENT_TASKS) {
        onBoard.removeLast();
      }
      onBoard.addFirst(task);
    }
    newest.addAll(onBoard);
    newest.sort(java.util.Comparator.comparingLong((TaskRecord task) -> task.id).reversed());
    for (TaskRecord task : newest.subList(0, Math.min(RECENT_TASKS, newest.size()))) {
      status.addRecentTasks(summary(task, now));
    }
    NoWorkerWarning.Builder noWorker = noWorkerWarning(queued, now);
    if (noWorker != null) {
      status.setNoWorker(noWorker.clearTaskIds());
    }
    return status.setTasks(
        finishRate
            .describe(now, TaskCounts.newBuilder())
            .setQueued(queued.size())
            .setRunning(running)
            .setSucceeded(succeeded)
            .setFailed(failed));
  }

  private static TaskSummary summary(TaskRecord task, long now) {
    TaskSummary.Builder summary =
        TaskSummary.newBuilder()
            .setTaskId(task.id)
            .setName(
                task.spec.getDisplayName().isEmpty()
                    ? task.spec.getTaskName()
                    : task.spec.getDisplayName())
            .setState(task.state)
            .setQueuedMsAgo(Math.max(0, now - task.queuedAt));
    if (task.worker != null) {
      summary.setWorkerId(task.worker.id);
    }
    if (task.ranOn != null) {
      summary.setWorkerHost(task.ranOn.getHost()).setWorkerPid(task.ranOn.getPid());
    }
    if (task.log != null) {
      summary.setLog(task.log);
    }
    return summary.build();
  }

  int workerCount() {
    return workers.size();
  }

  long queuedCount() {
    return queued.size();
  }

  long runningCount() {
    long running = 0;
    for (WorkerRecord worker : workers.all()) {
      running += worker.running.size();
    }
    return running;
  }

  long succeededCount() {
    return succeeded;
  }

  long failedCount() {
    return failed;
  }

  // ---- snapshots ------------------------------------------------------------------------

  TaskBoardSnapshot toSnapshot(SnapshotWriter writer) {
    TaskBoardSnapshot.Builder snapshot =
        TaskBoardSnapshot.newBuilder()
            .setNextTaskId(nextTaskId)
            .setSucceeded(succeeded)
            .setFailed(failed)
            .setNoWorkerSinceMs(noWorkerSince);
    workers.writeTo(snapshot);
    // Every parked TaskWait waits on at least one unfinished task, and those are all on the board.
    LinkedHashSet<TaskWaiter> parked = new LinkedHashSet<>();
    for (TaskRecord task : tasks.values()) {
      snapshot.addTasks(task.toSnapshot(writer, true));
      parked.addAll(task.waiters);
    }
    Map<Long, TaskRecord> detached = new LinkedHashMap<>();
    for (TaskWaiter waiter : parked) {
      TaskWaiterSnapshot.Builder state =
          TaskWaiterSnapshot.newBuilder()
              .setWaiter(writer.waiter(waiter))
              .setAll(waiter.all)
              .setForget(waiter.forget)
              .setFinished(waiter.finished);
      for (TaskRecord task : waiter.wanted) {
        state.addWanted(task.id);
        noteDetached(task, detached);
      }
      snapshot.addWaiters(state);
    }
    for (ArrayDeque<TaskWaiter> waiters : mineWaiters.values()) {
      for (TaskWaiter waiter : waiters) {
        snapshot.addWaiters(
            TaskWaiterSnapshot.newBuilder()
                .setWaiter(writer.waiter(waiter))
                .setForget(true)
                .setMine(true));
      }
    }
    // A worker may still run a task that left the board (cancelled with its submitter gone, or
    // forgotten): a copy lets the worker's later result be matched and ignored after a restore.
    for (WorkerRecord worker : workers.all()) {
      for (TaskRecord task : worker.running.values()) {
        noteDetached(task, detached);
      }
    }
    for (FailedTask failure : recentFailures) {
      snapshot.addRecentFailures(
          RecentFailureSnapshot.newBuilder()
              .setTaskId(failure.task().id)
              .setFailedAtMs(failure.failedAt()));
      noteDetached(failure.task(), detached);
    }
    for (TaskRecord task : recentlyDone) {
      snapshot.addRecentlyDone(task.id);
      noteDetached(task, detached);
    }
    for (TaskRecord task : detached.values()) {
      snapshot.addDetached(task.toSnapshot(writer, false));
    }
    for (TaskRecord task : queued) {
      snapshot.addQueued(task.id);
    }
    return snapshot.build();
  }

  /** A task no longer on the board is finished for good, so a copy of it does. */
  private void noteDetached(TaskRecord task, Map<Long, TaskRecord> detached) {
    if (tasks.get(task.id) == task) {
      return;
    }
    if (!task.isFinished() || tasks.containsKey(task.id)) {
      throw new IllegalStateException("cannot snapshot task " + task.id + ": it is off the board");
    }
    detached.putIfAbsent(task.id, task);
  }

  /** Restores this empty board; waiters' sessions must be restored already. */
  void restore(TaskBoardSnapshot snapshot, SnapshotReader reader) {
    if (!tasks.isEmpty()) {
      throw new IllegalStateException("restore into a board that has tasks");
    }
    workers.restore(snapshot);
    for (TaskSnapshot state : snapshot.getTasksList()) {
      tasks.put(state.getId(), restoreTask(state, reader, true));
    }
    Map<Long, TaskRecord> detached = new HashMap<>();
    for (TaskSnapshot state : snapshot.getDetachedList()) {
      detached.put(state.getId(), restoreTask(state, reader, false));
    }
    for (WorkerSnapshot state : snapshot.getWorkersList()) {
      WorkerRecord worker = workers.known(state.getId());
      for (long id : state.getRunningList()) {
        worker.running.put(id, anyTask(id, detached));
      }
    }
    for (long id : snapshot.getQueuedList()) {
      queued.addLast(onBoard(id));
    }
    nextTaskId = snapshot.getNextTaskId();
    succeeded = snapshot.getSucceeded();
    failed = snapshot.getFailed();
    // A snapshot from before this was kept says 0: right when no worker is able, else corrected.
    noWorkerSince = workers.anyAble() ? SOME_WORKER : Math.max(0, snapshot.getNoWorkerSinceMs());
    for (RecentFailureSnapshot failure : snapshot.getRecentFailuresList()) {
      TaskRecord task = anyTask(failure.getTaskId(), detached);
      task.inRecentFailures = true;
      recentFailures.addLast(new FailedTask(task, failure.getFailedAtMs()));
    }
    for (long id : snapshot.getRecentlyDoneList()) {
      TaskRecord task = anyTask(id, detached);
      task.inRecentlyDone = true;
      recentlyDone.addLast(task);
    }
    // Counted as they were when written, without checking: a restore never refuses its own state.
    for (TaskRecord task : tasks.values()) {
      recount(task);
    }
    for (TaskRecord task : recentlyDone) {
      recount(task);
    }
    for (FailedTask failure : recentFailures) {
      recount(failure.task());
    }
    for (TaskRecord task : tasks.values()) {
      if (task.isFinished() && !task.orphaned) {
        uncollected.computeIfAbsent(task.submitter, s -> new TreeMap<>()).put(task.id, task);
      }
    }
    for (TaskWaiterSnapshot state : snapshot.getWaitersList()) {
      if (state.getMine()) {
        TaskWaiter waiter =
            reader.waiter(state.getWaiter(), c -> new TaskWaiter(c, List.of(), false, true, true));
        mineWaiters.computeIfAbsent(waiter.call.session(), s -> new ArrayDeque<>()).addLast(waiter);
        continue;
      }
      List<TaskRecord> wanted = new ArrayList<>(state.getWantedCount());
      for (long id : state.getWantedList()) {
        wanted.add(anyTask(id, detached));
      }
      TaskWaiter waiter =
          reader.waiter(
              state.getWaiter(), c -> new TaskWaiter(c, wanted, state.getAll(), state.getForget()));
      waiter.finished = state.getFinished();
    }
    for (TaskSnapshot state : snapshot.getTasksList()) {
      TaskRecord task = tasks.get(state.getId());
      for (WaiterRef ref : state.getWaitersList()) {
        task.waiters.add(reader.waiter(ref, TaskWaiter.class));
      }
    }
  }

  private TaskRecord restoreTask(TaskSnapshot state, SnapshotReader reader, boolean onBoard) {
    // Only a task on the board and not orphaned needs its submitter's session: the others are
    // never matched against a session again.
    Session submitter =
        onBoard && !state.getOrphaned()
            ? reader.session(state.getSubmitterSessionId())
            : Session.ended(state.getSubmitterSessionId());
    TaskRecord task =
        new TaskRecord(state.getId(), state.getSpec(), submitter, state.getSubmitterOwner());
    task.state = state.getState();
    task.attempt = state.getAttempt();
    task.results = List.copyOf(state.getResultsList());
    task.packedResults = state.getPackedResults();
    task.error = state.hasError() ? state.getError() : null;
    task.log = state.hasLog() ? state.getLog() : null;
    task.orphaned = state.getOrphaned();
    task.ranOn = state.hasRanOn() ? state.getRanOn() : null;
    task.lastLoss = state.getLastLoss().isEmpty() ? null : state.getLastLoss();
    task.queuedAt = state.getQueuedAtMs();
    if (!state.getWorkerId().isEmpty()) {
      if (state.getWorkerGone()) {
        // Only its id is read again (the outcome names it).
        WorkerRecord gone =
            new WorkerRecord(null, state.getWorkerId(), "", WorkerHello.getDefaultInstance(), 0, 0);
        gone.gone = true;
        task.worker = gone;
      } else {
        task.worker = workers.known(state.getWorkerId());
      }
    }
    return task;
  }

  private TaskRecord onBoard(long id) {
    TaskRecord task = tasks.get(id);
    if (task == null) {
      throw SnapshotReader.invalid("task " + id + " is not on the board");
    }
    return task;
  }

  private TaskRecord anyTask(long id, Map<Long, TaskRecord> detached) {
    TaskRecord task = tasks.getOrDefault(id, detached.get(id));
    if (task == null) {
      throw SnapshotReader.invalid("task " + id + " is referred to but not written");
    }
    return task;
  }

  /** The no-worker check a snapshot had pending, for restoring timers. */
  Timed restoreNoWorkerCheck() {
    if (noWorkerCheck != null) {
      throw SnapshotReader.invalid("two no-worker checks");
    }
    noWorkerCheck = new NoWorkerCheck();
    return noWorkerCheck;
  }

  /** The heartbeat check of a connected worker, for restoring timers. */
  Timed heartbeatCheck(String workerId) {
    return workers.known(workerId);
  }

  // ---- internals ------------------------------------------------------------------------

  /**
   * A task's spec (its arguments) counts as stored while the task is on the board, whether queued,
   * running or finished and not yet collected.
   */
  private static long storedSize(TaskSpec spec) {
    return Limits.storedSize(spec.getSerializedSize());
  }

  private static long storedSize(ByteString packedResults) {
    return packedResults.isEmpty() ? 0 : Limits.storedSize(packedResults.size());
  }

  private static long storedSize(List<Payload> results) {
    long bytes = 0;
    for (Payload result : results) {
      bytes += Limits.storedSize(result.getSerializedSize());
    }
    return bytes;
  }

  /**
   * What a task holds on the heap counts as stored while it is on the board (until its outcome is
   * collected) or listed among the recent failures: its spec, its results, its error and its log.
   */
  private void recount(TaskRecord task) {
    boolean held = tasks.get(task.id) == task || task.inRecentFailures;
    long bytes = 0;
    if (held) {
      bytes = storedSize(task.spec) + storedSize(task.results) + storedSize(task.packedResults);
      if (task.error != null) {
        bytes += task.error.getSerializedSize();
      }
      if (task.log != null) {
        bytes += task.log.getSerializedSize();
      }
    }
    env.stored(bytes - task.counted);
    task.counted = bytes;
  }

  /** A task on the board, or one of the recently done or failed; null if none has the id. */
  private TaskRecord known(long id) {
    TaskRecord task = tasks.get(id);
    if (task != null) {
      return task;
    }
    for (TaskRecord done : recentlyDone) {
      if (done.id == id) {
        return done;
      }
    }
    for (FailedTask failure : recentFailures) {
      if (failure.task().id == id) {
        return failure.task();
      }
    }
    return null;
  }

  /**
   * Takes a task off the board; one already taken (collected twice) is left alone. A finished one
   * stays among the recently done, without its arguments and results once no one waits for them.
   */
  private void drop(TaskRecord task) {
    if (tasks.get(task.id) == task) {
      tasks.remove(task.id);
      forgetUncollected(task);
      if (task.isFinished()) {
        // Another caller still waiting on it collects the results; else nobody will, and the
        // history keeps the task's name, state, error and log, not its arguments and results.
        if (task.waiters.isEmpty()) {
          task.results = List.of();
          task.packedResults = ByteString.EMPTY;
          task.spec = task.spec.toBuilder().clearArguments().clearPackedArguments().build();
        }
        if (!task.inRecentFailures
            && task.error != null
            && task.error.getSerializedSize() > MAX_KEPT_ERROR_MESSAGE) {
          task.error = trimmed(task.error);
        }
        rememberDone(task);
      }
      recount(task);
    }
  }

  private void forgetUncollected(TaskRecord task) {
    TreeMap<Long, TaskRecord> done = uncollected.get(task.submitter);
    if (done != null && done.remove(task.id) != null && done.isEmpty()) {
      uncollected.remove(task.submitter);
    }
  }

  /** A finished task on the board joins its submitter's uncollected ones; a mine wait gets it. */
  private void noteUncollected(TaskRecord task, long now) {
    uncollected.computeIfAbsent(task.submitter, s -> new TreeMap<>()).put(task.id, task);
    ArrayDeque<TaskWaiter> parked = mineWaiters.get(task.submitter);
    if (parked != null) {
      TaskWaiter waiter = parked.peekFirst();
      if (waiter.isWaiting()) {
        waiter.finish();
        waiter.detach();
        waiter.answer(now);
      }
    }
  }

  private void rememberDone(TaskRecord task) {
    if (recentlyDone.size() == RECENT_TASKS) {
      TaskRecord oldest = recentlyDone.removeLast();
      oldest.inRecentlyDone = false;
      recount(oldest);
    }
    recentlyDone.addFirst(task);
    task.inRecentlyDone = true;
  }

  /** Whether {@code bytes} more may be stored without passing the coordinator's limit. */
  private boolean fits(long bytes) {
    return env.storedBytes() + bytes <= env.limits().maxStoredBytes();
  }

  /**
   * The failure of a task whose results would take the stored bytes past their limit: keeping them
   * would let results grow the heap without bound, and dropping them silently would lose them.
   */
  private RemoteError resultNotStored(TaskRecord task, long bytes) {
    return RemoteError.newBuilder()
        .setClassName("dev.colony.ResultTooLargeException")
        .setMessage(
            "the result of task "
                + task.id
                + " ("
                + bytes
                + " bytes) cannot be kept for collection: the coordinator stores "
                + env.storedBytes()
                + " bytes in all (limit "
                + env.limits().maxStoredBytes()
                + ", --max-stored-bytes); collect results sooner (fewer tasks in flight, smaller"
                + " chunks), make results smaller, or raise the limit")
        .setReason(TaskFailureReason.RESULT_NOT_STORED)
        .build();
  }

  /**
   * A worker's error too large for the room left: its message, shortened, and its class are what a
   * caller needs; the stack trace and causes are dropped.
   */
  private static RemoteError trimmed(RemoteError error) {
    String message = shortened(error.getMessage());
    return error.toBuilder()
        .clearStack()
        .clearCause()
        .setClassName(shortened(error.getClassName()))
        .setMessage(
            message
                + " (stack trace and causes dropped: the coordinator's --max-stored-bytes is"
                + " reached)")
        .build();
  }

  private static String shortened(String text) {
    return text.length() > MAX_KEPT_ERROR_MESSAGE
        ? text.substring(0, MAX_KEPT_ERROR_MESSAGE) + "..."
        : text;
  }

  private void dispatch() {
    while (!queued.isEmpty()) {
      WorkerRecord worker = workers.nextWithCredit();
      if (worker == null) {
        return;
      }
      TaskRecord task = queued.pollFirst();
      task.attempt++;
      task.state = TaskState.TASK_STATE_RUNNING;
      task.worker = worker;
      worker.credits--;
      worker.running.put(task.id, task);
      env.outbox()
          .toWorker(
              worker.streamId, CoordinatorFrame.newBuilder().setTask(task.assignment()).build());
    }
  }

  // ---- tasks no worker can run --------------------------------------------------------------

  /**
   * Workers joined, left, came back or started draining: whether any is able may have changed. The
   * wait of tasks already queued counts from the moment the last able worker went.
   */
  private void workersChanged(long now) {
    if (workers.anyAble()) {
      noWorkerSince = SOME_WORKER;
      noWorkerCheck = null;
    } else if (noWorkerSince == SOME_WORKER) {
      noWorkerSince = now;
      armNoWorkerCheck(now);
    }
  }

  /** The task entered the queue: its wait for a worker starts now. */
  private void queuedNow(TaskRecord task, long now) {
    task.queuedAt = now;
    long due = noWorkerDue(task);
    // Deadlines of queued tasks only move later, so the check, if earlier, covers this task too.
    if (due != Timed.NEVER && (noWorkerCheck == null || due < noWorkerCheck.deadline())) {
      scheduleNoWorkerCheck(due);
    }
  }

  /** When the task fails for want of a worker, if it stays queued and none comes; or never. */
  private long noWorkerDue(TaskRecord task) {
    long timeout = task.spec.getNoWorkerTimeoutMs();
    if (timeout <= 0 || noWorkerSince == SOME_WORKER) {
      return Timed.NEVER;
    }
    long due = Math.max(task.queuedAt, noWorkerSince) + timeout;
    return due < 0 ? Timed.NEVER : due;
  }

  /** How long the queued task has waited with no able worker; 0 while one is connected. */
  private long noWorkerWait(TaskRecord task, long now) {
    return noWorkerSince == SOME_WORKER ? 0 : now - Math.max(task.queuedAt, noWorkerSince);
  }

  private void armNoWorkerCheck(long now) {
    long next = Timed.NEVER;
    for (TaskRecord task : queued) {
      next = Math.min(next, noWorkerDue(task));
    }
    noWorkerCheck = null;
    if (next != Timed.NEVER) {
      scheduleNoWorkerCheck(next);
    }
  }

  private void scheduleNoWorkerCheck(long deadline) {
    // A fresh entry: the old one may still sit in the timer queue, and is dead once replaced.
    noWorkerCheck = new NoWorkerCheck();
    timers.schedule(noWorkerCheck, deadline);
  }

  /** Fails every queued task past its no-worker timeout, then waits for the next one's. */
  private void checkNoWorker(long now) {
    noWorkerCheck = null;
    List<TaskRecord> expired = new ArrayList<>();
    for (TaskRecord task : queued) {
      if (noWorkerDue(task) <= now) {
        expired.add(task);
      }
    }
    if (!expired.isEmpty()) {
      Set<TaskRecord> leaving = new HashSet<>(expired);
      queued.removeIf(leaving::contains);
      String why = workers.whyNoneAble();
      for (TaskRecord task : expired) {
        finish(task, TaskState.TASK_STATE_FAILED, List.of(), noWorkerError(task, why, now), now);
      }
      log.warn(
          "{} queued tasks failed with NO_WORKER: {} ({} first)",
          expired.size(),
          why,
          expired.get(0).spec.getTaskName());
    }
    armNoWorkerCheck(now);
  }

  private RemoteError noWorkerError(TaskRecord task, String why, long now) {
    return RemoteError.newBuilder()
        .setClassName("dev.colony.NoWorkerException")
        .setMessage(
            "no worker is connected that can run "
                + task.spec.getTaskName()
                + ": task "
                + task.id
                + " waited "
                + noWorkerWait(task, now)
                + " ms (its noWorkerTimeout is "
                + task.spec.getNoWorkerTimeoutMs()
                + " ms) and "
                + why
                + "; "
                + START_A_WORKER)
        .setReason(TaskFailureReason.NO_WORKER)
        .build();
  }

  /**
   * The warning about those of {@code candidates} still queued that have waited past the threshold
   * with no able worker, with their ids; null if none has.
   */
  /** The queued tasks of {@code session}, read only while no able worker is connected. */
  private Iterable<TaskRecord> queuedOf(Session session) {
    if (noWorkerSince == SOME_WORKER) {
      return List.of();
    }
    return queued.stream().filter(t -> t.submitter == session).toList();
  }

  private NoWorkerWarning.Builder noWorkerWarning(Iterable<TaskRecord> candidates, long now) {
    if (noWorkerSince == SOME_WORKER) {
      return null;
    }
    NoWorkerWarning.Builder warning = NoWorkerWarning.newBuilder();
    Set<String> names = new LinkedHashSet<>();
    long longest = 0;
    for (TaskRecord task : candidates) {
      long waited = noWorkerWait(task, now);
      if (task.state != TaskState.TASK_STATE_QUEUED
          || waited < env.options().noWorkerWarningMillis()) {
        continue;
      }
      warning.addTaskIds(task.id);
      longest = Math.max(longest, waited);
      if (names.size() < NO_WORKER_NAMES) {
        names.add(task.spec.getTaskName());
      }
    }
    int count = warning.getTaskIdsCount();
    if (count == 0) {
      return null;
    }
    return warning
        .setQueued(count)
        .setWaitingMs(longest)
        .addAllTaskNames(names)
        .setMessage(
            count
                + (count == 1 ? " task" : " tasks")
                + " queued for "
                + longest / 1000
                + " s with no worker able to run "
                + (count == 1 ? "it" : "them")
                + " ("
                + workers.whyNoneAble()
                + "): "
                + String.join(", ", names)
                + (count > names.size() ? ", ..." : "")
                + "; "
                + START_A_WORKER);
  }

  /**
   * The board's single deadline for no-worker timeouts, at the earliest due of the queued tasks.
   * One entry rather than one per task: tasks leave the queue in bulk when it fires, and a worker
   * joining retires it in one step.
   */
  final class NoWorkerCheck extends Timed {
    @Override
    protected boolean isLive() {
      return noWorkerCheck == this;
    }

    @Override
    protected void fire(long now) {
      checkNoWorker(now);
    }
  }

  private void requeue(TaskRecord task, boolean workerLost, long now) {
    task.worker = null;
    int maxRetries = task.spec.hasMaxRetries() ? task.spec.getMaxRetries() : DEFAULT_MAX_RETRIES;
    if (!workerLost) {
      task.attempt--; // interrupted by a draining worker: not the task's fault
    }
    if (workerLost && task.attempt > maxRetries) {
      finish(
          task,
          TaskState.TASK_STATE_FAILED,
          List.of(),
          RemoteError.newBuilder()
              .setClassName("dev.colony.WorkerLostException")
              .setMessage(
                  "worker lost: the worker running task "
                      + task.id
                      + " died or left on each of its "
                      + task.attempt
                      + " attempts (maxRetries "
                      + maxRetries
                      + "); the last was "
                      + task.lastLoss)
              .setReason(TaskFailureReason.WORKER_LOST)
              .build(),
          now);
      return;
    }
    task.state = TaskState.TASK_STATE_QUEUED;
    queued.addFirst(task);
    queuedNow(task, now);
  }

  private void cancelTask(TaskRecord task, String why, long now) {
    if (task.state == TaskState.TASK_STATE_QUEUED) {
      queued.remove(task);
    } else if (task.worker != null && !task.worker.gone) {
      env.outbox()
          .toWorker(
              task.worker.streamId,
              CoordinatorFrame.newBuilder()
                  .setAbort(TaskAbort.newBuilder().setTaskId(task.id))
                  .build());
    }
    finish(
        task,
        TaskState.TASK_STATE_CANCELLED,
        List.of(),
        RemoteError.newBuilder()
            .setClassName("java.util.concurrent.CancellationException")
            .setMessage("task " + task.id + " " + why)
            .setReason(TaskFailureReason.TASK_CANCELLED)
            .build(),
        now);
  }

  private void finish(
      TaskRecord task, TaskState state, List<Payload> results, RemoteError error, long now) {
    finish(task, state, results, ByteString.EMPTY, error, now);
  }

  /** As above, with a packed task's results ({@code packed}, empty for others). */
  private void finish(
      TaskRecord task,
      TaskState state,
      List<Payload> results,
      ByteString packed,
      RemoteError error,
      long now) {
    if ((!results.isEmpty() || !packed.isEmpty()) && tasks.get(task.id) == task) {
      long bytes = storedSize(results) + storedSize(packed);
      if (!fits(bytes)) {
        log.warn(
            "task {} failed: its result of {} bytes is past --max-stored-bytes", task.id, bytes);
        state = TaskState.TASK_STATE_FAILED;
        error = resultNotStored(task, bytes);
        results = List.of();
        packed = ByteString.EMPTY;
      }
    }
    task.packedResults = packed;
    if (error != null
        && error.getSerializedSize() > MAX_KEPT_ERROR_MESSAGE
        && !fits(error.getSerializedSize())) {
      error = trimmed(error);
    }
    task.state = state;
    task.results = results;
    task.error = error;
    if (state == TaskState.TASK_STATE_SUCCEEDED) {
      succeeded++;
    } else {
      failed++;
    }
    finishRate.finished(now);
    if (state == TaskState.TASK_STATE_FAILED) {
      if (recentFailures.size() == RECENT_FAILURES) {
        TaskRecord oldest = recentFailures.removeLast().task();
        oldest.inRecentFailures = false;
        recount(oldest);
      }
      recentFailures.addFirst(new FailedTask(task, now));
      task.inRecentFailures = true;
    }
    recount(task);
    if (task.orphaned) {
      drop(task);
    } else {
      noteUncollected(task, now);
    }
    for (TaskWaiter waiter : new ArrayList<>(task.waiters)) {
      waiter.finished++;
      if (waiter.isWaiting() && waiter.satisfied()) {
        waiter.finish();
        waiter.detach();
        waiter.answer(now);
      }
    }
    task.waiters.clear();
  }

  /** A TaskWait call parked until its tasks finish. */
  final class TaskWaiter extends Waiter {
    private final List<TaskRecord> wanted;
    private final boolean all;
    private final boolean forget;
    // Waits for any finished task of its session (wanted is empty), see TaskWaitRequest.mine.
    private final boolean mine;
    // Kept up to date by finish(), so a waiter on many tasks is not rescanned per result.
    int finished;

    TaskWaiter(CallContext call, List<TaskRecord> wanted, boolean all, boolean forget) {
      this(call, wanted, all, forget, false);
    }

    TaskWaiter(
        CallContext call, List<TaskRecord> wanted, boolean all, boolean forget, boolean mine) {
      super(call);
      this.wanted = wanted;
      this.all = all;
      this.forget = forget;
      this.mine = mine;
      for (TaskRecord task : wanted) {
        if (task.isFinished()) {
          finished++;
        }
      }
    }

    boolean satisfied() {
      if (mine) {
        return uncollected.containsKey(call.session());
      }
      return all ? finished == wanted.size() : finished > 0 || wanted.isEmpty();
    }

    void answer(long now) {
      if (mine) {
        answerMine(now);
        return;
      }
      TaskWaitResponse.Builder response = TaskWaitResponse.newBuilder();
      NoWorkerWarning.Builder noWorker = noWorkerWarning(wanted, now);
      if (noWorker != null) {
        response.setNoWorker(noWorker);
      }
      for (TaskRecord task : wanted) {
        if (task.isFinished()) {
          response.addOutcomes(task.outcome());
          if (forget) {
            drop(task);
          }
        }
      }
      call.reply(r -> r.setTaskWait(response));
    }

    private void answerMine(long now) {
      TaskWaitResponse.Builder response = TaskWaitResponse.newBuilder();
      TreeMap<Long, TaskRecord> done = uncollected.get(call.session());
      if (done != null) {
        long bytes = 0;
        List<TaskRecord> collected = new ArrayList<>();
        for (TaskRecord task : done.values()) {
          TaskOutcome outcome = task.outcome();
          if (bytes > 0 && bytes + outcome.getSerializedSize() > MINE_REPLY_BYTES) {
            break;
          }
          bytes += outcome.getSerializedSize();
          response.addOutcomes(outcome);
          collected.add(task);
        }
        collected.forEach(TaskBoard.this::drop);
      }
      NoWorkerWarning.Builder noWorker = noWorkerWarning(queuedOf(call.session()), now);
      if (noWorker != null) {
        response.setNoWorker(noWorker);
      }
      call.reply(r -> r.setTaskWait(response));
    }

    @Override
    protected void onTimeout(long now) {
      detach();
      answer(now);
    }

    @Override
    protected void onCancel() {
      detach();
    }

    void detach() {
      if (mine) {
        ArrayDeque<TaskWaiter> parked = mineWaiters.get(call.session());
        if (parked != null && parked.remove(this) && parked.isEmpty()) {
          mineWaiters.remove(call.session());
        }
        return;
      }
      for (TaskRecord task : wanted) {
        if (!task.isFinished()) {
          task.waiters.remove(this);
        }
      }
    }
  }
}
