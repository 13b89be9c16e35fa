package dev.colony.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.RemoteError;
import dev.colony.proto.v1.StatusResponse;
import dev.colony.proto.v1.TaskInfoRequest;
import dev.colony.proto.v1.TaskLog;
import dev.colony.proto.v1.TaskOutcome;
import dev.colony.proto.v1.TaskSpec;
import dev.colony.proto.v1.TaskSubmitRequest;
import dev.colony.proto.v1.TaskValues;
import dev.colony.proto.v1.WorkerCredit;
import dev.colony.proto.v1.WorkerFrame;
import dev.colony.proto.v1.WorkerHello;
import dev.colony.proto.v1.WorkerTaskResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A task's log lines arrive with its result and are kept with it, bounded, across a restart. */
class TaskLogTest {
  private static final TaskLog TWO_LINES =
      TaskLog.newBuilder().addLines("INFO resizing cat.jpg").addLines("WARN low memory").build();
  private static final RemoteError BOOM =
      RemoteError.newBuilder()
          .setClassName("java.lang.IllegalStateException")
          .setMessage("boom")
          .build();

  private final CoreHarness h = new CoreHarness();
  private final String client = h.session("client");
  private final String worker =
      h.workerJoin(
          WorkerHello.newBuilder().setName("w").setHost("h").setPid(7).setSlots(8).build(),
          frame -> {});

  TaskLogTest() {
    h.workerFrame(
        worker, WorkerFrame.newBuilder().setCredit(WorkerCredit.newBuilder().setSlots(8)).build());
  }

  private long submit() {
    return h.call(
            client,
            Call.newBuilder()
                .setTaskSubmit(
                    TaskSubmitRequest.newBuilder()
                        .addTasks(TaskSpec.newBuilder().setTaskName("Resize"))))
        .reply()
        .getTaskSubmit()
        .getTaskIds(0);
  }

  private void result(long taskId, WorkerTaskResult.Builder result) {
    h.workerFrame(
        worker, WorkerFrame.newBuilder().setResult(result.setTaskId(taskId).setAttempt(1)).build());
  }

  private TaskOutcome info(long taskId) {
    return h.call(
            h.session("reader"),
            Call.newBuilder().setTaskInfo(TaskInfoRequest.newBuilder().setTaskId(taskId)))
        .reply()
        .getTaskInfo()
        .getTask();
  }

  @Test
  void aFailedTasksLines_areInItsOutcomeSummaryAndFailure() {
    long task = submit();

    result(task, WorkerTaskResult.newBuilder().setError(BOOM).setLog(TWO_LINES));

    assertEquals(TWO_LINES, info(task).getLog());
    StatusResponse status = h.core.status().build();
    assertEquals(TWO_LINES, status.getRecentTasks(0).getLog());
    assertEquals(TWO_LINES, status.getRecentFailures(0).getLog());
  }

  @Test
  void theLinesCountTowardTheStoredBytes() {
    long plain = submit();
    result(plain, WorkerTaskResult.newBuilder().setValues(TaskValues.getDefaultInstance()));
    long before = h.core.storedBytes();
    long logged = submit();

    result(
        logged,
        WorkerTaskResult.newBuilder().setValues(TaskValues.getDefaultInstance()).setLog(TWO_LINES));

    assertEquals(2 * before + TWO_LINES.getSerializedSize(), h.core.storedBytes());
  }

  @Test
  void theLinesSurviveSnapshotAndRestore() {
    long failed = submit();
    result(failed, WorkerTaskResult.newBuilder().setError(BOOM).setLog(TWO_LINES));
    long done = submit();
    result(
        done,
        WorkerTaskResult.newBuilder()
            .setValues(TaskValues.getDefaultInstance())
            .setLog(TaskLog.newBuilder().addLines("INFO done").setDroppedLines(3)));

    CoordinatorCore restored =
        CoordinatorCore.restore(Limits.defaults(), CoreOptions.defaults(), h.core.snapshot());

    StatusResponse status = restored.status().build();
    assertEquals(TWO_LINES, status.getRecentFailures(0).getLog());
    assertEquals(
        TaskLog.newBuilder().addLines("INFO done").setDroppedLines(3).build(),
        status.getRecentTasks(0).getLog());
    assertEquals(TWO_LINES, status.getRecentTasks(1).getLog());
    assertEquals(h.core.storedBytes(), restored.storedBytes());
    assertEquals(h.core.snapshot(), restored.snapshot());
  }

  @Test
  void moreLinesThanTheBound_keepsTheNewestAndCountsTheDropped() {
    List<String> lines = new ArrayList<>();
    for (int i = 1; i <= 150; i++) {
      lines.add("INFO line " + i);
    }
    long many = submit();
    result(
        many,
        WorkerTaskResult.newBuilder()
            .setError(BOOM)
            .setLog(TaskLog.newBuilder().addAllLines(lines).setDroppedLines(10)));

    TaskLog kept = info(many).getLog();
    assertEquals(TaskLogs.MAX_LINES, kept.getLinesCount());
    assertEquals(60, kept.getDroppedLines());
    assertEquals("INFO line 51", kept.getLines(0));
    assertEquals("INFO line 150", kept.getLines(99));
  }

  @Test
  void linesPastTheBytes_areDroppedOldestFirst_andLongLinesCut() {
    String big = "y".repeat(10_000);
    long task = submit();
    result(
        task,
        WorkerTaskResult.newBuilder()
            .setError(BOOM)
            .setLog(
                TaskLog.newBuilder()
                    .addLines("INFO first")
                    .addLines(big)
                    .addLines(big)
                    .addLines(big)
                    .addLines(big)
                    .addLines("INFO last")));

    TaskLog kept = info(task).getLog();
    int bytes = kept.getLinesList().stream().mapToInt(String::length).sum();
    assertFalse(bytes > TaskLogs.MAX_BYTES, bytes + " bytes");
    assertEquals("INFO last", kept.getLines(kept.getLinesCount() - 1));
    assertEquals("y".repeat(TaskLogs.MAX_LINE_CHARS) + " [cut 5904]", kept.getLines(0));
    assertEquals(6, kept.getLinesCount() + kept.getDroppedLines());
  }

  @Test
  void anInterruptedAttempt_keepsNoLog() {
    long task = submit();

    result(task, WorkerTaskResult.newBuilder().setInterrupted(true).setLog(TWO_LINES));

    assertEquals(TaskLog.getDefaultInstance(), info(task).getLog());
  }
}
