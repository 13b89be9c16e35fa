package dev.colony.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.CoordinatorFrame;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.Payload;
import dev.colony.proto.v1.RemoteError;
import dev.colony.proto.v1.TaskCancelRequest;
import dev.colony.proto.v1.TaskFailure;
import dev.colony.proto.v1.TaskFailureReason;
import dev.colony.proto.v1.TaskSpec;
import dev.colony.proto.v1.TaskState;
import dev.colony.proto.v1.TaskSubmitRequest;
import dev.colony.proto.v1.TaskSummary;
import dev.colony.proto.v1.TaskValues;
import dev.colony.proto.v1.TaskWaitRequest;
import dev.colony.proto.v1.WorkerCredit;
import dev.colony.proto.v1.WorkerDrain;
import dev.colony.proto.v1.WorkerExit;
import dev.colony.proto.v1.WorkerFrame;
import dev.colony.proto.v1.WorkerHello;
import dev.colony.proto.v1.WorkerTaskResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskBoardTest {
  private final CoreHarness h = new CoreHarness();
  private final String client = h.session("client");

  /** A worker that records what the coordinator sends it. */
  private final class FakeWorker {
    final List<CoordinatorFrame> received = new ArrayList<>();
    final String id;

    FakeWorker(String name, int slots) {
      id =
          h.workerJoin(
              WorkerHello.newBuilder().setName(name).setHost("h").setPid(7).setSlots(slots).build(),
              received::add);
      frame(WorkerFrame.newBuilder().setCredit(WorkerCredit.newBuilder().setSlots(slots)));
    }

    void frame(WorkerFrame.Builder frame) {
      h.workerFrame(id, frame.build());
    }

    List<Long> assigned() {
      return received.stream()
          .filter(CoordinatorFrame::hasTask)
          .map(f -> f.getTask().getTaskId())
          .toList();
    }

    int attemptOf(long taskId) {
      return received.stream()
          .filter(f -> f.hasTask() && f.getTask().getTaskId() == taskId)
          .reduce((a, b) -> b)
          .orElseThrow()
          .getTask()
          .getAttempt();
    }

    void succeed(long taskId, String value) {
      frame(
          WorkerFrame.newBuilder()
              .setResult(
                  WorkerTaskResult.newBuilder()
                      .setTaskId(taskId)
                      .setAttempt(attemptOf(taskId))
                      .setValues(TaskValues.newBuilder().addValues(payload(value)))));
    }
  }

  private void fail(FakeWorker worker, long taskId, String message) {
    worker.frame(
        WorkerFrame.newBuilder()
            .setResult(
                WorkerTaskResult.newBuilder()
                    .setTaskId(taskId)
                    .setAttempt(worker.attemptOf(taskId))
                    .setError(
                        RemoteError.newBuilder()
                            .setClassName("java.lang.IllegalStateException")
                            .setMessage(message)
                            .addStack("at example.Echo.call(Echo.java:12)")
                            .setReason(TaskFailureReason.TASK_THREW))));
  }

  @Test
  void status_listsTheLatestFiftyFailures_newestFirst_withTheirRemoteErrors() {
    List<Long> ids = submit(TaskBoard.RECENT_FAILURES + 2, false, 3);
    FakeWorker worker = new FakeWorker("w", ids.size());
    for (int i = 0; i < ids.size(); i++) {
      h.clock.addAndGet(10);
      fail(worker, ids.get(i), "boom " + i);
    }

    List<TaskFailure> failures = h.core.status().getRecentFailuresList();

    assertEquals(TaskBoard.RECENT_FAILURES, failures.size());
    TaskFailure newest = failures.get(0);
    assertEquals(ids.get(ids.size() - 1), newest.getTaskId());
    assertEquals("Echo", newest.getName());
    assertEquals("boom " + (ids.size() - 1), newest.getError().getMessage());
    assertEquals("at example.Echo.call(Echo.java:12)", newest.getError().getStack(0));
    assertEquals("h", newest.getWorkerHost());
    assertEquals(7, newest.getWorkerPid());
    assertEquals(0, newest.getFailedMsAgo());
    assertEquals(ids.get(2), failures.get(failures.size() - 1).getTaskId());
    assertEquals(
        10 * (TaskBoard.RECENT_FAILURES - 1), failures.get(failures.size() - 1).getFailedMsAgo());
  }

  @Test
  void status_listsTheTrackedTasks_newestFirst_withWhereTheyRun() {
    List<Long> ids = submit(3, false, 3);
    // The core's time moves with events: the worker's joining is 10 ms after the submission.
    h.clock.addAndGet(10);
    FakeWorker worker = new FakeWorker("w", 1);

    List<TaskSummary> tasks = h.core.status().getRecentTasksList();

    assertEquals(
        List.of(ids.get(2), ids.get(1), ids.get(0)),
        tasks.stream().map(TaskSummary::getTaskId).toList());
    TaskSummary running = tasks.get(2);
    assertEquals(TaskState.TASK_STATE_RUNNING, running.getState());
    assertEquals("Echo", running.getName());
    assertEquals(worker.id, running.getWorkerId());
    assertEquals("h", running.getWorkerHost());
    assertEquals(7, running.getWorkerPid());
    assertEquals(10, running.getQueuedMsAgo());
    assertEquals(TaskState.TASK_STATE_QUEUED, tasks.get(0).getState());
    assertEquals("", tasks.get(0).getWorkerHost());
  }

  @Test
  void status_listsAtMostFiftyTrackedTasks() {
    List<Long> ids = submit(TaskBoard.RECENT_TASKS + 2, false, 3);

    List<TaskSummary> tasks = h.core.status().getRecentTasksList();

    assertEquals(TaskBoard.RECENT_TASKS, tasks.size());
    assertEquals(ids.get(ids.size() - 1), tasks.get(0).getTaskId());
    assertEquals(ids.get(2), tasks.get(tasks.size() - 1).getTaskId());
  }

  @Test
  void status_listsLostTasks_butNotCancelledOnes() {
    List<Long> ids = submit(2, false, 0);
    FakeWorker worker = new FakeWorker("w", 1);
    h.call(
            client,
            Call.newBuilder().setTaskCancel(TaskCancelRequest.newBuilder().addTaskIds(ids.get(1))))
        .reply();
    h.workerLeft(worker.id, "stream closed");

    List<TaskFailure> failures = h.core.status().getRecentFailuresList();

    assertEquals(1, failures.size());
    assertEquals(ids.get(0), failures.get(0).getTaskId());
    assertEquals(TaskFailureReason.WORKER_LOST, failures.get(0).getError().getReason());
  }

  private static Payload payload(String s) {
    return Payload.newBuilder().setCodec("string").setData(ByteString.copyFromUtf8(s)).build();
  }

  private List<Long> submit(int n, boolean daemon, int maxRetries) {
    TaskSubmitRequest.Builder request = TaskSubmitRequest.newBuilder();
    for (int i = 0; i < n; i++) {
      request.addTasks(
          TaskSpec.newBuilder()
              .setTaskName("Echo")
              .addArguments(payload("arg" + i))
              .setDaemon(daemon)
              .setMaxRetries(maxRetries));
    }
    return h.call(client, Call.newBuilder().setTaskSubmit(request))
        .reply()
        .getTaskSubmit()
        .getTaskIdsList();
  }

  private CoreHarness.PendingCall await(List<Long> ids, boolean all) {
    return h.call(
        client,
        Call.newBuilder().setTaskWait(TaskWaitRequest.newBuilder().addAllTaskIds(ids).setAll(all)));
  }

  @Test
  void worker_neverGetsMoreTasksThanCredits_andResultsReachTheWaiter() {
    List<Long> ids = submit(5, false, 3);
    FakeWorker worker = new FakeWorker("w", 2);
    assertEquals(ids.subList(0, 2), worker.assigned());

    var waitAll = await(ids, true);
    worker.succeed(ids.get(0), "r0");
    assertEquals(3, worker.assigned().size()); // a result frees one slot
    for (int i = 1; i < 5; i++) {
      worker.succeed(ids.get(i), "r" + i);
    }
    assertFalse(worker.assigned().size() > 5);
    var outcomes = waitAll.reply().getTaskWait().getOutcomesList();
    assertEquals(5, outcomes.size());
    assertEquals("r3", outcomes.get(3).getResults(0).getData().toStringUtf8());
    assertEquals(TaskState.TASK_STATE_SUCCEEDED, outcomes.get(3).getState());
  }

  private CoreHarness.PendingCall awaitMine(String session, long timeoutMs) {
    return h.call(
        session,
        Call.newBuilder()
            .setTaskWait(
                TaskWaitRequest.newBuilder()
                    .setMine(true)
                    .setForget(true)
                    .setTimeoutMs(timeoutMs)));
  }

  private static List<String> results(CoreHarness.PendingCall wait) {
    return wait.reply().getTaskWait().getOutcomesList().stream()
        .map(o -> o.getResults(0).getData().toStringUtf8())
        .toList();
  }

  @Test
  void mineWait_isAnsweredByTheFirstOfItsSessionsTasksToFinish_thenGetsEveryFinishedOneAtOnce() {
    String other = h.session("other");
    List<Long> ids = submit(4, false, 3);
    FakeWorker worker = new FakeWorker("w", 4);
    var first = awaitMine(client, 60_000);
    var theirs = awaitMine(other, 60_000);
    assertFalse(first.isDone(), "nothing finished yet");

    worker.succeed(ids.get(2), "r2");
    assertEquals(List.of("r2"), results(first));
    // Finished while no wait was parked: the next wait gets all of them, in task id order.
    worker.succeed(ids.get(3), "r3");
    worker.succeed(ids.get(0), "r0");
    assertEquals(List.of("r0", "r3"), results(awaitMine(client, 60_000)));
    assertFalse(theirs.isDone(), "another session's tasks are not its own");

    // Collected results are forgotten: a wait that times out gets nothing more.
    var nothing = awaitMine(client, 10);
    h.advance(20);
    assertEquals(List.of(), results(nothing));
    worker.succeed(ids.get(1), "r1");
    assertEquals(List.of("r1"), results(awaitMine(client, 60_000)));
  }

  @Test
  void mineWait_withTaskIdsOrWithoutForget_isInvalid() {
    List<Long> ids = submit(1, false, 3);
    var withIds =
        h.call(
            client,
            Call.newBuilder()
                .setTaskWait(
                    TaskWaitRequest.newBuilder()
                        .setMine(true)
                        .setForget(true)
                        .addTaskIds(ids.get(0))));
    ExpectFailure.of(withIds, CoreException.Code.INVALID_ARGUMENT, ErrorReason.INVALID_REQUEST);
    var keeping =
        h.call(client, Call.newBuilder().setTaskWait(TaskWaitRequest.newBuilder().setMine(true)));
    ExpectFailure.of(keeping, CoreException.Code.INVALID_ARGUMENT, ErrorReason.INVALID_REQUEST);
  }

  @Test
  void lostWorker_tasksGoToAnotherWorker_firstResultWins() {
    List<Long> ids = submit(2, false, 3);
    FakeWorker first = new FakeWorker("first", 2);
    FakeWorker second = new FakeWorker("second", 2);
    assertEquals(ids, first.assigned());
    h.workerLeft(first.id, "stream broken");
    assertEquals(ids, second.assigned());
    assertEquals(2, second.attemptOf(ids.get(0)));

    var wait = await(ids, true);
    second.succeed(ids.get(0), "a");
    second.succeed(ids.get(0), "duplicate");
    second.succeed(ids.get(1), "b");
    var outcomes = wait.reply().getTaskWait().getOutcomesList();
    assertEquals("a", outcomes.get(0).getResults(0).getData().toStringUtf8());
  }

  @Test
  void resultCarriedOverFromAnEarlierStream_settlesTheTask_andStopsItsRerun() {
    List<Long> ids = submit(1, false, 3);
    FakeWorker first = new FakeWorker("first", 1);
    long task = ids.get(0);
    int firstAttempt = first.attemptOf(task);
    h.workerLeft(first.id, "stream broken");
    FakeWorker second = new FakeWorker("second", 1);
    assertEquals(List.of(task), second.assigned());
    var wait = await(ids, true);

    // The first worker finished the task while its stream was down, and reports it after it
    // joined again under a new id.
    FakeWorker back = new FakeWorker("first-again", 1);
    back.frame(
        WorkerFrame.newBuilder()
            .setResult(
                WorkerTaskResult.newBuilder()
                    .setTaskId(task)
                    .setAttempt(firstAttempt)
                    .setValues(TaskValues.newBuilder().addValues(payload("from the outage")))));

    var outcome = wait.reply().getTaskWait().getOutcomes(0);
    assertEquals(TaskState.TASK_STATE_SUCCEEDED, outcome.getState());
    assertEquals("from the outage", outcome.getResults(0).getData().toStringUtf8());
    assertTrue(
        second.received.stream().anyMatch(f -> f.hasAbort() && f.getAbort().getTaskId() == task),
        "the rerun is told to stop: " + second.received);
  }

  @Test
  void resultCarriedOverFromAnEarlierStream_takesTheTaskOffTheQueue() {
    List<Long> ids = submit(1, false, 3);
    FakeWorker first = new FakeWorker("first", 1);
    int attempt = first.attemptOf(ids.get(0));
    h.workerLeft(first.id, "the coordinator restarted");
    FakeWorker back = new FakeWorker("first-again", 0);
    back.frame(
        WorkerFrame.newBuilder()
            .setResult(
                WorkerTaskResult.newBuilder()
                    .setTaskId(ids.get(0))
                    .setAttempt(attempt)
                    .setValues(TaskValues.newBuilder().addValues(payload("done")))));
    FakeWorker later = new FakeWorker("later", 1);

    assertEquals(List.of(), later.assigned(), "a settled task is not run again");
    var outcome = await(ids, true).reply().getTaskWait().getOutcomes(0);
    assertEquals("done", outcome.getResults(0).getData().toStringUtf8());
  }

  @Test
  void afterARestart_aWorkerThatComesBack_keepsItsTasks_andItsCarriedResultSettlesOne() {
    List<Long> ids = submit(2, false, 3);
    FakeWorker worker = new FakeWorker("w", 2);
    assertEquals(ids, worker.assigned());
    h.apply(
        dev.colony.proto.v1.Command.newBuilder()
            .setRestart(dev.colony.proto.v1.RestartCommand.getDefaultInstance()));
    var wait = await(ids, true);

    // It finished the first task while the coordinator was down and still runs the second.
    List<CoordinatorFrame> frames = new ArrayList<>();
    String id = h.workerJoin(resumeHello(worker, ids.get(0), ids.get(1)), frames::add);
    assertEquals(worker.id, id, "the worker takes its place again");
    h.workerFrame(id, WorkerFrame.newBuilder().setResult(result(ids.get(0), 1, "carried")).build());
    h.workerFrame(id, WorkerFrame.newBuilder().setResult(result(ids.get(1), 1, "later")).build());

    var outcomes = wait.reply().getTaskWait().getOutcomesList();
    assertEquals("carried", outcomes.get(0).getResults(0).getData().toStringUtf8());
    assertEquals("later", outcomes.get(1).getResults(0).getData().toStringUtf8());
    assertTrue(frames.stream().noneMatch(CoordinatorFrame::hasTask), "nothing ran twice");
  }

  @Test
  void afterARestart_aTaskTheWorkerDoesNotReport_runsAgain() {
    List<Long> ids = submit(2, false, 3);
    FakeWorker worker = new FakeWorker("w", 2);
    h.apply(
        dev.colony.proto.v1.Command.newBuilder()
            .setRestart(dev.colony.proto.v1.RestartCommand.getDefaultInstance()));

    // Its result for the second task went out on the old stream and was lost with it.
    List<CoordinatorFrame> frames = new ArrayList<>();
    String id = h.workerJoin(resumeHello(worker, ids.get(0)), frames::add);
    h.workerFrame(
        id, WorkerFrame.newBuilder().setCredit(WorkerCredit.newBuilder().setSlots(1)).build());

    assertEquals(
        List.of(ids.get(1)),
        frames.stream()
            .filter(CoordinatorFrame::hasTask)
            .map(f -> f.getTask().getTaskId())
            .toList());
  }

  @Test
  void everyResult_isAcknowledgedToItsWorker_evenOneThatChangesNothing() {
    List<Long> ids = submit(1, false, 3);
    FakeWorker worker = new FakeWorker("w", 1);
    worker.succeed(ids.get(0), "r");
    worker.succeed(ids.get(0), "again");

    assertEquals(
        List.of(List.of(ids.get(0)), List.of(ids.get(0))),
        worker.received.stream()
            .filter(CoordinatorFrame::hasResultsAck)
            .map(f -> f.getResultsAck().getTaskIdsList())
            .toList(),
        "the worker may forget a result once it is acknowledged");
  }

  @Test
  void afterARestart_aResentResultSettlesItsTask_butFreesNoSecondSlot() {
    List<Long> ids = submit(3, false, 3);
    FakeWorker worker = new FakeWorker("w", 1);
    assertEquals(List.of(ids.get(0)), worker.assigned());
    h.apply(
        dev.colony.proto.v1.Command.newBuilder()
            .setRestart(dev.colony.proto.v1.RestartCommand.getDefaultInstance()));
    var wait = await(List.of(ids.get(0)), true);

    // Its result went out on the old stream, which broke before the coordinator made it durable.
    List<CoordinatorFrame> frames = new ArrayList<>();
    String id = h.workerJoin(resumeHello(worker, ids.get(0)), frames::add);
    h.workerFrame(
        id,
        WorkerFrame.newBuilder().setResult(result(ids.get(0), 1, "kept").setResent(true)).build());
    h.workerFrame(
        id, WorkerFrame.newBuilder().setCredit(WorkerCredit.newBuilder().setSlots(1)).build());

    assertEquals(
        "kept", wait.reply().getTaskWait().getOutcomes(0).getResults(0).getData().toStringUtf8());
    assertEquals(
        List.of(ids.get(1)),
        frames.stream()
            .filter(CoordinatorFrame::hasTask)
            .map(f -> f.getTask().getTaskId())
            .toList(),
        "one slot, one task: the resent result is no credit");
  }

  @Test
  void afterARestart_aWorkerThatDoesNotComeBack_isLost_andItsTasksRunElsewhere() {
    List<Long> ids = submit(1, false, 3);
    new FakeWorker("gone", 1);
    h.apply(
        dev.colony.proto.v1.Command.newBuilder()
            .setRestart(dev.colony.proto.v1.RestartCommand.getDefaultInstance()));
    FakeWorker other = new FakeWorker("other", 1);
    assertEquals(List.of(), other.assigned(), "the task is still the first worker's");

    h.advance(
        WorkerRoster.RESTART_GRACE_HEARTBEATS * Limits.defaults().workerHeartbeatTimeoutMillis());

    assertEquals(ids, other.assigned());
  }

  private static WorkerHello resumeHello(FakeWorker worker, Long... reporting) {
    return WorkerHello.newBuilder()
        .setName("w")
        .setHost("h")
        .setPid(7)
        .setSlots(2)
        .setResumeWorkerId(worker.id)
        .addAllReportingTaskIds(List.of(reporting))
        .build();
  }

  private static WorkerTaskResult.Builder result(long taskId, int attempt, String value) {
    return WorkerTaskResult.newBuilder()
        .setTaskId(taskId)
        .setAttempt(attempt)
        .setValues(TaskValues.newBuilder().addValues(payload(value)));
  }

  @Test
  void task_failsWorkerLost_afterMaxRetries() {
    List<Long> ids = submit(1, false, 1);
    new FakeWorker("a", 1);
    h.workerLeft("worker-1", "killed");
    new FakeWorker("b", 1);
    h.workerLeft("worker-2", "killed");
    var outcome = await(ids, true).reply().getTaskWait().getOutcomes(0);
    assertEquals(TaskState.TASK_STATE_FAILED, outcome.getState());
    assertEquals(TaskFailureReason.WORKER_LOST, outcome.getError().getReason());
  }

  @Test
  void workerThatExits_countsAnAttempt_andAfterMaxRetriesTheTaskFailsSayingWhy() {
    List<Long> ids = submit(1, false, 2);
    for (int attempt = 1; attempt <= 3; attempt++) {
      FakeWorker worker = new FakeWorker("w" + attempt, 1);
      assertEquals(attempt, worker.attemptOf(ids.get(0)), "attempt on worker " + attempt);
      worker.frame(
          WorkerFrame.newBuilder()
              .setExit(
                  WorkerExit.newBuilder()
                      .setReason("System.exit called by task " + ids.get(0) + " (Echo)")));
    }

    var outcome = await(ids, true).reply().getTaskWait().getOutcomes(0);

    assertEquals(TaskState.TASK_STATE_FAILED, outcome.getState());
    assertEquals(TaskFailureReason.WORKER_LOST, outcome.getError().getReason());
    assertEquals(
        "worker lost: the worker running task "
            + ids.get(0)
            + " died or left on each of its 3 attempts (maxRetries 2); the last was worker-3"
            + " (h pid 7) exited: System.exit called by task "
            + ids.get(0)
            + " (Echo)",
        outcome.getError().getMessage());
    assertEquals(0, h.core.status().getWorkersCount(), "workers that exited are gone");
  }

  @Test
  void lostWorker_countsAnAttemptForEachOfItsTasks() {
    List<Long> ids = submit(2, false, 0);
    FakeWorker holder = new FakeWorker("holder", 2);
    assertEquals(ids, holder.assigned());

    h.workerLeft(holder.id, "stream broke: UNAVAILABLE");

    var outcomes = await(ids, true).reply().getTaskWait().getOutcomesList();
    for (var outcome : outcomes) {
      assertEquals(TaskState.TASK_STATE_FAILED, outcome.getState());
      assertTrue(
          outcome.getError().getMessage().endsWith("stream broke: UNAVAILABLE"),
          outcome.getError().getMessage());
    }
  }

  @Test
  void silentWorker_countsAnAttempt_andTheFailureNamesTheMissedHeartbeats() {
    List<Long> ids = submit(1, false, 0);
    new FakeWorker("silent", 1);

    h.advance(h.core.limits().workerHeartbeatTimeoutMillis());

    var outcome = await(ids, true).reply().getTaskWait().getOutcomes(0);
    assertEquals(TaskFailureReason.WORKER_LOST, outcome.getError().getReason());
    assertTrue(
        outcome.getError().getMessage().contains("worker-1 (h pid 7) no heartbeat for"),
        outcome.getError().getMessage());
  }

  @Test
  void drainingWorkerHandingATaskBack_doesNotCountAnAttempt() {
    List<Long> ids = submit(1, false, 0);
    FakeWorker draining = new FakeWorker("draining", 1);
    draining.frame(WorkerFrame.newBuilder().setDrain(WorkerDrain.getDefaultInstance()));
    draining.frame(
        WorkerFrame.newBuilder()
            .setResult(
                WorkerTaskResult.newBuilder()
                    .setTaskId(ids.get(0))
                    .setAttempt(1)
                    .setInterrupted(true)));

    FakeWorker next = new FakeWorker("next", 1);

    assertEquals(1, next.attemptOf(ids.get(0)));
  }

  @Test
  void silentWorker_isDeclaredGoneAfterHeartbeatTimeout() {
    List<Long> ids = submit(1, false, 3);
    FakeWorker silent = new FakeWorker("silent", 1);
    h.advance(h.core.limits().workerHeartbeatTimeoutMillis() - 1);
    FakeWorker alive = new FakeWorker("alive", 1);
    assertTrue(alive.assigned().isEmpty());
    h.advance(1);
    assertEquals(ids, alive.assigned());
    assertEquals(1, silent.assigned().size());
  }

  @Test
  void cancel_queuedTaskNeverRuns_runningTaskIsAborted() {
    List<Long> ids = submit(2, false, 3);
    FakeWorker worker = new FakeWorker("w", 1);
    h.call(
            client,
            Call.newBuilder().setTaskCancel(TaskCancelRequest.newBuilder().addAllTaskIds(ids)))
        .reply();
    assertTrue(worker.received.stream().anyMatch(f -> f.hasAbort()));
    assertEquals(List.of(ids.get(0)), worker.assigned());
    var outcomes = await(ids, true).reply().getTaskWait().getOutcomesList();
    assertEquals(TaskState.TASK_STATE_CANCELLED, outcomes.get(1).getState());
  }

  @Test
  void daemonTasks_areCancelledWhenTheirSubmitterSessionEnds() {
    List<Long> ids = submit(1, true, 3);
    FakeWorker worker = new FakeWorker("w", 1);
    h.closeSession(client);
    assertTrue(worker.received.stream().anyMatch(f -> f.hasAbort()));
  }

  @Test
  void snapshot_whileAWorkerStillRunsATaskThatLeftTheBoard_restores() {
    List<Long> ids = submit(1, true, 3);
    FakeWorker worker = new FakeWorker("w", 1);
    h.closeSession(client); // cancels the daemon task and drops it; the worker has yet to stop it

    var snapshot = h.core.snapshot();
    var restored = CoordinatorCore.restore(Limits.defaults(), CoreOptions.defaults(), snapshot);

    assertEquals(snapshot, restored.snapshot());
    assertEquals(ids, snapshot.getTasks().getWorkers(0).getRunningList());
  }

  @Test
  void waitAny_timesOutWithNothing_thenForgetDropsCollectedResults() {
    List<Long> ids = submit(1, false, 3);
    var wait =
        h.call(
            client,
            Call.newBuilder()
                .setTaskWait(
                    TaskWaitRequest.newBuilder()
                        .addAllTaskIds(ids)
                        .setTimeoutMs(100)
                        .setForget(true)));
    h.advance(99);
    assertFalse(wait.isDone());
    h.advance(1);
    assertEquals(0, wait.reply().getTaskWait().getOutcomesCount());

    FakeWorker worker = new FakeWorker("w", 1);
    worker.succeed(ids.get(0), "x");
    var collect =
        h.call(
            client,
            Call.newBuilder()
                .setTaskWait(TaskWaitRequest.newBuilder().addAllTaskIds(ids).setForget(true)));
    assertEquals(1, collect.reply().getTaskWait().getOutcomesCount());
    assertEquals(ErrorReason.TASK_NOT_FOUND, await(ids, true).failure().getReason());
  }
}
