package dev.colony.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.client.Pool;
import dev.colony.client.internal.Codecs;
import dev.colony.proto.v1.AdminServiceGrpc;
import dev.colony.proto.v1.Payload;
import dev.colony.proto.v1.StatusRequest;
import dev.colony.proto.v1.StatusResponse;
import dev.colony.proto.v1.TaskFailureReason;
import dev.colony.proto.v1.TaskOutcome;
import dev.colony.proto.v1.TaskSpec;
import dev.colony.proto.v1.TaskState;
import dev.colony.server.ColonyServer;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A worker daemon against a real coordinator in this JVM, fed through the session protocol. */
@Timeout(60)
class WorkerDaemonTest {
  private ColonyServer server;
  private WorkerDaemon worker;
  private RawSession submitter;

  @BeforeEach
  void start() throws Exception {
    TestTasks.BlocksUntilInterrupted.reset();
    TestTasks.WaitsForRelease.reset();
    server = ColonyServer.forAddress("127.0.0.1", 0).start();
    worker = startWorker(Duration.ofSeconds(30));
    submitter = new RawSession(server.port());
  }

  @AfterEach
  void stop() throws Exception {
    TestTasks.WaitsForRelease.release.countDown();
    submitter.close();
    worker.shutdownNow();
    assertTrue(worker.awaitTermination(20, TimeUnit.SECONDS), "worker did not stop");
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }

  private WorkerDaemon startWorker(Duration drainGrace) throws Exception {
    WorkerDaemon daemon =
        new WorkerDaemon(
            WorkerOptions.newBuilder()
                .setCoordinator("127.0.0.1:" + server.port())
                .setSlots(2)
                .setName("test-worker")
                .setDrainGrace(drainGrace)
                .addAllowedTasks("dev.colony.worker.**")
                .build());
    daemon.start();
    daemon.joined().get(20, TimeUnit.SECONDS);
    return daemon;
  }

  @Test
  void task_chunk_succeedsWithResultsInOrderAndSaysWhereItRan() throws Exception {
    long id = submitter.submit(spec(TestTasks.Square.class).addAllArguments(ints(1, 2, 3, 4, 5)));

    TaskOutcome outcome = submitter.await(id);

    assertEquals(TaskState.TASK_STATE_SUCCEEDED, outcome.getState(), outcome::toString);
    assertEquals(
        List.of(1, 4, 9, 16, 25),
        outcome.getResultsList().stream().map(Codecs.INT::decode).toList());
    assertEquals(worker.workerId(), outcome.getWorkerId());
    assertEquals(ProcessHandle.current().pid(), outcome.getWorkerPid());
  }

  @Test
  void poolMap_chunksizeOverAMessage_goesInChunksThatFitAndKeepsItsOrder() throws Exception {
    // 400,000 encoded ints in one chunk are some 5 MB, over the coordinator's 4 MiB per message.
    List<Integer> items = IntStream.range(0, 400_000).boxed().toList();
    try (ColonyClient client = Colony.connect("127.0.0.1:" + server.port());
        Pool pool = client.pool()) {
      List<Integer> squares = pool.map(TestTasks.Square.class, items, items.size());

      assertEquals(items.stream().map(i -> i * i).toList(), squares);
    }
  }

  @Test
  void task_context_knowsTaskWorkerAndDisplayName() throws Exception {
    long id =
        submitter.submit(
            spec(TestTasks.DescribesContext.class)
                .setDisplayName("reporter")
                .addArguments(Codecs.STRING.encode("x")));

    String[] context = Codecs.STRING.decode(submitter.await(id).getResults(0)).split("\\|");

    assertEquals("reporter", context[0]);
    assertEquals(worker.workerId(), context[1]);
    assertEquals(Long.toString(ProcessHandle.current().pid()), context[3]);
    assertEquals("1", context[4]);
    assertEquals(Long.toString(id), context[5]);
    assertTrue(context[6].startsWith("colony-worker-task-"), context[6]);
  }

  @Test
  void task_usingTheWorkersClient_sharesObjectsThroughTheCoordinator() throws Exception {
    long first =
        submitter.submit(
            spec(TestTasks.CountsHits.class).addArguments(Codecs.STRING.encode("hits")));
    assertEquals(1L, Codecs.LONG.decode(submitter.await(first).getResults(0)));

    long second =
        submitter.submit(
            spec(TestTasks.CountsHits.class).addArguments(Codecs.STRING.encode("hits")));
    assertEquals(2L, Codecs.LONG.decode(submitter.await(second).getResults(0)));
  }

  @Test
  void task_thatThrows_failsWithRemoteClassMessageStackAndCause() throws Exception {
    long id = submitter.submit(spec(TestTasks.Fails.class).addArguments(Codecs.STRING.encode("x")));

    TaskOutcome outcome = submitter.await(id);

    assertEquals(TaskState.TASK_STATE_FAILED, outcome.getState());
    assertEquals(TaskFailureReason.TASK_THREW, outcome.getError().getReason());
    assertEquals("java.lang.IllegalStateException", outcome.getError().getClassName());
    assertEquals("failed on x", outcome.getError().getMessage());
    assertTrue(
        outcome.getError().getStack(0).startsWith("at dev.colony.worker.TestTasks$Fails.call"),
        outcome.getError().getStack(0));
    assertEquals("java.io.IOException", outcome.getError().getCause().getClassName());
    assertEquals("disk on fire", outcome.getError().getCause().getMessage());
  }

  @Test
  void resultOverTheMessageLimit_failsThatTask_andTheWorkerServesTheNext() throws Exception {
    long limit = server.loop().limits().maxMessageBytes();
    long tooLarge =
        submitter.submit(
            spec(TestTasks.Sized.class).addArguments(Codecs.INT.encode((int) limit + 1)));

    TaskOutcome outcome = submitter.await(tooLarge);

    assertEquals(TaskState.TASK_STATE_FAILED, outcome.getState(), outcome::toString);
    assertEquals(TaskFailureReason.RESULT_TOO_LARGE, outcome.getError().getReason());
    String message = outcome.getError().getMessage();
    assertTrue(message.contains("the result of task " + tooLarge + " is "), message);
    assertTrue(
        message.contains("over the coordinator's limit of " + limit + " bytes per message"),
        message);
    assertEquals(1, outcome.getAttempt(), "it ran once: the stream was not reset");
    long next = submitter.submit(spec(TestTasks.Square.class).addArguments(Codecs.INT.encode(7)));
    TaskOutcome served = submitter.await(next);
    assertEquals(TaskState.TASK_STATE_SUCCEEDED, served.getState(), served::toString);
    assertEquals(49, Codecs.INT.decode(served.getResults(0)));
    assertEquals(worker.workerId(), served.getWorkerId());
  }

  @Test
  void refusals_failTheirTaskAndTheWorkerKeepsServing() throws Exception {
    long unknown =
        submitter.submit(TaskSpec.newBuilder().setTaskName("dev.colony.worker.NoSuchTask"));
    long notAllowed =
        submitter.submit(TaskSpec.newBuilder().setTaskName("com.acme.NotAllowedHere"));
    long notATask =
        submitter.submit(
            TaskSpec.newBuilder()
                .setTaskName(TestTasks.NotATask.class.getName())
                .addArguments(Codecs.STRING.encode("x")));
    long badArgument =
        submitter.submit(spec(TestTasks.Square.class).addArguments(Codecs.STRING.encode("x")));

    TaskOutcome unknownOutcome = submitter.await(unknown);
    assertEquals(TaskFailureReason.UNKNOWN_TASK, unknownOutcome.getError().getReason());
    assertTrue(unknownOutcome.getError().getMessage().contains("classpath"));
    TaskOutcome notAllowedOutcome = submitter.await(notAllowed);
    assertEquals(TaskFailureReason.TASK_NOT_ALLOWED, notAllowedOutcome.getError().getReason());
    assertEquals(1, notAllowedOutcome.getAttempt(), "a refused task is not retried");
    assertEquals(TaskFailureReason.NOT_A_TASK, submitter.await(notATask).getError().getReason());
    assertEquals(
        TaskFailureReason.BAD_ARGUMENT, submitter.await(badArgument).getError().getReason());

    long good = submitter.submit(spec(TestTasks.Square.class).addAllArguments(ints(6)));
    assertEquals(36, Codecs.INT.decode(submitter.await(good).getResults(0)));
  }

  @Test
  void task_pastItsTimeout_failsWithTimedOutAndFreesItsSlot() throws Exception {
    long id =
        submitter.submit(
            spec(TestTasks.BlocksUntilInterrupted.class)
                .setTimeoutMs(200)
                .addArguments(Codecs.STRING.encode("x")));

    TaskOutcome outcome = submitter.await(id);

    assertEquals(TaskFailureReason.TASK_TIMED_OUT, outcome.getError().getReason());
    assertTrue(TestTasks.BlocksUntilInterrupted.interrupted.get());
    await().atMost(Duration.ofSeconds(10)).until(() -> busy() == 0);
  }

  @Test
  void cancel_runningTask_interruptsItOnTheWorker() throws Exception {
    long id =
        submitter.submit(
            spec(TestTasks.BlocksUntilInterrupted.class).addArguments(Codecs.STRING.encode("x")));
    assertTrue(TestTasks.BlocksUntilInterrupted.started.await(20, TimeUnit.SECONDS));

    assertEquals(1, submitter.cancel(id));

    assertEquals(TaskState.TASK_STATE_CANCELLED, submitter.await(id).getState());
    await().atMost(Duration.ofSeconds(10)).untilTrue(TestTasks.BlocksUntilInterrupted.interrupted);
    assertTrue(TestTasks.BlocksUntilInterrupted.sawCancelled.get());
    await().atMost(Duration.ofSeconds(10)).until(() -> busy() == 0);
  }

  @Test
  void shutdown_letsTheRunningTaskFinishAndTakesNoNewOne() throws Exception {
    long running =
        submitter.submit(
            spec(TestTasks.WaitsForRelease.class).addArguments(Codecs.STRING.encode("a")));
    assertTrue(TestTasks.WaitsForRelease.started.await(20, TimeUnit.SECONDS));

    worker.shutdown();
    await().atMost(Duration.ofSeconds(10)).until(() -> status().getWorkers(0).getDraining());
    long late =
        submitter.submit(spec(TestTasks.Echo.class).addArguments(Codecs.STRING.encode("b")));
    TestTasks.WaitsForRelease.release.countDown();

    TaskOutcome finished = submitter.await(running);
    assertEquals(TaskState.TASK_STATE_SUCCEEDED, finished.getState());
    assertEquals("done a", Codecs.STRING.decode(finished.getResults(0)));
    assertTrue(worker.awaitTermination(20, TimeUnit.SECONDS));
    assertEquals(TaskState.TASK_STATE_QUEUED, submitter.info(late).getState());
    assertEquals(0, status().getWorkersCount());
  }

  @Test
  void shutdown_pastTheDrainGrace_handsTheTaskBackToBeRunAgain() throws Exception {
    worker.shutdownNow();
    assertTrue(worker.awaitTermination(20, TimeUnit.SECONDS));
    worker = startWorker(Duration.ofMillis(100));
    long id =
        submitter.submit(
            spec(TestTasks.BlocksUntilInterrupted.class).addArguments(Codecs.STRING.encode("x")));
    assertTrue(TestTasks.BlocksUntilInterrupted.started.await(20, TimeUnit.SECONDS));

    worker.shutdown();

    assertTrue(worker.awaitTermination(20, TimeUnit.SECONDS));
    assertTrue(TestTasks.BlocksUntilInterrupted.interrupted.get());
    TaskOutcome outcome = submitter.info(id);
    assertEquals(TaskState.TASK_STATE_QUEUED, outcome.getState(), outcome::toString);
    assertFalse(outcome.hasError());
  }

  @Test
  void coordinatorRestart_workerReconnectsAndServesAgain() throws Exception {
    int port = server.port();
    submitter.close();
    server.shutdownNow();
    assertTrue(server.awaitTermination(5, TimeUnit.SECONDS));
    String firstId = worker.workerId();

    server = ColonyServer.forAddress("127.0.0.1", port).start();
    submitter = new RawSession(port);
    await().atMost(Duration.ofSeconds(20)).until(() -> status().getWorkersCount() == 1);

    long id = submitter.submit(spec(TestTasks.Square.class).addAllArguments(ints(7)));
    assertEquals(49, Codecs.INT.decode(submitter.await(id).getResults(0)));
    assertEquals("worker-1", firstId);
    // Tasks get a session on the new coordinator, not the one that died with the old.
    long counted =
        submitter.submit(
            spec(TestTasks.CountsHits.class).addArguments(Codecs.STRING.encode("restarted")));
    TaskOutcome outcome = submitter.await(counted);
    assertEquals(TaskState.TASK_STATE_SUCCEEDED, outcome.getState(), outcome::toString);
    assertEquals(1L, Codecs.LONG.decode(outcome.getResults(0)));
  }

  @Test
  void start_beforeTheCoordinatorIsUp_joinsOnceItIs() throws Exception {
    int port = server.port();
    submitter.close();
    worker.shutdownNow();
    assertTrue(worker.awaitTermination(20, TimeUnit.SECONDS));
    server.shutdownNow();
    assertTrue(server.awaitTermination(5, TimeUnit.SECONDS));
    worker =
        new WorkerDaemon(
                WorkerOptions.newBuilder()
                    .setCoordinator("127.0.0.1:" + port)
                    .setSlots(1)
                    .addAllowedTasks("dev.colony.worker.**")
                    .build())
            .start();
    assertFalse(worker.joined().isDone());

    server = ColonyServer.forAddress("127.0.0.1", port).start();
    submitter = new RawSession(port);

    assertEquals("worker-1", worker.joined().get(20, TimeUnit.SECONDS));
    long id = submitter.submit(spec(TestTasks.Square.class).addAllArguments(ints(3)));
    assertEquals(9, Codecs.INT.decode(submitter.await(id).getResults(0)));
  }

  @Test
  void shutdown_beforeJoining_terminatesAndFailsJoined() throws Exception {
    WorkerDaemon unstarted =
        new WorkerDaemon(WorkerOptions.newBuilder().setCoordinator("127.0.0.1:1").build());

    unstarted.shutdown();

    assertTrue(unstarted.isShutdown());
    assertTrue(unstarted.awaitTermination(5, TimeUnit.SECONDS));
    assertTrue(unstarted.joined().isCompletedExceptionally());
  }

  private StatusResponse status() throws InterruptedException {
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    try {
      return AdminServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .status(StatusRequest.getDefaultInstance());
    } finally {
      channel.shutdownNow();
      channel.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private int busy() throws InterruptedException {
    return status().getWorkers(0).getBusy();
  }

  private static TaskSpec.Builder spec(Class<?> task) {
    return TaskSpec.newBuilder().setTaskName(task.getName());
  }

  private static List<Payload> ints(Integer... values) {
    return java.util.Arrays.stream(values).map(Codecs.INT::encode).toList();
  }
}
