package dev.colony.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.client.Colony;
import dev.colony.client.internal.Codecs;
import dev.colony.proto.v1.CoordinatorFrame;
import dev.colony.proto.v1.ResultsAck;
import dev.colony.proto.v1.TaskAssignment;
import dev.colony.proto.v1.TaskAssignments;
import dev.colony.proto.v1.WorkerFrame;
import dev.colony.proto.v1.WorkerServiceGrpc;
import dev.colony.proto.v1.WorkerTaskResult;
import dev.colony.proto.v1.WorkerWelcome;
import dev.colony.server.ColonyServer;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A worker keeps each result until the coordinator acknowledges it: a result whose stream broke
 * before the coordinator applied it is sent again on the next stream, so the task does not run
 * twice. The worker talks to a scripted worker service here, which breaks the stream at exactly
 * that moment; the tasks' own session goes to a real coordinator.
 */
@Timeout(60)
class ResultResendTest {
  private static final long WAIT_SECONDS = 20;

  private final BlockingQueue<Stream> streams = new LinkedBlockingQueue<>();
  private Server scripted;
  private ColonyServer sessions;
  private WorkerDaemon worker;

  /** One worker stream as the scripted coordinator sees it. */
  private static final class Stream {
    final StreamObserver<CoordinatorFrame> toWorker;
    final BlockingQueue<WorkerFrame> received = new LinkedBlockingQueue<>();

    Stream(StreamObserver<CoordinatorFrame> toWorker) {
      this.toWorker = toWorker;
    }

    WorkerFrame next(WorkerFrame.KindCase kind) throws InterruptedException {
      while (true) {
        WorkerFrame frame = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (frame == null) {
          throw new AssertionError(
              "no " + kind + " frame from the worker in " + WAIT_SECONDS + " s");
        }
        if (frame.getKindCase() == kind) {
          return frame;
        }
      }
    }

    /** The next {@code count} results, sent alone or together, as task id to square. */
    Map<Long, Integer> squares(int count) throws InterruptedException {
      Map<Long, Integer> squares = new TreeMap<>();
      while (squares.size() < count) {
        WorkerFrame frame = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (frame == null) {
          throw new AssertionError("results so far " + squares + "; no more in " + WAIT_SECONDS);
        }
        List<WorkerTaskResult> results =
            frame.hasResult() ? List.of(frame.getResult()) : frame.getResults().getResultsList();
        for (WorkerTaskResult result : results) {
          squares.put(result.getTaskId(), Codecs.INT.decode(result.getValues().getValues(0)));
        }
      }
      return squares;
    }

    void send(CoordinatorFrame frame) {
      synchronized (toWorker) {
        toWorker.onNext(frame);
      }
    }
  }

  @AfterEach
  void stop() throws Exception {
    if (worker != null) {
      worker.shutdownNow();
      assertTrue(worker.awaitTermination(20, TimeUnit.SECONDS), "worker did not stop");
    }
    if (scripted != null) {
      scripted.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (sessions != null) {
      sessions.shutdownNow();
      sessions.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void resultLostWithItsStream_isSentAgainOnTheNext_asResent_andIsNoSecondCredit()
      throws Exception {
    startWorker(2);

    Stream first = nextStream();
    assertEquals("", first.next(WorkerFrame.KindCase.HELLO).getHello().getResumeWorkerId());
    first.send(welcome("worker-1"));
    assertEquals(2, first.next(WorkerFrame.KindCase.CREDIT).getCredit().getSlots());
    first.send(square(41, 7));
    WorkerFrame result = first.next(WorkerFrame.KindCase.RESULT);
    assertEquals(41, result.getResult().getTaskId());
    assertFalse(result.getResult().getResent());
    // The coordinator dies before the result is durable: no acknowledgement, the stream breaks.
    first.toWorker.onError(Status.UNAVAILABLE.withDescription("coordinator gone").asException());

    Stream second = nextStream();
    var hello = second.next(WorkerFrame.KindCase.HELLO).getHello();
    assertEquals("worker-1", hello.getResumeWorkerId());
    assertEquals(List.of(41L), hello.getReportingTaskIdsList(), "it still has task 41's result");
    second.send(welcome("worker-1"));
    WorkerFrame again = second.next(WorkerFrame.KindCase.RESULT);
    assertEquals(41, again.getResult().getTaskId());
    assertTrue(again.getResult().getResent(), "sent again, marked so: " + again);
    assertEquals(49, Codecs.INT.decode(again.getResult().getValues().getValues(0)));
    // Both slots are free, and the resent result freed its slot on the first stream already.
    assertEquals(2, second.next(WorkerFrame.KindCase.CREDIT).getCredit().getSlots());

    // Acknowledged results are forgotten: the next stream reports nothing.
    second.send(ack(41));
    second.send(square(42, 3));
    assertEquals(42, second.next(WorkerFrame.KindCase.RESULT).getResult().getTaskId());
    second.send(ack(42));
    // The worker reads the stream's frames in order, so it has both acknowledgements before the
    // end.
    second.toWorker.onError(Status.UNAVAILABLE.withDescription("gone again").asException());

    Stream third = nextStream();
    assertEquals(
        List.of(),
        third.next(WorkerFrame.KindCase.HELLO).getHello().getReportingTaskIdsList(),
        "acknowledged results are not kept");
  }

  @Test
  void tasksSentTogether_allRun_andResultsSentTogetherAreKeptUntilAcknowledged() throws Exception {
    startWorker(4);
    Stream first = nextStream();
    first.next(WorkerFrame.KindCase.HELLO);
    first.send(welcome("worker-1"));
    assertEquals(4, first.next(WorkerFrame.KindCase.CREDIT).getCredit().getSlots());
    TaskAssignments.Builder four = TaskAssignments.newBuilder();
    for (int i = 1; i <= 4; i++) {
      four.addTasks(square(50 + i, i).getTask());
    }
    first.send(CoordinatorFrame.newBuilder().setTasks(four).build());

    Map<Long, Integer> squares = first.squares(4);
    assertEquals(Map.of(51L, 1, 52L, 4, 53L, 9, 54L, 16), squares);
    first.send(ack(51, 52));
    first.toWorker.onError(Status.UNAVAILABLE.withDescription("coordinator gone").asException());

    Stream second = nextStream();
    assertEquals(
        List.of(53L, 54L),
        second.next(WorkerFrame.KindCase.HELLO).getHello().getReportingTaskIdsList().stream()
            .sorted()
            .toList(),
        "the unacknowledged results of a shared frame are kept");
  }

  @Test
  void prefetch_isCreditedBeyondTheSlots_andTheTasksTakenSoRunAsSlotsComeFree() throws Exception {
    startWorker(1, 2);
    Stream first = nextStream();
    first.next(WorkerFrame.KindCase.HELLO);
    first.send(welcome("worker-1"));
    assertEquals(
        3, first.next(WorkerFrame.KindCase.CREDIT).getCredit().getSlots(), "1 slot + prefetch 2");
    TaskAssignments.Builder three = TaskAssignments.newBuilder();
    for (int i = 1; i <= 3; i++) {
      three.addTasks(square(60 + i, i + 1).getTask());
    }
    first.send(CoordinatorFrame.newBuilder().setTasks(three).build());

    Map<Long, Integer> squares = first.squares(3);
    assertEquals(Map.of(61L, 4, 62L, 9, 63L, 16), squares);
  }

  private void startWorker(int slots) throws Exception {
    startWorker(slots, 0);
  }

  private void startWorker(int slots, int prefetch) throws Exception {
    sessions = ColonyServer.forAddress("127.0.0.1", 0).start();
    scripted =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(new ScriptedWorkerService())
            .build()
            .start();
    String sessionAddress = "127.0.0.1:" + sessions.port();
    worker =
        new WorkerDaemon(
            WorkerOptions.newBuilder()
                .setCoordinator("127.0.0.1:" + scripted.getPort())
                .setSlots(slots)
                .setPrefetch(prefetch)
                .setName("resend-worker")
                .setDrainGrace(Duration.ofSeconds(1))
                .addAllowedTasks("dev.colony.worker.**")
                .build(),
            options -> Colony.connect(sessionAddress));
    worker.start();
  }

  private Stream nextStream() throws InterruptedException {
    Stream stream = streams.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    if (stream == null) {
      throw new AssertionError("the worker opened no stream in " + WAIT_SECONDS + " s");
    }
    return stream;
  }

  private static CoordinatorFrame welcome(String id) {
    return CoordinatorFrame.newBuilder()
        .setWelcome(WorkerWelcome.newBuilder().setWorkerId(id).setHeartbeatIntervalMs(60_000))
        .build();
  }

  private static CoordinatorFrame square(long taskId, int argument) {
    return CoordinatorFrame.newBuilder()
        .setTask(
            TaskAssignment.newBuilder()
                .setTaskId(taskId)
                .setAttempt(1)
                .setTaskName(TestTasks.Square.class.getName())
                .addArguments(Codecs.INT.encode(argument)))
        .build();
  }

  private static CoordinatorFrame ack(long... taskIds) {
    ResultsAck.Builder ack = ResultsAck.newBuilder();
    for (long id : taskIds) {
      ack.addTaskIds(id);
    }
    return CoordinatorFrame.newBuilder().setResultsAck(ack).build();
  }

  private final class ScriptedWorkerService extends WorkerServiceGrpc.WorkerServiceImplBase {
    @Override
    public StreamObserver<WorkerFrame> work(StreamObserver<CoordinatorFrame> toWorker) {
      Stream stream = new Stream(toWorker);
      streams.add(stream);
      return new StreamObserver<>() {
        @Override
        public void onNext(WorkerFrame frame) {
          stream.received.add(frame);
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          synchronized (toWorker) {
            toWorker.onCompleted();
          }
        }
      };
    }
  }
}
