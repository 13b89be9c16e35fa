package dev.colony.it.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.client.ColonyClient;
import dev.colony.client.Pool;
import dev.colony.client.RemoteTaskException;
import dev.colony.it.workers.tasks.NotATask;
import dev.colony.it.workers.tasks.Square;
import dev.colony.it.workers.tasks.WhereAmI;
import dev.colony.proto.v1.TaskFailureReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Work a worker cannot run is refused with a clear error to the caller, and the worker keeps
 * serving. Each refusal is sent four times at once so that both workers (two slots each, round
 * robin) refuse it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TaskRefusalTest {

  private static final int COPIES = 2 * WorkerProcess.SLOTS;

  private static WorkerCluster cluster;
  private static ColonyClient client;

  @BeforeAll
  static void startCluster() throws TimeoutException {
    cluster = WorkerCluster.start(2);
    client = cluster.newClient();
  }

  @AfterAll
  static void stopCluster() {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void unknownTaskName_isRefusedWithWhereTheWorkerLooked_andTheWorkersKeepServing()
      throws Exception {
    String missing = "dev.colony.it.workers.tasks.NoSuchTask";

    List<RemoteTaskException> refusals = submitCopies(missing, 7);

    for (RemoteTaskException refusal : refusals) {
      assertEquals(TaskFailureReason.UNKNOWN_TASK, refusal.reason());
      assertTrue(
          refusal.getMessage().contains("no task class " + missing)
              && refusal.getMessage().contains("classpath"),
          refusal::getMessage);
    }
    assertBothWorkersStillServe();
  }

  @Test
  void classThatIsNotATask_isRefused_andTheWorkersKeepServing() throws Exception {
    List<RemoteTaskException> refusals = submitCopies(NotATask.class.getName(), 7);

    for (RemoteTaskException refusal : refusals) {
      assertEquals(TaskFailureReason.NOT_A_TASK, refusal.reason());
      assertTrue(
          refusal.getMessage().contains(NotATask.class.getName() + " is not a task"),
          refusal::getMessage);
    }
    assertBothWorkersStillServe();
  }

  @Test
  void argumentTheCodecCannotDecode_isRefused_andTheWorkersKeepServing() throws Exception {
    // Square is a Task<Integer, Integer>; a String cannot become its Integer.
    List<RemoteTaskException> refusals = submitCopies(Square.class.getName(), "seven");

    for (RemoteTaskException refusal : refusals) {
      assertEquals(TaskFailureReason.BAD_ARGUMENT, refusal.reason());
      assertTrue(
          refusal.getMessage().contains("cannot decode argument")
              && refusal.getMessage().contains("java.lang.Integer"),
          refusal::getMessage);
    }
    assertBothWorkersStillServe();
  }

  /** Submits the same task several times at once and returns how each was refused. */
  private static List<RemoteTaskException> submitCopies(String taskName, Object argument)
      throws InterruptedException, TimeoutException {
    List<RemoteTaskException> refusals = new ArrayList<>();
    try (Pool pool = client.pool()) {
      List<CompletableFuture<Integer>> futures = new ArrayList<>();
      for (int i = 0; i < COPIES; i++) {
        futures.add(pool.applyAsync(taskName, argument, Integer.class));
      }
      for (CompletableFuture<Integer> future : futures) {
        ExecutionException failed =
            assertThrows(ExecutionException.class, () -> future.get(60, TimeUnit.SECONDS));
        refusals.add(assertInstanceOf(RemoteTaskException.class, failed.getCause()));
      }
    }
    return refusals;
  }

  private static void assertBothWorkersStillServe() throws InterruptedException {
    Set<String> ranOn;
    try (Pool pool = client.pool()) {
      assertEquals(49, pool.apply(Square.class, 7));
      ranOn = Set.copyOf(pool.map(WhereAmI.class, IntStream.range(0, 4 * COPIES).boxed().toList()));
    }
    assertEquals(
        cluster.workers().stream().map(WorkerProcess::workerId).collect(Collectors.toSet()), ranOn);
    assertEquals(2, cluster.connectedWorkerIds().size());
  }
}
