package dev.colony.client;

import static dev.colony.client.ColonyServerFixture.name;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class QueueProxyTest {
  record Job(String id, int size) {}

  private ColonyClient client;

  @BeforeEach
  void connect() {
    client = ColonyServerFixture.connect();
  }

  @AfterEach
  void close() {
    client.close();
  }

  @Test
  void putThenTake_returnsItemsInFifoOrder() throws Exception {
    ColonyQueue<Job> jobs = client.queue(name("jobs"), Job.class);

    jobs.put(new Job("a", 1));
    jobs.put(new Job("b", 2));

    assertEquals(2, jobs.size());
    assertEquals(new Job("a", 1), jobs.take());
    assertEquals(new Job("b", 2), jobs.take());
    assertTrue(jobs.isEmpty());
  }

  @Test
  void queue_isMemoizedPerName() {
    String name = name("memo");
    assertSame(client.queue(name, String.class), client.queue(name, String.class));
  }

  @Test
  void poll_onEmptyQueue_returnsNullAfterTimeout() throws Exception {
    ColonyQueue<String> queue = client.queue(name("empty"), String.class);

    long start = System.nanoTime();
    String item = queue.poll(150, TimeUnit.MILLISECONDS);
    long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertNull(item);
    assertTrue(waitedMillis >= 140, "returned after " + waitedMillis + " ms");
    assertNull(queue.poll());
  }

  @Test
  void take_blocked_getsItemPutByAnotherClient() throws Exception {
    String name = name("handoff");
    ColonyQueue<String> queue = client.queue(name, String.class);
    CompletableFuture<String> taken =
        ColonyServerFixture.supplyAsync(
            () -> {
              try {
                return queue.take();
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });

    try (ColonyClient other = ColonyServerFixture.connect()) {
      other.queue(name, String.class).put("hello");
    }

    assertEquals("hello", taken.get(5, TimeUnit.SECONDS));
  }

  @Test
  void priorityQueue_servesLowestPriorityFirstAndFifoAmongEquals() throws Exception {
    ColonyQueue<String> queue = client.queue(name("prio"), String.class, QueueOptions.priority());

    queue.put("low-a", 5);
    queue.put("urgent", 1);
    queue.put("low-b", 5);
    queue.offer("later", 9);

    assertEquals(List.of("urgent", "low-a", "low-b", "later"), drain(queue, 4));
  }

  @Test
  void priorityQueue_ofNumbers_usesTheNumberAsPriority() throws Exception {
    ColonyQueue<Integer> queue =
        client.queue(name("prio-num"), Integer.class, QueueOptions.priority());

    queue.put(30);
    queue.put(10);
    queue.put(20);

    assertEquals(List.of(10, 20, 30), drain(queue, 3));
  }

  @Test
  void priorityQueue_withFunction_usesIt() throws Exception {
    ColonyQueue<Job> queue =
        client.queue(name("prio-fn"), Job.class, QueueOptions.priority((Job job) -> -job.size()));

    queue.put(new Job("small", 1));
    queue.put(new Job("big", 100));

    assertEquals("big", queue.take().id());
    assertEquals("small", queue.take().id());
  }

  @Test
  void lifoQueue_servesLastInFirst() throws Exception {
    ColonyQueue<String> queue = client.queue(name("lifo"), String.class, QueueOptions.lifo());

    queue.put("first");
    queue.put("second");
    queue.put("third");

    assertEquals(List.of("third", "second", "first"), drain(queue, 3));
  }

  @Test
  void boundedQueue_offerWhenFull_returnsFalseAndCapacityIsReported() throws Exception {
    ColonyQueue<String> queue =
        client.queue(name("bounded"), String.class, QueueOptions.fifo().withMaxSize(2));

    assertTrue(queue.offer("a"));
    assertEquals(1, queue.remainingCapacity());
    assertTrue(queue.offer("b", 50, TimeUnit.MILLISECONDS));
    assertFalse(queue.offer("c"));
    assertFalse(queue.offer("c", 100, TimeUnit.MILLISECONDS));
    assertThrows(IllegalStateException.class, () -> queue.add("c"));
    assertEquals(0, queue.remainingCapacity());
  }

  @Test
  void take_interrupted_throwsAndDoesNotLoseTheItem() throws Exception {
    ColonyQueue<String> queue = client.queue(name("interrupt"), String.class);
    AtomicReference<Object> outcome = new AtomicReference<>();
    Thread taker =
        new Thread(
            () -> {
              try {
                outcome.set(queue.take());
              } catch (InterruptedException e) {
                outcome.set(e);
              }
            });
    taker.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> taker.getState() == Thread.State.WAITING);

    taker.interrupt();
    taker.join(5_000);
    queue.put("kept");

    assertTrue(outcome.get() instanceof InterruptedException, "got " + outcome.get());
    assertEquals("kept", queue.poll(1, TimeUnit.SECONDS));
  }

  @Test
  void take_interruptedWhileItemArrives_itemIsEitherTakenOrStillQueued() throws Exception {
    ColonyQueue<Integer> queue = client.queue(name("race"), Integer.class);
    for (int i = 0; i < 10; i++) {
      AtomicReference<Object> outcome = new AtomicReference<>();
      Thread taker =
          new Thread(
              () -> {
                try {
                  outcome.set(queue.take());
                } catch (InterruptedException e) {
                  outcome.set(e);
                }
              });
      taker.start();
      await().atMost(Duration.ofSeconds(5)).until(() -> taker.getState() == Thread.State.WAITING);

      queue.put(i);
      taker.interrupt();
      taker.join(5_000);

      if (outcome.get() instanceof InterruptedException) {
        assertEquals(i, queue.poll(1, TimeUnit.SECONDS), "item " + i + " was lost");
      } else {
        assertEquals(i, outcome.get());
      }
      assertNull(queue.poll());
    }
  }

  @Test
  void delivery_nack_returnsItemToTheHead() throws Exception {
    ColonyQueue<String> queue = client.queue(name("delivery"), String.class);
    queue.put("one");
    queue.put("two");

    Delivery<String> first = queue.takeDelivery();
    assertEquals("one", first.value());
    first.nack();

    Delivery<String> again = queue.pollDelivery(1, TimeUnit.SECONDS);
    assertEquals("one", again.value());
    again.ack();
    assertThrows(IllegalStateException.class, again::ack);
    assertEquals("two", queue.poll());
    assertNull(queue.pollDelivery(10, TimeUnit.MILLISECONDS));
  }

  @Test
  void unackedDelivery_returnsToQueue_whenItsClientCloses() throws Exception {
    String name = name("unacked");
    client.queue(name, String.class).put("precious");
    try (ColonyClient consumer = ColonyServerFixture.connect()) {
      assertEquals("precious", consumer.queue(name, String.class).takeDelivery().value());
    }

    assertEquals("precious", client.queue(name, String.class).poll(2, TimeUnit.SECONDS));
  }

  @Test
  void join_returnsOnceEveryItemIsDone() throws Exception {
    ColonyQueue<String> queue = client.queue(name("join"), String.class);
    queue.put("task");

    assertFalse(queue.join(50, TimeUnit.MILLISECONDS));
    queue.take();
    queue.taskDone();

    assertTrue(queue.join(1, TimeUnit.SECONDS));
  }

  @Test
  void drainTo_movesEverything() throws Exception {
    ColonyQueue<String> queue = client.queue(name("drain"), String.class);
    queue.addAll(List.of("a", "b", "c"));
    List<String> sink = new ArrayList<>();

    assertEquals(2, queue.drainTo(sink, 2));
    assertEquals(1, queue.drainTo(sink));
    assertEquals(List.of("a", "b", "c"), sink);
  }

  @Test
  void peek_returnsTheHeadWithoutTakingIt() throws Exception {
    ColonyQueue<String> queue = client.queue(name("peek"), String.class);
    assertNull(queue.peek());
    queue.put("head");

    assertEquals("head", queue.peek());
    assertEquals(1, queue.size());
  }

  @Test
  void queue_readWithAnotherType_failsWithClearMessage() throws Exception {
    String name = name("typed");
    client.queue(name, String.class).put("text");

    ColonyException e =
        assertThrows(ColonyException.class, () -> client.queue(name, Job.class).poll());
    assertTrue(e.getMessage().contains("'string'"), e.getMessage());
    // The item was given back for a reader of the right type.
    assertEquals("text", client.queue(name, String.class).poll());
  }

  @Test
  void queueName_boundToAnotherType_isWrongType() {
    String name = name("taken");
    client.lock(name);

    ColonyException e = assertThrows(ColonyException.class, () -> client.queue(name, String.class));
    assertEquals(dev.colony.proto.v1.ErrorReason.WRONG_TYPE, e.reason());
  }

  @Test
  void closedClient_failsCallsWithAClearMessage() {
    ColonyQueue<String> queue = client.queue(name("closed"), String.class);
    client.close();

    ColonyException e = assertThrows(ColonyException.class, () -> queue.offer("x"));
    assertEquals(ColonyException.Code.UNAVAILABLE, e.code());
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
  }

  private static <T> List<T> drain(ColonyQueue<T> queue, int n)
      throws InterruptedException, ExecutionException {
    List<T> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(queue.poll(1, TimeUnit.SECONDS));
    }
    return out;
  }
}
