package dev.colony.client;

import static dev.colony.client.ColonyServerFixture.name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.proto.v1.ErrorReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The async views over in-process gRPC: pipelining, order, errors, cancellation. */
@Timeout(30)
class AsyncProxiesTest {
  private ColonyClient client;

  @BeforeEach
  void connect() {
    client = ColonyServerFixture.connect();
  }

  @AfterEach
  void close() {
    client.close();
  }

  private static <T> T done(CompletableFuture<T> future) throws Exception {
    return future.get(10, TimeUnit.SECONDS);
  }

  @Test
  void queue_manyPutsInFlight_areTakenInTheOrderTheyWereMade() throws Exception {
    ColonyQueue<Integer> queue = client.queue(name("pipelined"), Integer.class);
    List<CompletableFuture<Void>> puts = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      puts.add(queue.async().put(i));
    }
    done(CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)));
    List<CompletableFuture<Integer>> takes = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      takes.add(queue.async().take());
    }
    for (int i = 0; i < 500; i++) {
      assertEquals(i, done(takes.get(i)));
    }
    assertNull(done(queue.async().poll()));
    assertEquals(0, queue.size());
  }

  @Test
  void queue_addAllAndDrain_areBatches_inOrder() throws Exception {
    ColonyQueue<Integer> queue = client.queue(name("batch"), Integer.class);
    List<Integer> items = IntStream.range(0, 10_000).boxed().toList();
    assertEquals(10_000, done(queue.async().addAll(items)));
    assertEquals(items.subList(0, 3), done(queue.async().drain(3)));
    List<Integer> rest = new ArrayList<>();
    assertEquals(9_997, queue.drainTo(rest));
    assertEquals(items.subList(3, 10_000), rest);
    assertTrue(queue.addAll(List.of(1, 2)));
    assertEquals(List.of(1, 2), done(queue.async().drain(10)));
  }

  @Test
  void queue_addAll_onABoundedQueue_stopsAtTheFirstThatDoesNotFit() throws Exception {
    ColonyQueue<String> queue =
        client.queue(name("bounded"), String.class, QueueOptions.fifo().withMaxSize(2));
    assertEquals(2, done(queue.async().addAll(List.of("a", "b", "c"))));
    assertThrows(IllegalStateException.class, () -> queue.addAll(List.of("d")));
    assertFalse(done(queue.async().offer("e")));
    assertEquals(List.of("a", "b"), done(queue.async().drain(5)));
  }

  @Test
  void queue_cancelledTake_withdrawsTheWaiter_andTakesNothing() throws Exception {
    ColonyQueue<String> queue = client.queue(name("cancel"), String.class);
    CompletableFuture<String> take = queue.async().take();
    assertEquals(0, queue.size()); // answered after the take was applied: it is waiting now
    assertTrue(take.cancel(true));
    // The withdrawal went out before this put on the same stream, so the coordinator applied it
    // first: the item stays in the queue rather than going to the cancelled take.
    queue.put("kept");
    assertEquals(1, queue.size());
    assertThrows(CancellationException.class, take::join);
    assertEquals("kept", queue.poll(5, TimeUnit.SECONDS));
  }

  @Test
  void queue_pollWithTimeout_onEmptyQueue_completesWithNull() throws Exception {
    ColonyQueue<String> queue = client.queue(name("empty"), String.class);
    assertNull(done(queue.async().poll(20, TimeUnit.MILLISECONDS)));
  }

  @Test
  void queue_itemOfAnotherType_failsTheFuture_andGoesBack() throws Exception {
    String name = name("typed");
    client.queue(name, String.class).put("text");
    ExecutionException e =
        assertThrows(
            ExecutionException.class, () -> done(client.queue(name, Long.class).async().poll()));
    assertInstanceOf(ColonyException.class, e.getCause());
    assertEquals("text", client.queue(name, String.class).poll());
  }

  @Test
  void deletedWhileWaiting_failsTheFuture_withColonyException() throws Exception {
    ColonyQueue<String> queue = client.queue(name("deleted"), String.class);
    CompletableFuture<String> take = queue.async().take();
    assertEquals(0, queue.size()); // the take is waiting now
    client.delete(queue.name());
    ExecutionException e = assertThrows(ExecutionException.class, () -> done(take));
    ColonyException failure = assertInstanceOf(ColonyException.class, e.getCause());
    assertEquals(ColonyException.Code.NOT_FOUND, failure.code());
  }

  @Test
  void atomicLong_valueAndMap_async() throws Exception {
    ColonyAtomicLong counter = client.atomicLong(name("counter"));
    List<CompletableFuture<Long>> increments = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      increments.add(counter.async().incrementAndGet());
    }
    for (int i = 0; i < 200; i++) {
      assertEquals(i + 1, done(increments.get(i)));
    }
    assertEquals(210, done(counter.async().addAndGet(10)));
    assertTrue(done(counter.async().compareAndSet(210, 5)));
    assertEquals(5, done(counter.async().getAndSet(7)));
    assertEquals(7, done(counter.async().get()));

    ColonyValue<String> value = client.value(name("value"), String.class);
    done(value.async().set("a"));
    assertEquals("a", done(value.async().getAndSet("b")));
    assertTrue(done(value.async().compareAndSet("b", "c")));
    assertEquals("c", done(value.async().get()));

    ColonyMap<String, Integer> map = client.map(name("map"), String.class, Integer.class);
    assertNull(done(map.async().put("a", 1)));
    assertEquals(1, done(map.async().put("a", 2)));
    assertEquals(2, done(map.async().putIfAbsent("a", 3)));
    done(map.async().putAll(Map.of("b", 4, "c", 5)));
    assertEquals(4, done(map.async().get("b")));
    assertTrue(done(map.async().containsKey("c")));
    assertEquals(5, done(map.async().remove("c")));
    assertNull(done(map.async().get("c")));
    assertEquals(2, map.size());
  }

  @Test
  void lock_async_ownedByTheCallingThread() throws Exception {
    ColonyLock lock = client.lock(name("lock"));
    long token = done(lock.async().lock());
    assertTrue(lock.isHeldByCurrentThread());
    assertEquals(token, lock.fencingToken());
    assertFalse(done(ColonyServerFixture.supplyAsync(() -> lock.tryLock())));
    done(lock.async().unlock());
    assertFalse(lock.isHeldByCurrentThread());
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> done(lock.async().unlock()));
    ColonyException failure = assertInstanceOf(ColonyException.class, e.getCause());
    assertEquals(ErrorReason.NOT_OWNER, failure.reason());
    assertTrue(done(lock.async().tryLock(1, TimeUnit.SECONDS)));
    lock.unlock();
  }

  @Test
  void lock_cancelledWait_withdraws_andLeavesTheLockFree() throws Exception {
    ColonyLock lock = client.lock(name("lockcancel"));
    lock.lock();
    CompletableFuture<Long> waiting =
        ColonyServerFixture.supplyAsync(() -> lock.async().lock()).get(10, TimeUnit.SECONDS);
    assertTrue(waiting.cancel(true));
    lock.unlock();
    // The withdrawal went out before the unlock on the same stream: the lock is free now.
    assertTrue(done(ColonyServerFixture.supplyAsync(() -> lock.tryLock())));
  }

  @Test
  void semaphore_async() throws Exception {
    ColonySemaphore semaphore = client.semaphore(name("sem"), 2);
    done(semaphore.async().acquire(2));
    assertFalse(done(semaphore.async().tryAcquire(1)));
    assertFalse(done(semaphore.async().tryAcquire(1, 10, TimeUnit.MILLISECONDS)));
    done(semaphore.async().release(2));
    assertTrue(done(semaphore.async().tryAcquire(2)));
    assertEquals(0, semaphore.availablePermits());
  }
}
