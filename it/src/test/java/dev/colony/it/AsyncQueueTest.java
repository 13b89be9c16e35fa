package dev.colony.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyException;
import dev.colony.client.ColonyQueue;
import dev.colony.it.support.CoordinatorProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The async queue view over TCP against a coordinator process: many calls in flight. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AsyncQueueTest {
  private static final int CALLERS = 4;
  private static final int PER_CALLER =
      2_000; // 8,000 takes waiting at once: under the waiters-per-object limit

  private static CoordinatorProcess coordinator;

  @BeforeAll
  static void startCoordinator() throws TimeoutException {
    coordinator = CoordinatorProcess.start();
  }

  @AfterAll
  static void stopCoordinator() {
    coordinator.close();
  }

  private static <T> T done(CompletableFuture<T> future) throws Exception {
    try {
      return future.get(60, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("an async call did not complete within 60 s", e);
    }
  }

  @Test
  void manyCallersPipelining_loseNothing_andKeepEachCallersOrder() throws Exception {
    try (ColonyClient producer = Colony.connect(coordinator.target());
        ColonyClient consumer = Colony.connect(coordinator.target())) {
      ColonyQueue<String> out = producer.queue("async.order", String.class);
      ColonyQueue<String> in = consumer.queue("async.order", String.class);
      // Takes first, all in flight at once: each waits at the coordinator until a put serves it.
      List<CompletableFuture<String>> takes = new ArrayList<>();
      for (int i = 0; i < CALLERS * PER_CALLER; i++) {
        takes.add(in.async().take());
      }
      List<CompletableFuture<Void>> callers = new ArrayList<>();
      for (int c = 0; c < CALLERS; c++) {
        int caller = c;
        callers.add(
            CompletableFuture.runAsync(
                () -> {
                  List<CompletableFuture<Void>> puts = new ArrayList<>();
                  for (int i = 0; i < PER_CALLER; i++) {
                    puts.add(out.async().put(caller + ":" + i));
                  }
                  CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).join();
                }));
      }
      done(CompletableFuture.allOf(callers.toArray(CompletableFuture[]::new)));

      Map<Integer, Integer> next = new HashMap<>();
      for (CompletableFuture<String> take : takes) {
        String[] item = done(take).split(":");
        int caller = Integer.parseInt(item[0]);
        int seq = Integer.parseInt(item[1]);
        assertEquals(
            next.getOrDefault(caller, 0), seq, "caller " + caller + "'s items out of order");
        next.put(caller, seq + 1);
      }
      for (int c = 0; c < CALLERS; c++) {
        assertEquals(PER_CALLER, next.get(c), "caller " + c + " lost items");
      }
      assertNull(done(in.async().poll()), "an item was left over: taken twice or put twice");
    }
  }

  @Test
  void batchesAndCancellation_overTcp() throws Exception {
    try (ColonyClient client = Colony.connect(coordinator.target())) {
      ColonyQueue<Integer> queue = client.queue("async.batch", Integer.class);
      List<Integer> items = new ArrayList<>();
      for (int i = 0; i < 20_000; i++) {
        items.add(i);
      }
      assertEquals(20_000, done(queue.async().addAll(items)));
      assertEquals(items, done(queue.async().drain(Integer.MAX_VALUE)));

      CompletableFuture<Integer> take = queue.async().take();
      assertEquals(0, queue.size()); // answered after the take was applied: it waits now
      assertTrue(take.cancel(true));
      queue.put(7); // after the withdrawal on the same stream, so applied after it
      assertEquals(1, queue.size(), "the cancelled take took the item");
      assertThrows(CancellationException.class, take::join);
      assertEquals(7, done(queue.async().poll(5, TimeUnit.SECONDS)));
    }
  }

  @Test
  void failures_completeTheFuture_withColonyException() throws Exception {
    try (ColonyClient client = Colony.connect(coordinator.target())) {
      ColonyQueue<String> queue = client.queue("async.deleted", String.class);
      CompletableFuture<String> take = queue.async().take();
      assertEquals(0, queue.size());
      assertTrue(client.delete(queue.name()));
      ExecutionException e = assertThrows(ExecutionException.class, () -> done(take));
      ColonyException failure = assertInstanceOf(ColonyException.class, e.getCause());
      assertEquals(ColonyException.Code.NOT_FOUND, failure.code());
    }
  }

  /** The README's async example, as it is printed there (between the markers). */
  @Test
  void readmeAsyncExample_runsAsPrinted() throws Exception {
    try (ColonyClient colony = Colony.connect(coordinator.target())) {
      // README async example: start
      ColonyQueue<String> jobs = colony.queue("jobs", String.class);
      List<CompletableFuture<Void>> puts = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        puts.add(jobs.async().put("job " + i)); // all 1,000 in flight on one stream
      }
      CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).join();
      String first = jobs.async().take().join(); // "job 0"
      List<String> rest = jobs.async().drain(999).join(); // the other 999, in one call
      // README async example: end
      assertEquals("job 0", first);
      assertEquals(999, rest.size());
      assertEquals("job 999", rest.get(998));
    }
    String source = Files.readString(Path.of("src/test/java/dev/colony/it/AsyncQueueTest.java"));
    String start = "// README async example: start\n";
    String example =
        source.substring(
            source.indexOf(start) + start.length(),
            source.indexOf("      // README async example: end"));
    String dedented =
        example
            .lines()
            .map(l -> l.length() >= 6 ? l.substring(6) : l.strip())
            .collect(Collectors.joining("\n"));
    String readme =
        Files.readString(Path.of("..").toAbsolutePath().normalize().resolve("README.md"));
    assertTrue(
        readme.contains(dedented), "README.md must show this example as it is:\n" + dedented);
  }
}
