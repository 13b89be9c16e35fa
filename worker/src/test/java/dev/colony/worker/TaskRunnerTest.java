package dev.colony.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.colony.client.internal.Codecs;
import dev.colony.client.internal.TaskPayloads;
import dev.colony.proto.v1.Owner;
import dev.colony.proto.v1.Payload;
import dev.colony.proto.v1.TaskAssignment;
import dev.colony.proto.v1.TaskFailureReason;
import dev.colony.proto.v1.TaskValues;
import dev.colony.proto.v1.WorkerTaskResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class TaskRunnerTest {
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final ExecutorService slot = Executors.newSingleThreadExecutor();
  private final TaskRunner runner =
      new TaskRunner(
          TaskRegistry.create(List.of(), TaskAllowList.of(List.of("regex:.*"))),
          timer,
          () -> new WorkerIdentity("box", 42, null),
          () -> System.err);
  private long nextId = 1;

  @BeforeEach
  void resetTasks() {
    TestTasks.BlocksUntilInterrupted.reset();
  }

  @AfterEach
  void stop() {
    timer.shutdownNow();
    slot.shutdownNow();
  }

  @Test
  void run_chunk_returnsOneResultPerArgumentInOrder() {
    WorkerTaskResult result = runner.run(task(TestTasks.Square.class, ints(1, 2, 3, 4), 0));

    assertEquals(List.of(1, 4, 9, 16), decodeInts(result));
    assertEquals(7, result.getAttempt());
  }

  @Test
  void run_packedChunk_answersPackedInOrder() throws Exception {
    RunningTask packed =
        packedSquares(TaskValues.newBuilder().addAllValues(ints(2, 3, 5)).build().toByteString());

    WorkerTaskResult result = runner.run(packed);

    assertEquals(WorkerTaskResult.OutcomeCase.PACKED_VALUES, result.getOutcomeCase());
    assertEquals(
        List.of(4, 9, 25),
        TaskPayloads.unpack(result.getPackedValues()).stream().map(Codecs.INT::decode).toList());
  }

  @Test
  void run_packedArgumentsThatDoNotParse_isABadArgument() {
    RunningTask packed = packedSquares(ByteString.copyFrom(new byte[] {(byte) 0xff}));

    WorkerTaskResult result = runner.run(packed);

    assertEquals(TaskFailureReason.BAD_ARGUMENT, result.getError().getReason());
  }

  @Test
  void run_chunkWithFailingItem_failsTheWholeTask() {
    WorkerTaskResult result = runner.run(task(TestTasks.FailsOnThree.class, ints(1, 2, 3, 4), 0));

    assertEquals(TaskFailureReason.TASK_THREW, result.getError().getReason());
    assertEquals("three", result.getError().getMessage());
  }

  @Test
  void run_taskThrows_reportsTheExceptionWithItsCauses() {
    WorkerTaskResult result =
        runner.run(task(TestTasks.Fails.class, List.of(Codecs.STRING.encode("x")), 0));

    assertEquals(TaskFailureReason.TASK_THREW, result.getError().getReason());
    assertEquals("java.lang.IllegalStateException", result.getError().getClassName());
    assertEquals("failed on x", result.getError().getMessage());
    assertTrue(result.getError().getStack(0).contains("TestTasks$Fails.call"));
    assertEquals("java.io.IOException", result.getError().getCause().getClassName());
  }

  @Test
  void run_unknownTask_refusesAndTheRunnerKeepsWorking() {
    WorkerTaskResult unknown =
        runner.run(
            new RunningTask(
                TaskAssignment.newBuilder().setTaskId(1).setTaskName("com.acme.Nope").build(),
                this,
                "worker-1"));
    WorkerTaskResult next = runner.run(task(TestTasks.Square.class, ints(5), 0));

    assertEquals(TaskFailureReason.UNKNOWN_TASK, unknown.getError().getReason());
    assertEquals(List.of(25), decodeInts(next));
  }

  @Test
  void run_undecodableArgument_refusesWithBadArgument() {
    WorkerTaskResult result =
        runner.run(task(TestTasks.Square.class, List.of(Codecs.STRING.encode("x")), 0));

    assertEquals(TaskFailureReason.BAD_ARGUMENT, result.getError().getReason());
  }

  @Test
  void run_pastItsTimeout_isInterruptedAndReportsTimedOut() {
    WorkerTaskResult result =
        runner.run(
            task(TestTasks.BlocksUntilInterrupted.class, List.of(Codecs.STRING.encode("x")), 100));

    assertEquals(TaskFailureReason.TASK_TIMED_OUT, result.getError().getReason());
    assertEquals("java.util.concurrent.TimeoutException", result.getError().getClassName());
    assertEquals("java.lang.InterruptedException", result.getError().getCause().getClassName());
    assertTrue(TestTasks.BlocksUntilInterrupted.interrupted.get());
    assertTrue(TestTasks.BlocksUntilInterrupted.sawCancelled.get());
  }

  @Test
  void run_afterAnInterruptedTask_nextTaskStartsWithoutTheInterruptFlag() throws Exception {
    RunningTask blocked =
        task(TestTasks.BlocksUntilInterrupted.class, List.of(Codecs.STRING.encode("x")), 0);
    CompletableFuture<WorkerTaskResult> first =
        CompletableFuture.supplyAsync(() -> runner.run(blocked), slot);
    assertTrue(TestTasks.BlocksUntilInterrupted.started.await(10, TimeUnit.SECONDS));
    blocked.stop(RunningTask.Stop.CANCELLED);
    first.get(10, TimeUnit.SECONDS);

    WorkerTaskResult second =
        CompletableFuture.supplyAsync(
                () ->
                    runner.run(
                        task(
                            TestTasks.ReportsInterruptFlag.class,
                            List.of(Codecs.STRING.encode("x")),
                            0)),
                slot)
            .get(10, TimeUnit.SECONDS);

    assertEquals(
        false, Codecs.BOOL.decode(second.getValues().getValues(0)), "interrupt flag leaked");
  }

  @Test
  void run_aborted_isInterruptedAndReportsCancelled() throws Exception {
    RunningTask blocked =
        task(TestTasks.BlocksUntilInterrupted.class, List.of(Codecs.STRING.encode("x")), 0);
    CompletableFuture<WorkerTaskResult> result =
        CompletableFuture.supplyAsync(() -> runner.run(blocked), slot);
    assertTrue(TestTasks.BlocksUntilInterrupted.started.await(10, TimeUnit.SECONDS));

    assertTrue(blocked.stop(RunningTask.Stop.CANCELLED));

    WorkerTaskResult outcome = result.get(10, TimeUnit.SECONDS);
    assertEquals(TaskFailureReason.TASK_CANCELLED, outcome.getError().getReason());
    assertTrue(TestTasks.BlocksUntilInterrupted.interrupted.get());
  }

  @Test
  void run_stoppedForShutdown_reportsInterrupted() throws Exception {
    RunningTask blocked =
        task(TestTasks.BlocksUntilInterrupted.class, List.of(Codecs.STRING.encode("x")), 0);
    CompletableFuture<WorkerTaskResult> result =
        CompletableFuture.supplyAsync(() -> runner.run(blocked), slot);
    assertTrue(TestTasks.BlocksUntilInterrupted.started.await(10, TimeUnit.SECONDS));

    blocked.stop(RunningTask.Stop.INTERRUPTED);

    assertTrue(result.get(10, TimeUnit.SECONDS).getInterrupted());
  }

  @Test
  void run_stoppedBeforeItStarted_neverRunsTheTask() {
    RunningTask task =
        task(TestTasks.BlocksUntilInterrupted.class, List.of(Codecs.STRING.encode("x")), 0);
    task.stop(RunningTask.Stop.CANCELLED);

    WorkerTaskResult result = runner.run(task);

    assertEquals(TaskFailureReason.TASK_CANCELLED, result.getError().getReason());
    assertEquals(1, TestTasks.BlocksUntilInterrupted.started.getCount());
  }

  @Test
  void run_finishedTask_cannotBeStoppedAfterwards() {
    RunningTask task = task(TestTasks.Square.class, ints(2), 0);
    runner.run(task);

    assertFalse(task.stop(RunningTask.Stop.CANCELLED));
  }

  @Test
  void run_context_describesTaskWorkerAndThread() {
    RunningTask task =
        new RunningTask(
            TaskAssignment.newBuilder()
                .setTaskId(12)
                .setAttempt(2)
                .setTaskName(TestTasks.DescribesContext.class.getName())
                .setDisplayName("my-process")
                .addArguments(Codecs.STRING.encode("x"))
                .setSubmitter(Owner.newBuilder().setHost("client-box").setPid(7))
                .build(),
            this,
            "worker-9");

    WorkerTaskResult result = runner.run(task);

    String description = Codecs.STRING.decode(result.getValues().getValues(0));
    assertEquals(
        "my-process|worker-9|box|42|2|12|" + Thread.currentThread().getName(), description);
  }

  private RunningTask task(Class<?> type, List<Payload> arguments, long timeoutMillis) {
    return new RunningTask(
        TaskAssignment.newBuilder()
            .setTaskId(nextId++)
            .setAttempt(7)
            .setTaskName(type.getName())
            .addAllArguments(arguments)
            .setTimeoutMs(timeoutMillis)
            .build(),
        this,
        "worker-1");
  }

  private RunningTask packedSquares(ByteString packedArguments) {
    return new RunningTask(
        TaskAssignment.newBuilder()
            .setTaskId(nextId++)
            .setAttempt(1)
            .setTaskName(TestTasks.Square.class.getName())
            .setPackedArguments(packedArguments)
            .build(),
        this,
        "worker-1");
  }

  private static List<Payload> ints(Integer... values) {
    return java.util.Arrays.stream(values).map(Codecs.INT::encode).toList();
  }

  private static List<Integer> decodeInts(WorkerTaskResult result) {
    return result.getValues().getValuesList().stream().map(Codecs.INT::decode).toList();
  }
}
