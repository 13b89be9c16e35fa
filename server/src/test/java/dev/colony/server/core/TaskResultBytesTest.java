package dev.colony.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.CoordinatorFrame;
import dev.colony.proto.v1.Payload;
import dev.colony.proto.v1.RemoteError;
import dev.colony.proto.v1.TaskFailureReason;
import dev.colony.proto.v1.TaskOutcome;
import dev.colony.proto.v1.TaskSpec;
import dev.colony.proto.v1.TaskState;
import dev.colony.proto.v1.TaskSubmitRequest;
import dev.colony.proto.v1.TaskValues;
import dev.colony.proto.v1.TaskWaitRequest;
import dev.colony.proto.v1.WorkerCredit;
import dev.colony.proto.v1.WorkerFrame;
import dev.colony.proto.v1.WorkerHello;
import dev.colony.proto.v1.WorkerTaskResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Results held until collected, and failed tasks kept for the recent-failures list, count toward
 * the stored bytes like task specs; a result that would pass the limit fails its task, naming it.
 */
class TaskResultBytesTest {
  private static final long TOTAL = 64 << 10;
  private static final Limits LIMITS = Limits.defaults().withMaxStoredBytes(TOTAL);

  private final CoreHarness h = new CoreHarness(LIMITS);
  private final String client = h.session("client");
  private final List<CoordinatorFrame> received = new ArrayList<>();
  private final String worker =
      h.workerJoin(
          WorkerHello.newBuilder().setName("w").setHost("h").setPid(7).setSlots(8).build(),
          received::add);

  TaskResultBytesTest() {
    h.workerFrame(
        worker, WorkerFrame.newBuilder().setCredit(WorkerCredit.newBuilder().setSlots(8)).build());
  }

  private static final TaskSpec SPEC = TaskSpec.newBuilder().setTaskName("Echo").build();

  private long submit() {
    return h.call(
            client, Call.newBuilder().setTaskSubmit(TaskSubmitRequest.newBuilder().addTasks(SPEC)))
        .reply()
        .getTaskSubmit()
        .getTaskIds(0);
  }

  private static Payload bytes(int n) {
    return Payload.newBuilder().setData(ByteString.copyFrom(new byte[n])).build();
  }

  private void result(long taskId, WorkerTaskResult.Builder result) {
    h.workerFrame(
        worker, WorkerFrame.newBuilder().setResult(result.setTaskId(taskId).setAttempt(1)).build());
  }

  private void succeed(long taskId, Payload value) {
    result(
        taskId, WorkerTaskResult.newBuilder().setValues(TaskValues.newBuilder().addValues(value)));
  }

  private TaskOutcome collect(long taskId) {
    return h.call(
            client,
            Call.newBuilder()
                .setTaskWait(
                    TaskWaitRequest.newBuilder().addTaskIds(taskId).setAll(true).setForget(true)))
        .reply()
        .getTaskWait()
        .getOutcomes(0);
  }

  private static long spec() {
    return Limits.storedSize(SPEC.getSerializedSize());
  }

  @Test
  void results_countUntilCollected() {
    long task = submit();
    Payload value = bytes(10_000);

    succeed(task, value);

    assertEquals(spec() + Limits.storedSize(value.getSerializedSize()), h.core.storedBytes());
    assertEquals(TaskState.TASK_STATE_SUCCEEDED, collect(task).getState());
    assertEquals(0, h.core.storedBytes());
  }

  @Test
  void aResultPastTheLimit_failsItsTask_namingTheLimit_andOthersStillSucceed() {
    long big = submit();
    long small = submit();

    succeed(big, bytes((int) TOTAL));
    succeed(small, bytes(100));

    TaskOutcome refused = collect(big);
    assertEquals(TaskState.TASK_STATE_FAILED, refused.getState());
    assertEquals(TaskFailureReason.RESULT_NOT_STORED, refused.getError().getReason());
    String message = refused.getError().getMessage();
    assertTrue(message.contains("the result of task " + big), message);
    assertTrue(message.contains("(limit " + TOTAL + ", --max-stored-bytes)"), message);
    assertEquals(0, refused.getResultsCount());
    TaskOutcome served = collect(small);
    assertEquals(TaskState.TASK_STATE_SUCCEEDED, served.getState());
    assertEquals(bytes(100), served.getResults(0));
    assertTrue(h.core.storedBytes() > 0, "the failure is listed among the recent ones");
  }

  @Test
  void failedTasks_countWhileListedAmongTheRecentFailures() {
    RemoteError error =
        RemoteError.newBuilder()
            .setClassName("java.lang.IllegalStateException")
            .setMessage("boom")
            .setReason(TaskFailureReason.TASK_THREW)
            .build();
    List<Long> failed = new ArrayList<>();
    for (int i = 0; i <= TaskBoard.RECENT_FAILURES; i++) {
      long task = submit();
      result(task, WorkerTaskResult.newBuilder().setError(error));
      collect(task);
      failed.add(task);
    }

    long listed = TaskBoard.RECENT_FAILURES * (spec() + error.getSerializedSize());
    assertEquals(listed, h.core.storedBytes(), "the oldest failure left the list and the count");
  }

  @Test
  void aLargeErrorPastTheLimit_isKeptShortened() {
    String longMessage = "x".repeat((int) TOTAL);
    long task = submit();

    result(
        task,
        WorkerTaskResult.newBuilder()
            .setError(
                RemoteError.newBuilder()
                    .setClassName("java.lang.IllegalStateException")
                    .setMessage(longMessage)
                    .addStack("at example.Echo.call(Echo.java:12)")));

    RemoteError kept = collect(task).getError();
    assertTrue(kept.getMessage().length() < 400, kept::getMessage);
    assertTrue(kept.getMessage().contains("--max-stored-bytes is reached"), kept::getMessage);
    assertEquals(0, kept.getStackCount());
    assertTrue(h.core.storedBytes() < 1_000, "counted shortened: " + h.core.storedBytes());
  }

  @Test
  void countsSurviveSnapshotAndRestore() {
    long done = submit();
    succeed(done, bytes(5_000));
    long failed = submit();
    result(
        failed,
        WorkerTaskResult.newBuilder()
            .setError(RemoteError.newBuilder().setClassName("E").setMessage("boom")));
    collect(failed);
    submit();
    long before = h.core.storedBytes();

    CoordinatorCore restored =
        CoordinatorCore.restore(LIMITS, CoreOptions.defaults(), h.core.snapshot());

    assertEquals(before, restored.storedBytes());
  }
}
