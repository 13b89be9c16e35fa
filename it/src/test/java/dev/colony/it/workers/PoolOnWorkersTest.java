package dev.colony.it.workers;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.client.ColonyClient;
import dev.colony.client.Pool;
import dev.colony.client.RemoteTaskException;
import dev.colony.it.workers.tasks.CollatzSteps;
import dev.colony.it.workers.tasks.HoldUntilCancelled;
import dev.colony.it.workers.tasks.SpanSum;
import dev.colony.it.workers.tasks.Square;
import dev.colony.it.workers.tasks.Unlucky;
import dev.colony.proto.v1.TaskCounts;
import dev.colony.proto.v1.TaskFailureReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Pool work spread over two real worker JVMs by a real coordinator JVM. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PoolOnWorkersTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final long WAIT_SECONDS = WAIT.toSeconds();

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
  void map_ofCpuBoundTask_overTwoWorkerJvms_equalsTheLocalLoopInOrder() throws Exception {
    String seenBy = cluster.name("seenBy");
    List<CollatzSteps.Range> ranges =
        LongStream.range(0, 40)
            .mapToObj(i -> new CollatzSteps.Range(seenBy, 1 + i * CollatzSteps.WIDTH))
            .toList();
    List<Long> local = new ArrayList<>();
    for (CollatzSteps.Range range : ranges) {
      local.add(CollatzSteps.totalSteps(range.start()));
    }

    List<Long> remote;
    try (Pool pool = client.pool()) {
      remote = pool.map(CollatzSteps.class, ranges);
    }

    assertEquals(local, remote);
    Map<String, Long> ranOn = Map.copyOf(client.map(seenBy, String.class, Long.class));
    assertEquals(
        cluster.workers().stream()
            .collect(Collectors.toMap(WorkerProcess::workerId, WorkerProcess::pid)),
        ranOn,
        "worker id -> pid of the JVMs that ran the map");
  }

  @Test
  void starmap_turnsEachTupleIntoTheTaskRecord_resultsInTupleOrder() throws Exception {
    List<List<?>> tuples =
        List.of(
            List.of(1L, 10L, 1),
            List.of(0L, 100L, 5),
            List.of(-50L, 50L, 7),
            List.of(10L, 1L, 1),
            List.of(3L, 3L, 2));
    List<Long> local = new ArrayList<>();
    for (List<?> t : tuples) {
      local.add(
          SpanSum.sum(new SpanSum.Span((Long) t.get(0), (Long) t.get(1), (Integer) t.get(2))));
    }

    List<Long> remote;
    try (Pool pool = client.pool()) {
      remote = pool.starmap(SpanSum.class, tuples);
    }

    assertEquals(List.of(55L, 1050L, -15L, 0L, 3L), local, "the local loop itself");
    assertEquals(local, remote);
  }

  @Test
  void imapUnordered_yieldsEveryResultExactlyOnce() throws Exception {
    List<Integer> numbers = IntStream.range(0, 60).boxed().toList();
    List<Integer> seen = new ArrayList<>();
    List<Integer> seenChunked = new ArrayList<>();
    try (Pool pool = client.pool()) {
      pool.imapUnordered(Square.class, numbers).forEachRemaining(seen::add);
      pool.imapUnordered(Square.class, numbers, 7).forEachRemaining(seenChunked::add);
    }

    List<Integer> squares = numbers.stream().map(n -> n * n).toList();
    assertEquals(squares, seen.stream().sorted().toList());
    assertEquals(squares, seenChunked.stream().sorted().toList());
  }

  @Test
  void map_withChunksize_carriesManyItemsPerTask() throws Exception {
    List<Integer> numbers = IntStream.range(0, 1000).boxed().toList();
    long tasksBefore = cluster.status().getTasks().getSucceeded();

    List<Integer> squares;
    try (Pool pool = client.pool()) {
      squares = pool.map(Square.class, numbers, 50);
    }

    assertEquals(numbers.stream().map(n -> n * n).toList(), squares);
    // The coordinator counts tasks, not items: 1000 items in chunks of 50 are 20 tasks.
    assertEquals(20, cluster.status().getTasks().getSucceeded() - tasksBefore);
  }

  @Test
  void map_withAThrowingItem_showsTheRemoteException_andTheOtherItemsStillComplete()
      throws Exception {
    String completed = cluster.name("completed");
    List<Unlucky.Item> items =
        IntStream.range(0, 30).mapToObj(n -> new Unlucky.Item(completed, n)).toList();

    RemoteTaskException thrown;
    try (Pool pool = client.pool()) {
      thrown = assertThrows(RemoteTaskException.class, () -> pool.map(Unlucky.class, items));
    }

    assertEquals(TaskFailureReason.TASK_THREW, thrown.reason());
    assertEquals("java.lang.IllegalStateException", thrown.remoteClassName());
    assertEquals("refusing 13", thrown.remoteMessage());
    assertTrue(
        thrown.remoteStackTrace().stream()
            .anyMatch(line -> line.contains("at " + Unlucky.class.getName() + ".refuse(")),
        () -> "remote stack: " + thrown.remoteStackTrace());
    assertTrue(
        Arrays.stream(thrown.getStackTrace())
            .anyMatch(
                frame ->
                    frame.getClassName().equals(Unlucky.class.getName())
                        && frame.getMethodName().equals("refuse")),
        () -> "local view of the remote stack: " + Arrays.toString(thrown.getStackTrace()));
    RemoteTaskException cause = thrown.getCause();
    assertNotNull(cause, "the remote cause");
    assertEquals("java.lang.ArithmeticException", cause.remoteClassName());
    assertEquals("13 is not a number I square", cause.remoteMessage());
    // map throws once the other items are done: all 29 of them succeeded.
    assertEquals(29, client.atomicLong(completed).get());
  }

  @Test
  void imap_pastAFailedItem_stillYieldsTheLaterResults() throws Exception {
    String completed = cluster.name("completed");
    List<Unlucky.Item> items =
        IntStream.rangeClosed(10, 16).mapToObj(n -> new Unlucky.Item(completed, n)).toList();

    try (Pool pool = client.pool()) {
      Iterator<Integer> results = pool.imap(Unlucky.class, items);
      for (int n = 10; n < Unlucky.UNLUCKY; n++) {
        assertEquals(n * n, results.next());
      }
      RemoteTaskException thrown = assertThrows(RemoteTaskException.class, results::next);
      assertEquals("refusing 13", thrown.remoteMessage());
      for (int n = Unlucky.UNLUCKY + 1; n <= 16; n++) {
        assertEquals(n * n, results.next());
      }
      assertFalse(results.hasNext());
    }
    assertEquals(6, client.atomicLong(completed).get());
  }

  @Test
  void applyAsync_callsTheCallbackWithTheResult_orTheErrorCallbackWithTheFailure()
      throws Exception {
    CompletableFuture<Integer> result = new CompletableFuture<>();
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    try (Pool pool = client.pool()) {
      pool.applyAsync(Square.class, 12, result::complete, result::completeExceptionally);
      pool.applyAsync(
          Unlucky.class,
          new Unlucky.Item(cluster.name("completed"), Unlucky.UNLUCKY),
          r -> failure.completeExceptionally(new AssertionError("succeeded with " + r)),
          failure::complete);
    }

    assertEquals(144, result.get(WAIT_SECONDS, TimeUnit.SECONDS));
    RemoteTaskException thrown =
        assertInstanceOf(RemoteTaskException.class, failure.get(WAIT_SECONDS, TimeUnit.SECONDS));
    assertEquals("refusing 13", thrown.remoteMessage());
  }

  @Test
  void terminate_cancelsThePoolsRunningTasksOnTheirWorkers_andItsQueuedOnes() throws Exception {
    String gate = cluster.name("gate");
    int running = 2 * WorkerProcess.SLOTS;
    List<HoldUntilCancelled.Hold> holds =
        IntStream.range(0, running + 2)
            .mapToObj(
                i -> {
                  String base = cluster.name("hold");
                  return new HoldUntilCancelled.Hold(
                      base + ".started", gate, base + ".cancelled", base + ".finished");
                })
            .toList();
    Pool pool = client.pool();
    try {
      Iterator<String> results = pool.imap(HoldUntilCancelled.class, holds);
      await().atMost(WAIT).until(() -> startedCount(holds) == running);
      assertEquals(2, cluster.status().getTasks().getQueued(), "the two that found no slot");

      pool.terminate();

      assertThrows(CancellationException.class, results::next);
      for (HoldUntilCancelled.Hold hold : holds) {
        if (client.event(hold.started()).isSet()) {
          assertTrue(
              client.event(hold.cancelled()).await(WAIT_SECONDS, TimeUnit.SECONDS),
              () -> hold + " was not interrupted on its worker");
        }
      }
      await()
          .atMost(WAIT)
          .until(
              () -> {
                TaskCounts tasks = cluster.status().getTasks();
                return tasks.getRunning() == 0 && tasks.getQueued() == 0;
              });
      assertEquals(running, startedCount(holds), "a queued task of the terminated pool ran");
    } finally {
      client.event(gate).set();
      pool.close();
    }
  }

  private static long startedCount(List<HoldUntilCancelled.Hold> holds) {
    return holds.stream().filter(h -> client.event(h.started()).isSet()).count();
  }
}
