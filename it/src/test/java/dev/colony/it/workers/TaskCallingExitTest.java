package dev.colony.it.workers;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.client.ColonyClient;
import dev.colony.client.Pool;
import dev.colony.client.PoolOptions;
import dev.colony.client.RemoteTaskException;
import dev.colony.it.workers.tasks.ExitOnNegative;
import dev.colony.proto.v1.TaskFailureReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A task that calls System.exit on real worker JVMs, each restarted by a supervisor when it exits
 * non-zero: the task counts a failed attempt each time it ends a worker, fails once its retries are
 * used up, the map ends with that error instead of waiting for ever, and every worker comes back.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class TaskCallingExitTest {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final int MAX_RETRIES = 2;

  private WorkerCluster cluster;
  private final List<SupervisedWorker> workers = new ArrayList<>();

  @BeforeEach
  void start() throws TimeoutException {
    cluster = WorkerCluster.start(0);
    for (int i = 1; i <= 2; i++) {
      workers.add(SupervisedWorker.start("supervised-" + i, cluster.target()));
    }
    awaitWorkers("both supervised workers join");
  }

  @AfterEach
  void stop() {
    workers.forEach(SupervisedWorker::close);
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void taskCallingSystemExit_failsAfterItsRetries_theMapRaisesWhy_andNoWorkerIsLostForGood()
      throws Exception {
    try (ColonyClient client = cluster.newClient()) {
      Pool pool = client.pool(PoolOptions.newBuilder().setMaxRetries(MAX_RETRIES).build());
      FutureTask<List<Integer>> map =
          new FutureTask<>(() -> pool.map(ExitOnNegative.class, List.of(1, 2, -3, 4)));
      Thread caller = new Thread(map, "map-caller");
      caller.setDaemon(true);
      caller.start();

      ExecutionException failed =
          assertThrows(
              ExecutionException.class,
              () -> map.get(WAIT.toSeconds(), TimeUnit.SECONDS),
              () -> "the map neither failed nor returned; " + explain());
      RemoteTaskException thrown = assertInstanceOf(RemoteTaskException.class, failed.getCause());
      assertEquals(TaskFailureReason.WORKER_LOST, thrown.reason(), thrown::getMessage);
      assertTrue(
          thrown.getMessage().contains((MAX_RETRIES + 1) + " attempts")
              && thrown.getMessage().contains("exited: System.exit called by task")
              && thrown.getMessage().contains(ExitOnNegative.class.getName()),
          thrown::getMessage);
      pool.terminate();
    }

    // One JVM ended per attempt, each with the worker's own code for it, not the task's 42.
    await()
        .atMost(WAIT)
        .alias("the supervisors saw every attempt end its worker")
        .until(() -> failedExits().size() == MAX_RETRIES + 1);
    assertEquals(List.of(4, 4, 4), failedExits(), this::explain);
    awaitWorkers("both workers are back after the exits");
    try (ColonyClient client = cluster.newClient();
        Pool pool = client.pool()) {
      assertEquals(List.of(1, 4, 9), pool.map(ExitOnNegative.class, List.of(1, 2, 3)));
    }
  }

  private List<Integer> failedExits() {
    List<Integer> codes = new ArrayList<>();
    workers.forEach(w -> codes.addAll(w.failedExits()));
    return codes;
  }

  private void awaitWorkers(String what) {
    await()
        .atMost(WAIT)
        .alias(what + "; " + workers)
        .until(() -> cluster.connectedWorkerIds().size() == workers.size());
  }

  private String explain() {
    return "workers " + workers + "; status " + cluster.status();
  }
}
