package dev.colony.server.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.colony.proto.v1.AdminServiceGrpc;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.CoordinatorFrame;
import dev.colony.proto.v1.Payload;
import dev.colony.proto.v1.StatusRequest;
import dev.colony.proto.v1.StatusResponse;
import dev.colony.proto.v1.TaskAssignment;
import dev.colony.proto.v1.TaskOutcome;
import dev.colony.proto.v1.TaskSpec;
import dev.colony.proto.v1.TaskState;
import dev.colony.proto.v1.TaskSubmitRequest;
import dev.colony.proto.v1.TaskValues;
import dev.colony.proto.v1.TaskWaitRequest;
import dev.colony.proto.v1.TaskWaitResponse;
import dev.colony.proto.v1.WorkerCredit;
import dev.colony.proto.v1.WorkerFrame;
import dev.colony.proto.v1.WorkerHeartbeat;
import dev.colony.proto.v1.WorkerHello;
import dev.colony.proto.v1.WorkerResults;
import dev.colony.proto.v1.WorkerServiceGrpc;
import dev.colony.proto.v1.WorkerTaskResult;
import dev.colony.server.core.Limits;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkerGrpcServiceTest {
  private final InProcessCoordinator coordinator = new InProcessCoordinator(Limits.defaults());

  @AfterEach
  void close() throws InterruptedException {
    coordinator.close();
  }

  @Test
  void work_firstFrameNotHello_failsWithInvalidArgument() throws Exception {
    WorkerRecorder worker = new WorkerRecorder();
    StreamObserver<WorkerFrame> frames =
        WorkerServiceGrpc.newStub(coordinator.channel).work(worker);

    frames.onNext(
        WorkerFrame.newBuilder().setHeartbeat(WorkerHeartbeat.getDefaultInstance()).build());

    StatusRuntimeException error = worker.awaitError();
    assertEquals(Status.Code.INVALID_ARGUMENT, error.getStatus().getCode());
    assertTrue(error.getStatus().getDescription().contains("hello"));
  }

  @Test
  void work_helloWithZeroSlots_failsWithInvalidArgument() throws Exception {
    WorkerRecorder worker = new WorkerRecorder();
    StreamObserver<WorkerFrame> frames =
        WorkerServiceGrpc.newStub(coordinator.channel).work(worker);

    frames.onNext(hello(0));

    StatusRuntimeException error = worker.awaitError();
    assertEquals(Status.Code.INVALID_ARGUMENT, error.getStatus().getCode());
    assertTrue(error.getStatus().getDescription().contains("slots"));
  }

  @Test
  void work_joinedWorkerWithCredit_getsTaskAndItsResultReachesTheSubmitter() throws Exception {
    WorkerRecorder worker = new WorkerRecorder();
    StreamObserver<WorkerFrame> frames =
        WorkerServiceGrpc.newStub(coordinator.channel).work(worker);
    frames.onNext(hello(2));
    // The credit may reach the service before the join is applied; it must not be lost.
    frames.onNext(
        WorkerFrame.newBuilder().setCredit(WorkerCredit.newBuilder().setSlots(2)).build());
    assertEquals("worker-1", worker.next().getWelcome().getWorkerId());
    String session = coordinator.openSession();

    long taskId =
        coordinator
            .execute(
                session,
                Call.newBuilder()
                    .setTaskSubmit(
                        TaskSubmitRequest.newBuilder()
                            .addTasks(TaskSpec.newBuilder().setTaskName("acme.Echo"))))
            .getTaskSubmit()
            .getTaskIds(0);
    TaskAssignment task = worker.next().getTask();
    assertEquals(taskId, task.getTaskId());
    assertEquals("acme.Echo", task.getTaskName());
    Payload value =
        Payload.newBuilder().setCodec("string").setData(ByteString.copyFromUtf8("hi")).build();
    frames.onNext(
        WorkerFrame.newBuilder()
            .setResult(
                WorkerTaskResult.newBuilder()
                    .setTaskId(taskId)
                    .setAttempt(task.getAttempt())
                    .setValues(TaskValues.newBuilder().addValues(value)))
            .build());

    TaskWaitResponse waited = awaitAll(session, List.of(taskId));
    assertEquals(TaskState.TASK_STATE_SUCCEEDED, waited.getOutcomes(0).getState());
    assertEquals(value, waited.getOutcomes(0).getResults(0));
    assertEquals("worker-1", waited.getOutcomes(0).getWorkerId());
  }

  @Test
  void work_tasksAssignedTogetherComeInOneFrameAndResultsSentTogetherAllCount() throws Exception {
    WorkerRecorder worker = new WorkerRecorder();
    StreamObserver<WorkerFrame> frames = joinWithCredit(worker, 3);
    String session = coordinator.openSession();
    TaskSpec echo = TaskSpec.newBuilder().setTaskName("acme.Echo").build();

    List<Long> taskIds =
        coordinator
            .execute(
                session,
                Call.newBuilder()
                    .setTaskSubmit(
                        TaskSubmitRequest.newBuilder()
                            .addTasks(echo)
                            .addTasks(echo)
                            .addTasks(echo)))
            .getTaskSubmit()
            .getTaskIdsList();
    CoordinatorFrame assigned = worker.next();
    assertEquals(
        taskIds,
        assigned.getTasks().getTasksList().stream().map(TaskAssignment::getTaskId).toList(),
        "the three tasks of one submit, assigned in one batch, in one frame: " + assigned);
    WorkerResults.Builder results = WorkerResults.newBuilder();
    for (TaskAssignment task : assigned.getTasks().getTasksList()) {
      Payload value =
          Payload.newBuilder()
              .setCodec("string")
              .setData(ByteString.copyFromUtf8("r" + task.getTaskId()))
              .build();
      results.addResults(
          WorkerTaskResult.newBuilder()
              .setTaskId(task.getTaskId())
              .setAttempt(task.getAttempt())
              .setValues(TaskValues.newBuilder().addValues(value)));
    }
    frames.onNext(WorkerFrame.newBuilder().setResults(results).build());

    TaskWaitResponse waited = awaitAll(session, taskIds);
    assertEquals(3, waited.getOutcomesCount(), "outcomes: " + waited);
    for (TaskOutcome outcome : waited.getOutcomesList()) {
      assertEquals(TaskState.TASK_STATE_SUCCEEDED, outcome.getState());
      assertEquals("r" + outcome.getTaskId(), outcome.getResults(0).getData().toStringUtf8());
    }
    assertEquals(
        taskIds,
        worker.next().getResultsAck().getTaskIdsList(),
        "one acknowledgement for the three results");
  }

  @Test
  void packedTask_argumentsAndResultsPassThroughAsTheyAre() throws Exception {
    WorkerRecorder worker = new WorkerRecorder();
    StreamObserver<WorkerFrame> frames = joinWithCredit(worker, 1);
    String session = coordinator.openSession();
    // Not even a TaskValues: the coordinator must not look inside.
    ByteString arguments = ByteString.copyFromUtf8("opaque arguments");
    ByteString values = ByteString.copyFromUtf8("opaque values");

    long taskId =
        coordinator
            .execute(
                session,
                Call.newBuilder()
                    .setTaskSubmit(
                        TaskSubmitRequest.newBuilder()
                            .addTasks(
                                TaskSpec.newBuilder()
                                    .setTaskName("acme.Echo")
                                    .setPackedArguments(arguments))))
            .getTaskSubmit()
            .getTaskIds(0);
    TaskAssignment task = worker.next().getTask();
    assertEquals(arguments, task.getPackedArguments());
    frames.onNext(
        WorkerFrame.newBuilder()
            .setResult(
                WorkerTaskResult.newBuilder()
                    .setTaskId(taskId)
                    .setAttempt(task.getAttempt())
                    .setPackedValues(values))
            .build());

    TaskOutcome outcome = awaitAll(session, List.of(taskId)).getOutcomes(0);
    assertEquals(TaskState.TASK_STATE_SUCCEEDED, outcome.getState());
    assertEquals(values, outcome.getPackedResults());
    assertEquals(0, outcome.getResultsCount());
  }

  @Test
  void submit_argumentsBothPackedAndNot_isInvalid() throws Exception {
    String session = coordinator.openSession();
    TaskSpec both =
        TaskSpec.newBuilder()
            .setTaskName("acme.Echo")
            .addArguments(Payload.newBuilder().setCodec("string"))
            .setPackedArguments(ByteString.copyFromUtf8("x"))
            .build();

    StatusRuntimeException error =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                coordinator.execute(
                    session,
                    Call.newBuilder()
                        .setTaskSubmit(TaskSubmitRequest.newBuilder().addTasks(both))));
    assertEquals(Status.Code.INVALID_ARGUMENT, error.getStatus().getCode());
    assertTrue(error.getStatus().getDescription().contains("packed_arguments"), error::toString);
  }

  @Test
  void status_listsJoinedWorkerAndForgetsItWhenItsStreamCloses() throws Exception {
    WorkerRecorder worker = new WorkerRecorder();
    StreamObserver<WorkerFrame> frames =
        WorkerServiceGrpc.newStub(coordinator.channel).work(worker);
    frames.onNext(hello(3));
    worker.next();
    AdminServiceGrpc.AdminServiceBlockingStub admin =
        AdminServiceGrpc.newBlockingStub(coordinator.channel);

    StatusResponse status = admin.status(StatusRequest.getDefaultInstance());
    assertEquals(1, status.getWorkersCount());
    assertEquals(3, status.getWorkers(0).getSlots());
    assertEquals("test-worker", status.getWorkers(0).getName());

    frames.onCompleted();
    worker.end.get(5, TimeUnit.SECONDS);
    assertEquals(0, admin.status(StatusRequest.getDefaultInstance()).getWorkersCount());
  }

  @Test
  void work_workerWhoseHeartbeatsStop_hasItsStreamEndedSoItCanReconnect() throws Exception {
    AtomicLong now = new AtomicLong();
    try (InProcessCoordinator manual =
        new InProcessCoordinator(
            Limits.defaults()
                .withWorkerHeartbeatIntervalMillis(100)
                .withWorkerHeartbeatTimeoutMillis(500),
            now::get)) {
      WorkerRecorder worker = new WorkerRecorder();
      StreamObserver<WorkerFrame> frames = WorkerServiceGrpc.newStub(manual.channel).work(worker);
      frames.onNext(hello(1));
      worker.next();

      now.addAndGet(501);
      manual.tick();

      StatusRuntimeException error = worker.awaitError();
      assertEquals(Status.Code.UNAVAILABLE, error.getStatus().getCode());
      assertTrue(error.getStatus().getDescription().contains("heartbeat"));
    }
  }

  /** Waits up to 5 s for every one of {@code taskIds} to finish, through a TaskWait call. */
  private TaskWaitResponse awaitAll(String session, List<Long> taskIds) {
    return coordinator
        .execute(
            session,
            Call.newBuilder()
                .setTaskWait(
                    TaskWaitRequest.newBuilder()
                        .addAllTaskIds(taskIds)
                        .setAll(true)
                        .setTimeoutMs(5_000)))
        .getTaskWait();
  }

  /** A worker stream that joined with {@code slots} slots, all credited; its welcome is read. */
  private StreamObserver<WorkerFrame> joinWithCredit(WorkerRecorder worker, int slots)
      throws InterruptedException {
    StreamObserver<WorkerFrame> frames =
        WorkerServiceGrpc.newStub(coordinator.channel).work(worker);
    frames.onNext(hello(slots));
    frames.onNext(
        WorkerFrame.newBuilder().setCredit(WorkerCredit.newBuilder().setSlots(slots)).build());
    worker.next();
    return frames;
  }

  private static WorkerFrame hello(int slots) {
    return WorkerFrame.newBuilder()
        .setHello(
            WorkerHello.newBuilder()
                .setName("test-worker")
                .setHost("box")
                .setPid(1)
                .setSlots(slots))
        .build();
  }

  /** Records what the coordinator sends a worker. */
  private static final class WorkerRecorder implements StreamObserver<CoordinatorFrame> {
    private final BlockingQueue<CoordinatorFrame> frames = new LinkedBlockingQueue<>();
    final CompletableFuture<Void> end = new CompletableFuture<>();

    @Override
    public void onNext(CoordinatorFrame frame) {
      frames.add(frame);
    }

    @Override
    public void onError(Throwable t) {
      end.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
      end.complete(null);
    }

    CoordinatorFrame next() throws InterruptedException {
      CoordinatorFrame frame = frames.poll(5, TimeUnit.SECONDS);
      if (frame == null) {
        throw new AssertionError("no frame within 5 s; stream ended: " + end);
      }
      return frame;
    }

    StatusRuntimeException awaitError() throws Exception {
      try {
        end.get(5, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        return (StatusRuntimeException) e.getCause();
      }
      throw new AssertionError("the stream completed instead of failing");
    }
  }
}
