package dev.colony.it.workers;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.client.ColonyAtomicLong;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyEvent;
import dev.colony.client.Pool;
import dev.colony.client.PoolOptions;
import dev.colony.client.RemoteTaskException;
import dev.colony.it.workers.tasks.Gated;
import dev.colony.it.workers.tasks.HaltWorker;
import dev.colony.it.workers.tasks.StallOnVictim;
import dev.colony.proto.v1.TaskFailureReason;
import dev.colony.proto.v1.WorkerStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Workers that die (SIGKILL, or a task that crashes them) or drain (SIGTERM) while they run tasks.
 * One coordinator for the class; each test starts its own two workers because it stops some of
 * them.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class WorkerLossTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  private static WorkerCluster cluster;

  @BeforeAll
  static void startCoordinator() throws TimeoutException {
    cluster = WorkerCluster.start(0);
  }

  @AfterAll
  static void stopCoordinator() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void sigkilledWorker_midMap_everyItemCompletesExactlyOnce_andTheCoordinatorReportsItGone()
      throws Exception {
    List<WorkerProcess> workers = cluster.startWorkers(2);
    WorkerProcess victim = workers.get(0);
    WorkerProcess survivor = workers.get(1);
    String run = cluster.name("kill");
    int items = 24;
    // The victim does 4 items, then its tasks block: it dies with both slots running tasks of
    // the map, while the survivor has the rest of the map to do.
    List<StallOnVictim.Job> jobs =
        IntStream.range(0, items)
            .mapToObj(
                n -> new StallOnVictim.Job(run, n, 50, victim.workerId(), 4, WorkerProcess.SLOTS))
            .toList();

    try (ColonyClient client = cluster.newClient()) {
      Pool pool = client.pool();
      FutureTask<List<Integer>> mapping = inBackground(() -> pool.map(StallOnVictim.class, jobs));
      // The event, not the count: the last stalled task counts itself before it sets the event
      // the other tasks wait for, and a victim killed between the two would leave them waiting.
      ColonyEvent victimStalled = client.event(run + ".victimStalled");
      awaitOrExplain("the victim's slots stall", victimStalled::isSet, () -> progress(client, run));
      assertEquals(WorkerProcess.SLOTS, client.atomicLong(run + ".stalled").get());
      assertEquals(WorkerProcess.SLOTS, cluster.workerStatus(victim).orElseThrow().getBusy());
      assertFalse(mapping.isDone());

      victim.kill();

      List<Integer> results = finish(mapping, pool, () -> progress(client, run));
      assertEquals(IntStream.range(0, items).map(n -> n * n).boxed().toList(), results);
      Map<Integer, Long> executions =
          Map.copyOf(client.map(run + ".executions", Integer.class, Long.class));
      assertEquals(
          Map.of(1L, (long) items - WorkerProcess.SLOTS, 2L, (long) WorkerProcess.SLOTS),
          executions.values().stream()
              .collect(Collectors.groupingBy(Function.identity(), Collectors.counting())),
          () -> "how many items ran once and twice: " + executions);
      assertEquals(items, client.atomicLong(run + ".done").get(), "items finished");
    }
    await().atMost(WAIT).until(() -> !cluster.connectedWorkerIds().contains(victim.workerId()));
    assertEquals(List.of(survivor.workerId()), cluster.connectedWorkerIds());
  }

  @Test
  void sigtermedWorker_finishesItsRunningTasks_takesNoNewOne_andExitsZero() throws Exception {
    List<WorkerProcess> workers = cluster.startWorkers(2);
    WorkerProcess drained = workers.get(0);
    WorkerProcess other = workers.get(1);
    String run = cluster.name("drain");
    int items = 12;
    List<Gated.Job> jobs = IntStream.range(0, items).mapToObj(n -> new Gated.Job(run, n)).toList();

    List<Gated.Ran> results;
    try (ColonyClient client = cluster.newClient()) {
      Pool pool = client.pool();
      FutureTask<List<Gated.Ran>> mapping = inBackground(() -> pool.map(Gated.class, jobs));
      // Every slot holds a task waiting at the gate; the other items are queued.
      ColonyAtomicLong started = client.atomicLong(run + ".started");
      awaitOrExplain(
          "every slot takes a task",
          () -> started.get() == 2L * WorkerProcess.SLOTS,
          () -> progress(client, run));
      assertEquals(WorkerProcess.SLOTS, cluster.workerStatus(drained).orElseThrow().getBusy());
      assertEquals(WorkerProcess.SLOTS, cluster.workerStatus(other).orElseThrow().getBusy());

      drained.signalTerminate();
      await()
          .atMost(WAIT)
          .until(() -> cluster.workerStatus(drained).map(WorkerStatus::getDraining).orElse(false));
      client.event(run + ".gate").set();

      results = finish(mapping, pool, () -> progress(client, run));
      assertEquals(
          IntStream.range(0, items).map(n -> n * n).boxed().toList(),
          results.stream().map(Gated.Ran::square).toList());
      Map<Integer, Long> executions =
          Map.copyOf(client.map(run + ".executions", Integer.class, Long.class));
      assertEquals(items, executions.size());
      assertEquals(
          Map.of(),
          executions.entrySet().stream()
              .filter(e -> e.getValue() != 1L)
              .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)),
          "items that ran more than once");
    }
    // The two tasks it was running when drained finished there; everything else ran elsewhere.
    assertEquals(
        Map.of(drained.workerId(), (long) WorkerProcess.SLOTS, other.workerId(), (long) items - 2),
        results.stream()
            .collect(Collectors.groupingBy(Gated.Ran::workerId, Collectors.counting())));
    assertEquals(0, drained.waitFor(WAIT));
    await()
        .atMost(WAIT)
        .until(() -> cluster.connectedWorkerIds().equals(List.of(other.workerId())));
  }

  @Test
  void taskWhoseWorkersAllDie_failsWithWorkerLost_onceItsRetriesAreUsedUp() throws Exception {
    List<WorkerProcess> workers = cluster.startWorkers(2);

    RemoteTaskException thrown;
    try (ColonyClient client = cluster.newClient()) {
      Pool pool = client.pool(PoolOptions.newBuilder().setMaxRetries(1).build());
      CompletableFuture<String> halting = pool.applyAsync(HaltWorker.class, "");
      ExecutionException failed =
          assertThrows(
              ExecutionException.class,
              () -> halting.get(WAIT.toSeconds(), TimeUnit.SECONDS),
              () -> "status: " + cluster.status());
      thrown = assertInstanceOf(RemoteTaskException.class, failed.getCause());
      pool.close();
    }

    assertEquals(TaskFailureReason.WORKER_LOST, thrown.reason());
    assertTrue(
        thrown.getMessage().contains("worker lost") && thrown.getMessage().contains("2 attempts"),
        thrown::getMessage);
    // First attempt on one worker, the retry on the other: both JVMs are gone.
    for (WorkerProcess worker : workers) {
      assertEquals(137, worker.waitFor(WAIT));
    }
    await().atMost(WAIT).until(() -> cluster.connectedWorkerIds().isEmpty());
  }

  @AfterEach
  void stopWorkers() {
    cluster.stopWorkers(WAIT);
  }

  /**
   * The map's results; if they do not come within {@link #WAIT}, fails with the coordinator's
   * status and the tasks' progress. The pool is closed or, on failure, terminated, so a failed test
   * does not hang in close.
   */
  private static <T> List<T> finish(
      FutureTask<List<T>> mapping, Pool pool, Supplier<String> progress) throws Exception {
    try {
      List<T> results = mapping.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      pool.close();
      return results;
    } catch (TimeoutException e) {
      AssertionError failure =
          new AssertionError(
              "the map did not finish within "
                  + WAIT
                  + "; "
                  + progress.get()
                  + "; status: "
                  + cluster.status());
      pool.terminate();
      throw failure;
    }
  }

  /** Awaits {@code condition}; on timeout fails with what {@code explain} says then. */
  private static void awaitOrExplain(
      String what, Callable<Boolean> condition, Supplier<String> explain) {
    try {
      await().atMost(WAIT).until(condition);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "not within "
              + WAIT
              + ": "
              + what
              + "; "
              + explain.get()
              + "; status: "
              + cluster.status(),
          e);
    }
  }

  /** The shared counters of a run, for failure messages. */
  private static String progress(ColonyClient client, String run) {
    return "progress of "
        + run
        + ": executions="
        + Map.copyOf(client.map(run + ".executions", Integer.class, Long.class))
        + " started="
        + client.atomicLong(run + ".started").get()
        + " victimRuns="
        + client.atomicLong(run + ".victimRuns").get()
        + " stalled="
        + client.atomicLong(run + ".stalled").get()
        + " done="
        + client.atomicLong(run + ".done").get();
  }

  /** Runs {@code call} on a thread of its own; the test waits on the returned future. */
  private static <T> FutureTask<T> inBackground(Callable<T> call) {
    FutureTask<T> future = new FutureTask<>(call);
    Thread thread = new Thread(future, "map-caller");
    thread.setDaemon(true);
    thread.start();
    return future;
  }
}
