package dev.colony.it.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
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

  // A PriorityBlockingQueue's iterator lists the items in no particular order, so these
  // assertions sort what it lists; Colony's happens to list them in serving order.

  @Test
  void peek_isTheLowest_andTheCollectionMethodsSeeEveryItem() {
    BlockingQueue<Long> queue = newPriorityQueue();
    queue.addAll(List.of(5L, 1L, 4L, 2L, 3L));
    assertEquals(1L, queue.peek());
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), sorted(new ArrayList<>(queue)));
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), sorted(Arrays.asList(queue.toArray(new Long[0]))));
    assertTrue(queue.contains(4L));
    assertFalse(queue.contains(9L));
    assertEquals(5, queue.size());
  }

  @Test
  void removingFromTheMiddle_keepsTheRestInPriorityOrder() {
    BlockingQueue<Long> queue = newPriorityQueue();
    queue.addAll(List.of(5L, 1L, 4L, 2L, 3L, 6L));
    assertTrue(queue.remove(4L));
    assertTrue(queue.removeIf(item -> item == 2L));
    Iterator<Long> it = queue.iterator();
    while (it.hasNext()) {
      if (it.next() == 5L) {
        it.remove();
      }
    }
    assertEquals(List.of(1L, 3L, 6L), BlockingQueueContract.takeAll(queue));
  }

  @Test
  void iterator_readsAQueueLargerThanAPage_andSeesEveryItemOnce() {
    BlockingQueue<Long> queue = newPriorityQueue();
    List<Long> items = new ArrayList<>();
    for (long i = 0; i < SmallPages.MORE_THAN_A_PAGE; i++) {
      items.add((i * 7) % SmallPages.MORE_THAN_A_PAGE); // every number once, shuffled
    }
    queue.addAll(items);
    assertEquals(sorted(items), sorted(new ArrayList<>(queue)));
    assertEquals(sorted(items), BlockingQueueContract.takeAll(queue));
  }

  private static List<Long> sorted(List<Long> items) {
    List<Long> copy = new ArrayList<>(items);
    Collections.sort(copy);
    return copy;
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
