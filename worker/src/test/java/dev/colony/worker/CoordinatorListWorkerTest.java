package dev.colony.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.client.FakeFollower;
import dev.colony.client.internal.Codecs;
import dev.colony.proto.v1.TaskOutcome;
import dev.colony.proto.v1.TaskSpec;
import dev.colony.proto.v1.TaskState;
import dev.colony.server.ColonyServer;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A worker given several coordinator addresses, the first of which does not serve. */
@Timeout(60)
class CoordinatorListWorkerTest {

  @Test
  void firstAddressDead_workerJoinsTheSecondAndRunsATask() throws Exception {
    int deadPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      deadPort = socket.getLocalPort();
    }
    ColonyServer server = ColonyServer.forAddress("127.0.0.1", 0).start();
    joinsAndRunsATask(server, "127.0.0.1:" + deadPort + ",127.0.0.1:" + server.port());
  }

  @Test
  void followerFirst_workerFollowsItsHintAndRunsATask() throws Exception {
    ColonyServer server = ColonyServer.forAddress("127.0.0.1", 0).start();
    try (FakeFollower follower = FakeFollower.start("n2", "127.0.0.1:" + server.port())) {
      joinsAndRunsATask(server, follower.address() + ",127.0.0.1:" + server.port());
    }
  }

  private static void joinsAndRunsATask(ColonyServer server, String coordinators) throws Exception {
    WorkerDaemon worker =
        new WorkerDaemon(
            WorkerOptions.newBuilder()
                .setCoordinator(coordinators)
                .setSlots(1)
                .setName("list-worker")
                .addAllowedTasks("dev.colony.worker.**")
                .build());
    try (RawSession submitter = new RawSession(server.port())) {
      worker.start();
      worker.joined().get(20, TimeUnit.SECONDS);

      long id =
          submitter.submit(
              TaskSpec.newBuilder()
                  .setTaskName(TestTasks.Square.class.getName())
                  .addArguments(Codecs.INT.encode(7)));
      TaskOutcome outcome = submitter.await(id);

      assertEquals(TaskState.TASK_STATE_SUCCEEDED, outcome.getState(), outcome::toString);
      assertEquals(List.of(49), outcome.getResultsList().stream().map(Codecs.INT::decode).toList());
    } finally {
      worker.shutdownNow();
      assertTrue(worker.awaitTermination(20, TimeUnit.SECONDS), "the worker did not stop in 20 s");
      server.shutdownNow();
      server.awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
