package dev.colony.it.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A priority queue serves the lowest first; bound to PriorityBlockingQueue and Colony. */
abstract class PriorityQueueContract {

  protected final Concurrently threads = new Concurrently();

  /** A new empty unbounded queue ordering numbers lowest first. */
  protected abstract BlockingQueue<Long> newPriorityQueue();

  @AfterEach
  void stopThreads() throws InterruptedException {
    threads.close();
  }

  @Test
  void poll_returnsLowestFirst() throws InterruptedException {
    BlockingQueue<Long> queue = newPriorityQueue();
    for (long item : new long[] {5, 1, 4, 2, 3}) {
      queue.put(item);
    }
    for (long expected = 1; expected <= 5; expected++) {
      assertEquals(expected, queue.poll());
    }
    assertNull(queue.poll(50, TimeUnit.MILLISECONDS));
  }

  @Test
  void take_onEmptyQueue_blocksUntilPut() throws Exception {
    BlockingQueue<Long> queue = newPriorityQueue();
    Future<Long> taker = threads.submit(queue::take);
    queue.put(9L);
    assertEquals(9L, Concurrently.get(taker));
  }

  @Test
  void lateLowItem_overtakesEarlierHighItems() throws InterruptedException {
    BlockingQueue<Long> queue = newPriorityQueue();
    queue.put(10L);
    queue.put(20L);
    assertEquals(10L, queue.take());
    queue.put(0L);
    assertEquals(0L, queue.take());
    assertEquals(20L, queue.take());
  }
}
