package dev.colony.it.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.client.Pool;
import dev.colony.client.PoolOptions;
import dev.colony.client.RemoteTaskException;
import dev.colony.it.tasks.TestTasks.Blocks;
import dev.colony.it.tasks.TestTasks.CountPrimes;
import dev.colony.it.tasks.TestTasks.FailsOnMultiplesOfThree;
import dev.colony.it.tasks.TestTasks.RecordsTaskId;
import dev.colony.it.tasks.TestTasks.Square;
import dev.colony.it.tasks.TestTasks.SumRange;
import dev.colony.proto.v1.TaskFailureReason;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Pool against a real coordinator and a real worker daemon. */
@Timeout(120)
class PoolTest {
  private static InJvmColony colony;

  @BeforeAll
  static void startColony() throws Exception {
    colony = InJvmColony.start(4);
  }

  @AfterAll
  static void stopColony() throws Exception {
    colony.close();
  }

  private static List<Integer> range(int fromInclusive, int toExclusive) {
    return IntStream.range(fromInclusive, toExclusive).boxed().toList();
  }

  @Test
  void map_cpuBound_equalsLocalLoopInOrder() throws Exception {
    List<Long> inputs = LongStream.rangeClosed(1, 300).map(i -> 1_000 + i * 37).boxed().toList();
    List<Long> expected = new ArrayList<>();
    for (long n : inputs) {
      expected.add(CountPrimes.countPrimesBelow(n));
    }

    try (Pool pool = colony.client.pool()) {
      assertEquals(expected, pool.map(CountPrimes.class, inputs));
    }
  }

  @Test
  void map_manySmallItems_completesInOrder() throws Exception {
    List<Integer> inputs = range(0, 20_000);

    try (Pool pool = colony.client.pool()) {
      List<Integer> squares = pool.map(Square.class, inputs);

      assertEquals(inputs.size(), squares.size());
      for (int i = 0; i < inputs.size(); i++) {
        assertEquals(i * i, squares.get(i));
      }
    }
  }

  @Test
  void map_withProcessesLimit_stillCompletesEveryItem() throws Exception {
    try (Pool pool = colony.client.pool(PoolOptions.newBuilder().setProcesses(2).build())) {
      assertEquals(
          range(0, 50).stream().map(i -> i * i).toList(), pool.map(Square.class, range(0, 50)));
    }
  }

  @Test
  void map_chunksize_packsItemsIntoFewerTasksAndKeepsOrder() throws Exception {
    RecordsTaskId.taskIds.clear();

    try (Pool pool = colony.client.pool()) {
      List<Integer> results = pool.map(RecordsTaskId.class, range(0, 1_000), 100);

      assertEquals(range(1, 1_001), results);
      assertEquals(10, RecordsTaskId.taskIds.size());
    }
  }

  @Test
  void starmap_tuplesBecomeRecordArguments() throws Exception {
    try (Pool pool = colony.client.pool()) {
      List<String> results =
          pool.starmap(
              SumRange.class,
              List.of(List.of(1, 10, "a"), List.of(5L, 5L, "b"), List.of(0, 100, "c")));

      assertEquals(List.of("a=55", "b=5", "c=5050"), results);
    }
  }

  @Test
  void starmap_tupleOfWrongArity_isRefusedBeforeAnythingRuns() {
    try (Pool pool = colony.client.pool()) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> pool.starmap(SumRange.class, List.of(List.of(1, 2))));
      assertTrue(e.getMessage().contains("takes 3"), e.getMessage());
    }
  }

  @Test
  void imapUnordered_yieldsEveryResultOnce() {
    try (Pool pool = colony.client.pool()) {
      List<Integer> seen = new ArrayList<>();
      pool.imapUnordered(Square.class, range(0, 500), 7).forEachRemaining(seen::add);

      seen.sort(null);
      assertEquals(range(0, 500).stream().map(i -> i * i).sorted().toList(), seen);
    }
  }

  @Test
  void imap_yieldsInOrder() {
    try (Pool pool = colony.client.pool()) {
      Iterator<Integer> results = pool.imap(Square.class, range(0, 300));
      for (int i = 0; i < 300; i++) {
        assertTrue(results.hasNext());
        assertEquals(i * i, results.next());
      }
      assertFalse(results.hasNext());
    }
  }

  @Test
  void map_withFailingItems_throwsRemoteExceptionAfterTheOthersComplete() {
    FailsOnMultiplesOfThree.calls.set(0);

    try (Pool pool = colony.client.pool()) {
      RemoteTaskException e =
          assertThrows(
              RemoteTaskException.class,
              () -> pool.map(FailsOnMultiplesOfThree.class, range(1, 11)));

      // Every item ran, though 3, 6 and 9 failed; the first failure is the one thrown.
      assertEquals(10, FailsOnMultiplesOfThree.calls.get());
      assertEquals(IllegalStateException.class.getName(), e.remoteClassName());
      assertEquals("no multiples of three: 3", e.remoteMessage());
      assertEquals(TaskFailureReason.TASK_THREW, e.reason());
      assertTrue(
          e.remoteStackTrace().stream().anyMatch(line -> line.contains("FailsOnMultiplesOfThree")),
          e.remoteStackTrace()::toString);
      assertEquals(FailsOnMultiplesOfThree.class.getName(), e.getStackTrace()[0].getClassName());
      assertNotNull(e.getCause());
      assertEquals(ArithmeticException.class.getName(), e.getCause().remoteClassName());
      assertEquals("divisible by 3", e.getCause().remoteMessage());

      // The pool keeps going.
      assertEquals(20, pool.apply(FailsOnMultiplesOfThree.class, 2));
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void imap_withFailingItem_throwsAtThatItemAndContinues() {
    try (Pool pool = colony.client.pool()) {
      Iterator<Integer> results = pool.imap(FailsOnMultiplesOfThree.class, range(1, 5));

      assertEquals(10, results.next());
      assertEquals(20, results.next());
      assertThrows(RemoteTaskException.class, results::next);
      assertEquals(40, results.next());
      assertFalse(results.hasNext());
    }
  }

  @Test
  void apply_andApplyAsync_returnResults() throws Exception {
    try (Pool pool = colony.client.pool()) {
      assertEquals(49, pool.apply(Square.class, 7));
      assertEquals(64, pool.applyAsync(Square.class, 8).get(30, TimeUnit.SECONDS));
    }
  }

  @Test
  void applyAsync_callsCallbackOrErrorCallback() throws Exception {
    try (Pool pool = colony.client.pool()) {
      CompletableFuture<Integer> result = new CompletableFuture<>();
      CompletableFuture<Throwable> error = new CompletableFuture<>();

      pool.applyAsync(Square.class, 6, result::complete, error::complete);
      CompletableFuture<Integer> failing =
          pool.applyAsync(
              FailsOnMultiplesOfThree.class,
              3,
              value -> error.completeExceptionally(new AssertionError("callback for " + value)),
              error::complete);

      assertEquals(36, result.get(30, TimeUnit.SECONDS));
      Throwable remote = error.get(30, TimeUnit.SECONDS);
      assertInstanceOf(RemoteTaskException.class, remote);
      ExecutionException thrown =
          assertThrows(ExecutionException.class, () -> failing.get(30, TimeUnit.SECONDS));
      assertInstanceOf(RemoteTaskException.class, thrown.getCause());
    }
  }

  @Test
  void terminate_cancelsRunningTaskAndFailsWaitingCallers() throws Exception {
    Blocks.reset();
    Pool pool = colony.client.pool();
    AtomicReference<Throwable> seen = new AtomicReference<>();
    CompletableFuture<String> blocked = pool.applyAsync(Blocks.class, "x", null, seen::set);
    assertTrue(Blocks.started.await(30, TimeUnit.SECONDS));

    pool.terminate();

    assertTrue(Blocks.interrupted.await(30, TimeUnit.SECONDS), "the task was not interrupted");
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> blocked.get(30, TimeUnit.SECONDS));
    assertInstanceOf(CancellationException.class, e.getCause());
    assertThrows(IllegalStateException.class, () -> pool.apply(Square.class, 2));
    pool.join();
  }

  @Test
  void close_waitsForOutstandingWork() throws Exception {
    Blocks.reset();
    Pool pool = colony.client.pool();
    CompletableFuture<String> running = pool.applyAsync(Blocks.class, "y");
    assertTrue(Blocks.started.await(30, TimeUnit.SECONDS));
    pool.shutdown();
    assertThrows(IllegalStateException.class, () -> pool.applyAsync(Square.class, 2));
    assertFalse(running.isDone());

    Blocks.release.countDown();
    pool.close();

    assertTrue(running.isDone());
    assertTrue(running.get().startsWith("y done on "), running.get());
  }

  @Test
  void join_beforeShutdown_isRefused() {
    try (Pool pool = colony.client.pool()) {
      assertThrows(IllegalStateException.class, pool::join);
    }
  }
}
