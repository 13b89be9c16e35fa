package dev.colony.server.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.Command;
import dev.colony.proto.v1.CommandBatch;
import dev.colony.proto.v1.CoordinatorFrame;
import dev.colony.proto.v1.CoreSnapshot;
import dev.colony.proto.v1.NoWorkerWarning;
import dev.colony.proto.v1.Payload;
import dev.colony.proto.v1.TaskFailureReason;
import dev.colony.proto.v1.TaskOutcome;
import dev.colony.proto.v1.TaskSpec;
import dev.colony.proto.v1.TaskState;
import dev.colony.proto.v1.TaskSubmitRequest;
import dev.colony.proto.v1.TaskValues;
import dev.colony.proto.v1.TaskWaitRequest;
import dev.colony.proto.v1.TickCommand;
import dev.colony.proto.v1.TimerSnapshot;
import dev.colony.proto.v1.WorkerCredit;
import dev.colony.proto.v1.WorkerDrain;
import dev.colony.proto.v1.WorkerFrame;
import dev.colony.proto.v1.WorkerHello;
import dev.colony.proto.v1.WorkerTaskResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Queued tasks that no worker can run: the NO_WORKER timeout and the warning. */
class NoWorkerTest {
  private static final String TASK = "dev.example.Crunch";

  private final CoreHarness h = new CoreHarness();
  private final String client = h.session("client", 3_600_000);

  private List<Long> submit(int n, long noWorkerTimeoutMillis) {
    TaskSubmitRequest.Builder request = TaskSubmitRequest.newBuilder();
    for (int i = 0; i < n; i++) {
      request.addTasks(
          TaskSpec.newBuilder()
              .setTaskName(TASK)
              .addArguments(
                  Payload.newBuilder().setCodec("string").setData(ByteString.copyFromUtf8("a" + i)))
              .setNoWorkerTimeoutMs(noWorkerTimeoutMillis));
    }
    return h.call(client, Call.newBuilder().setTaskSubmit(request))
        .reply()
        .getTaskSubmit()
        .getTaskIdsList();
  }

  private CoreHarness.PendingCall awaitAll(List<Long> ids) {
    return h.call(
        client,
        Call.newBuilder()
            .setTaskWait(TaskWaitRequest.newBuilder().addAllTaskIds(ids).setAll(true)));
  }

  private String worker(int slots, List<CoordinatorFrame> received) {
    String id =
        h.workerJoin(
            WorkerHello.newBuilder().setName("w").setHost("h").setPid(7).setSlots(slots).build(),
            received::add);
    if (slots > 0) {
      h.workerFrame(
          id,
          WorkerFrame.newBuilder().setCredit(WorkerCredit.newBuilder().setSlots(slots)).build());
    }
    return id;
  }

  private static void assertNoWorkerFailure(TaskOutcome outcome, String expectedWhy) {
    assertEquals(TaskState.TASK_STATE_FAILED, outcome.getState());
    assertEquals(TaskFailureReason.NO_WORKER, outcome.getError().getReason());
    String message = outcome.getError().getMessage();
    assertTrue(message.contains("no worker is connected that can run " + TASK), message);
    assertTrue(message.contains("colony worker --tasks"), message);
    assertTrue(message.contains(expectedWhy), message);
  }

  @Test
  void timeoutRunsOut_withNoWorker_theTaskFailsWithNoWorker() {
    List<Long> ids = submit(2, 5_000);
    var wait = awaitAll(ids);

    h.advance(4_999);
    assertFalse(wait.isDone());
    h.advance(1);

    List<TaskOutcome> outcomes = wait.reply().getTaskWait().getOutcomesList();
    assertEquals(2, outcomes.size());
    for (TaskOutcome outcome : outcomes) {
      assertNoWorkerFailure(outcome, "no worker is connected");
    }
    assertEquals(0, h.core.status().getTasks().getQueued());
    assertEquals(
        TaskFailureReason.NO_WORKER, h.core.status().getRecentFailures(0).getError().getReason());
  }

  @Test
  void tasksWithoutTheOption_waitAsLongAsItTakes() {
    List<Long> ids = submit(1, 0);
    var wait = awaitAll(ids);

    h.advance(30 * 60_000L);

    assertFalse(wait.isDone());
    assertEquals(1, h.core.status().getTasks().getQueued());
  }

  @Test
  void aWorkerJoiningBeforeTheTimeout_cancelsIt() {
    List<Long> ids = submit(1, 5_000);
    var wait = awaitAll(ids);
    h.advance(3_000);
    List<CoordinatorFrame> received = new ArrayList<>();
    String worker = worker(1, received);
    h.advance(4_000); // past the timeout; within the worker's heartbeat timeout
    assertFalse(wait.isDone(), "the running task has a worker");

    h.workerFrame(
        worker,
        WorkerFrame.newBuilder()
            .setResult(
                WorkerTaskResult.newBuilder()
                    .setTaskId(ids.get(0))
                    .setAttempt(1)
                    .setValues(TaskValues.getDefaultInstance()))
            .build());

    assertEquals(
        TaskState.TASK_STATE_SUCCEEDED, wait.reply().getTaskWait().getOutcomes(0).getState());
  }

  @Test
  void aBusyWorker_isAble_andTheWaitStartsAgainWhenItLeaves() {
    List<Long> ids = submit(1, 5_000);
    var wait = awaitAll(ids);
    h.advance(3_000);
    String worker = worker(0, new ArrayList<>()); // connected, no free slot
    h.advance(4_000);
    assertFalse(wait.isDone(), "a connected worker may free a slot");

    h.workerLeft(worker, "stream closed");
    h.advance(4_999);
    assertFalse(wait.isDone());
    h.advance(1);

    assertNoWorkerFailure(wait.reply().getTaskWait().getOutcomes(0), "no worker is connected");
  }

  @Test
  void drainingWorkers_countAsNone() {
    String worker = worker(2, new ArrayList<>());
    h.workerFrame(
        worker, WorkerFrame.newBuilder().setDrain(WorkerDrain.getDefaultInstance()).build());
    List<Long> ids = submit(1, 1_000);
    var wait = awaitAll(ids);

    h.advance(1_000);

    assertNoWorkerFailure(
        wait.reply().getTaskWait().getOutcomes(0), "the only connected worker is draining");
  }

  @Test
  void aTaskRequeuedAfterItsWorkerWasLost_waitsFromThen() {
    List<Long> ids = submit(1, 5_000);
    var wait = awaitAll(ids);
    String worker = worker(1, new ArrayList<>());
    h.advance(4_000);
    h.workerLeft(worker, "stream closed");

    h.advance(4_999);
    assertFalse(wait.isDone());
    h.advance(1);

    assertNoWorkerFailure(wait.reply().getTaskWait().getOutcomes(0), "no worker is connected");
  }

  @Test
  void status_warnsOnceTasksWaitedPastTheThreshold() {
    submit(3, 0);
    h.advance(CoreOptions.DEFAULT_NO_WORKER_WARNING_MILLIS - 1);
    assertFalse(h.core.status().hasNoWorker());

    h.advance(1);

    NoWorkerWarning warning = h.core.status().getNoWorker();
    assertEquals(3, warning.getQueued());
    assertEquals(CoreOptions.DEFAULT_NO_WORKER_WARNING_MILLIS, warning.getWaitingMs());
    assertEquals(List.of(TASK), warning.getTaskNamesList());
    assertTrue(
        warning
            .getMessage()
            .startsWith(
                "3 tasks queued for 10 s with no worker able to run them (no worker is connected)"),
        warning.getMessage());
    assertEquals(0, warning.getTaskIdsCount());

    worker(0, new ArrayList<>());
    assertFalse(h.core.status().hasNoWorker());
  }

  @Test
  void taskWaitReplies_nameTheListedTasksThatWaitWithNoWorker() {
    List<Long> ids = submit(2, 0);
    h.advance(CoreOptions.DEFAULT_NO_WORKER_WARNING_MILLIS);

    var wait =
        h.call(
            client,
            Call.newBuilder()
                .setTaskWait(TaskWaitRequest.newBuilder().addTaskIds(ids.get(1)).setTimeoutMs(0)));

    NoWorkerWarning warning = wait.reply().getTaskWait().getNoWorker();
    assertEquals(List.of(ids.get(1)), warning.getTaskIdsList());
    assertEquals(1, warning.getQueued());
  }

  @Test
  void snapshotAndRestore_keepTheDeadline() throws Exception {
    submit(1, 5_000);
    h.advance(2_000);
    String worker = worker(0, new ArrayList<>());
    h.workerLeft(worker, "stream closed"); // the wait starts again here
    h.advance(1_000);

    CoreSnapshot snapshot = h.core.snapshot();
    assertTrue(
        snapshot.getTimersList().stream()
            .anyMatch(t -> t.getKindCase() == TimerSnapshot.KindCase.NO_WORKER_CHECK),
        "the check is a timer in the snapshot");
    byte[] bytes = snapshot.toByteArray();
    CoordinatorCore restored =
        CoordinatorCore.restore(h.core.limits(), h.core.options(), CoreSnapshot.parseFrom(bytes));
    assertArrayEquals(bytes, restored.snapshot().toByteArray());

    long left = h.clock.get() - 1_000;
    restored.apply(tick(left + 4_999));
    assertEquals(1, restored.status().getTasks().getQueued());
    restored.apply(tick(left + 5_000));
    assertEquals(0, restored.status().getTasks().getQueued());
    assertEquals(
        TaskFailureReason.NO_WORKER, restored.status().getRecentFailures(0).getError().getReason());

    h.core.apply(tick(left + 5_000));
    assertEquals(h.core.digest(), restored.digest());
  }

  private static CommandBatch tick(long now) {
    return CommandBatch.newBuilder()
        .setNowMs(now)
        .addCommands(Command.newBuilder().setTick(TickCommand.getDefaultInstance()))
        .build();
  }
}
