package dev.colony.it.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a FIFO {@link BlockingQueue} does, bounded and unbounded; bound to the JDK and Colony. */
abstract class BlockingQueueContract {

  protected final Concurrently threads = new Concurrently();

  /** A new empty FIFO queue holding at most {@code capacity} items. */
  protected abstract BlockingQueue<String> newBoundedQueue(int capacity);

  /** A new empty FIFO queue without a capacity. */
  protected abstract BlockingQueue<String> newUnboundedQueue();

  @AfterEach
  void stopThreads() throws InterruptedException {
    threads.close();
  }

  @Test
  void offerThenPoll_returnsItemsInFifoOrder() {
    BlockingQueue<String> queue = newUnboundedQueue();
    assertTrue(queue.offer("a"));
    assertTrue(queue.offer("b"));
    queue.add("c");
    assertEquals(3, queue.size());
    assertEquals("a", queue.poll());
    assertEquals("b", queue.poll());
    assertEquals("c", queue.poll());
    assertTrue(queue.isEmpty());
  }

  @Test
  void poll_onEmptyQueue_returnsNull() {
    assertNull(newUnboundedQueue().poll());
  }

  @Test
  void poll_onEmptyQueue_returnsNullAfterTimeout() throws InterruptedException {
    BlockingQueue<String> queue = newUnboundedQueue();
    long start = System.nanoTime();
    assertNull(queue.poll(100, TimeUnit.MILLISECONDS));
    assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(90));
  }

  @Test
  void remove_onEmptyQueue_throwsNoSuchElement() {
    assertThrows(NoSuchElementException.class, () -> newUnboundedQueue().remove());
  }

  @Test
  void offer_onFullQueue_returnsFalse() {
    BlockingQueue<String> queue = newBoundedQueue(2);
    assertTrue(queue.offer("a"));
    assertTrue(queue.offer("b"));
    assertEquals(0, queue.remainingCapacity());
    assertFalse(queue.offer("c"));
    assertEquals(2, queue.size());
  }

  @Test
  void add_onFullQueue_throwsIllegalState() {
    BlockingQueue<String> queue = newBoundedQueue(1);
    queue.add("a");
    assertThrows(IllegalStateException.class, () -> queue.add("b"));
  }

  @Test
  void offerWithTimeout_onFullQueue_returnsFalseAfterTimeout() throws InterruptedException {
    BlockingQueue<String> queue = newBoundedQueue(1);
    queue.put("a");
    long start = System.nanoTime();
    assertFalse(queue.offer("b", 100, TimeUnit.MILLISECONDS));
    assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(90));
    assertEquals("a", queue.poll());
    assertNull(queue.poll());
  }

  @Test
  void remainingCapacity_countsFreeSlots() throws InterruptedException {
    BlockingQueue<String> queue = newBoundedQueue(3);
    assertEquals(3, queue.remainingCapacity());
    queue.put("a");
    assertEquals(2, queue.remainingCapacity());
  }

  @Test
  void put_onFullQueue_blocksUntilTake() throws Exception {
    BlockingQueue<String> queue = newBoundedQueue(1);
    queue.put("first");
    CountDownLatch putting = new CountDownLatch(1);
    Future<?> blockedPut =
        threads.run(
            () -> {
              putting.countDown();
              queue.put("second");
            });
    putting.await();
    // The put cannot have completed: the queue is full and nobody took yet.
    assertThrows(TimeoutException.class, () -> blockedPut.get(100, TimeUnit.MILLISECONDS));
    assertEquals("first", queue.take());
    Concurrently.get(blockedPut);
    assertEquals("second", queue.take());
  }

  @Test
  void take_onEmptyQueue_blocksUntilPut() throws Exception {
    BlockingQueue<String> queue = newUnboundedQueue();
    Future<String> taker = threads.submit(queue::take);
    assertThrows(TimeoutException.class, () -> taker.get(100, TimeUnit.MILLISECONDS));
    queue.put("x");
    assertEquals("x", Concurrently.get(taker));
  }

  @Test
  void take_whenInterrupted_throwsInterruptedException() throws Exception {
    BlockingQueue<String> queue = newUnboundedQueue();
    Future<Boolean> interrupted =
        threads.submit(
            () -> {
              Thread.currentThread().interrupt();
              try {
                queue.take();
                return false;
              } catch (InterruptedException expected) {
                return true;
              }
            });
    assertTrue(Concurrently.get(interrupted));
    queue.put("still-here");
    assertEquals("still-here", queue.poll());
  }

  @Test
  void take_interruptedWhileWaiting_throwsAndLosesNoLaterItem() throws Exception {
    BlockingQueue<String> queue = newUnboundedQueue();
    AtomicReference<Object> outcome = new AtomicReference<>();
    Thread taker =
        new Thread(
            () -> {
              try {
                outcome.set(queue.take());
              } catch (InterruptedException expected) {
                outcome.set(expected);
              }
            });
    taker.start();
    Concurrently.awaitParked(taker);
    taker.interrupt();
    taker.join(Concurrently.WAIT.toMillis());
    assertTrue(outcome.get() instanceof InterruptedException, String.valueOf(outcome.get()));
    // The withdrawn take must not swallow the next item.
    queue.put("next");
    assertEquals("next", queue.poll(10, TimeUnit.SECONDS));
  }

  @Test
  void drainTo_movesItemsInOrder() {
    BlockingQueue<String> queue = newUnboundedQueue();
    queue.addAll(List.of("a", "b", "c"));
    List<String> sink = new ArrayList<>();
    assertEquals(2, queue.drainTo(sink, 2));
    assertEquals(List.of("a", "b"), sink);
    assertEquals(1, queue.drainTo(sink));
    assertEquals(List.of("a", "b", "c"), sink);
    assertTrue(queue.isEmpty());
  }

  @Test
  void concurrentProducersAndConsumers_deliverEveryItemExactlyOnce() throws Exception {
    BlockingQueue<String> queue = newBoundedQueue(4);
    int producers = 3;
    int perProducer = 50;
    List<Future<?>> puts = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      int id = p;
      puts.add(
          threads.run(
              () -> {
                for (int n = 0; n < perProducer; n++) {
                  queue.put("p" + id + "-" + n);
                }
              }));
    }
    List<Future<List<String>>> takes = new ArrayList<>();
    for (int c = 0; c < 2; c++) {
      takes.add(
          threads.submit(
              () -> {
                List<String> got = new ArrayList<>();
                String item;
                while (!(item = queue.take()).equals("stop")) {
                  got.add(item);
                }
                return got;
              }));
    }
    for (Future<?> put : puts) {
      Concurrently.get(put);
    }
    queue.put("stop");
    queue.put("stop");
    Set<String> all = new HashSet<>();
    int total = 0;
    for (Future<List<String>> take : takes) {
      List<String> got = Concurrently.get(take);
      total += got.size();
      all.addAll(got);
      assertPerProducerOrder(got);
    }
    assertEquals(producers * perProducer, total);
    assertEquals(producers * perProducer, all.size());
  }

  // ---- the Collection methods: reading and removing in place ------------------------------

  @Test
  void peekAndElement_readTheHeadWithoutTakingIt() {
    BlockingQueue<String> queue = newUnboundedQueue();
    assertNull(queue.peek());
    assertThrows(NoSuchElementException.class, queue::element);
    queue.addAll(List.of("a", "b"));
    assertEquals("a", queue.peek());
    assertEquals("a", queue.element());
    assertEquals(2, queue.size());
  }

  @Test
  void iteratorAndEverythingBuiltOnIt_listTheItemsInFifoOrder() {
    BlockingQueue<String> queue = newUnboundedQueue();
    queue.addAll(List.of("a", "b", "c"));
    List<String> iterated = new ArrayList<>();
    queue.iterator().forEachRemaining(iterated::add);
    assertEquals(List.of("a", "b", "c"), iterated);
    List<String> forEach = new ArrayList<>();
    queue.forEach(forEach::add);
    assertEquals(iterated, forEach);
    assertEquals(iterated, queue.stream().toList());
    assertArrayEquals(new Object[] {"a", "b", "c"}, queue.toArray());
    assertEquals("[a, b, c]", queue.toString());
    assertEquals(3, queue.size());
  }

  @Test
  void toArrayTyped_fillsAnArrayBigEnough_andMarksTheEndWithNull() {
    BlockingQueue<String> queue = newUnboundedQueue();
    queue.addAll(List.of("a", "b"));
    assertArrayEquals(new String[] {"a", "b"}, queue.toArray(new String[0]));
    String[] roomy = {"x", "x", "x", "x"};
    assertSame(roomy, queue.toArray(roomy));
    assertArrayEquals(new String[] {"a", "b", null, "x"}, roomy);
    assertThrows(ArrayStoreException.class, () -> queue.toArray(new Integer[0]));
  }

  @Test
  void emptyQueue_hasAnEmptyIterator() {
    BlockingQueue<String> queue = newUnboundedQueue();
    Iterator<String> it = queue.iterator();
    assertFalse(it.hasNext());
    assertThrows(NoSuchElementException.class, it::next);
    assertEquals("[]", queue.toString());
    assertEquals(0, queue.toArray().length);
  }

  @Test
  void iteratorRemove_removesThatItemFromTheQueue() {
    BlockingQueue<String> queue = newUnboundedQueue();
    queue.addAll(List.of("a", "b", "c"));
    Iterator<String> it = queue.iterator();
    assertThrows(IllegalStateException.class, it::remove);
    assertEquals("a", it.next());
    assertEquals("b", it.next());
    it.remove();
    assertThrows(IllegalStateException.class, it::remove);
    assertEquals("c", it.next());
    assertFalse(it.hasNext());
    assertEquals(List.of("a", "c"), takeAll(queue));
  }

  @Test
  void iteratorRemove_ofAnItemTakenMeanwhile_changesNothing() {
    BlockingQueue<String> queue = newUnboundedQueue();
    queue.addAll(List.of("a", "b"));
    Iterator<String> it = queue.iterator();
    assertEquals("a", it.next());
    assertEquals("a", queue.poll());
    it.remove();
    assertEquals(List.of("b"), takeAll(queue));
  }

  @Test
  void containsAndRemoveObject_compareWithEquals_andRemoveTheFirstOccurrenceOnly() {
    BlockingQueue<String> queue = newUnboundedQueue();
    queue.addAll(List.of("a", "b", "a", "c"));
    assertTrue(queue.contains("a"));
    assertFalse(queue.contains("z"));
    assertFalse(queue.contains(null));
    assertFalse(queue.contains(42));
    assertTrue(queue.containsAll(List.of("c", "a")));
    assertFalse(queue.containsAll(List.of("a", "z")));
    assertTrue(queue.remove("a"));
    assertFalse(queue.remove("z"));
    assertFalse(queue.remove(null));
    assertEquals(List.of("b", "a", "c"), takeAll(queue));
  }

  @Test
  void removeAllRetainAllAndRemoveIf_removeFromTheQueue() {
    BlockingQueue<String> queue = newUnboundedQueue();
    queue.addAll(List.of("a", "b", "c", "d", "b", "e"));
    assertTrue(queue.removeAll(Set.of("b", "z")));
    assertFalse(queue.removeAll(Set.of("z")));
    assertTrue(queue.removeIf(item -> item.equals("d")));
    assertFalse(queue.removeIf(item -> item.equals("z")));
    assertTrue(queue.retainAll(Set.of("a", "e")));
    assertFalse(queue.retainAll(Set.of("a", "e")));
    assertEquals(List.of("a", "e"), takeAll(queue));
    assertThrows(NullPointerException.class, () -> queue.removeIf(null));
  }

  @Test
  void clear_emptiesTheQueue_andMakesRoomForABlockedPut() throws Exception {
    BlockingQueue<String> queue = newBoundedQueue(2);
    queue.addAll(List.of("a", "b"));
    Future<?> blockedPut = threads.run(() -> queue.put("c"));
    assertThrows(TimeoutException.class, () -> blockedPut.get(100, TimeUnit.MILLISECONDS));
    queue.clear();
    Concurrently.get(blockedPut);
    assertEquals(List.of("c"), takeAll(queue));
  }

  @Test
  void addAll_appendsInOrder_andRefusesTheQueueItselfAndNulls() {
    BlockingQueue<String> queue = newUnboundedQueue();
    assertTrue(queue.addAll(List.of("a", "b")));
    assertThrows(IllegalArgumentException.class, () -> queue.addAll(queue));
    assertThrows(NullPointerException.class, () -> queue.add(null));
    assertThrows(NullPointerException.class, () -> queue.offer(null));
    assertEquals(List.of("a", "b"), takeAll(queue));
  }

  @Test
  void iterator_readsAQueueLargerThanAPage_inFifoOrder() {
    BlockingQueue<String> queue = newUnboundedQueue();
    List<String> items = numbered(SmallPages.MORE_THAN_A_PAGE);
    queue.addAll(items);
    assertEquals(items, new ArrayList<>(queue));
    assertEquals(items, queue.stream().toList());
    assertTrue(queue.contains(items.get(items.size() - 1)));
    assertEquals(items.size(), queue.toArray(new String[0]).length);
  }

  @Test
  void iterator_isWeaklyConsistent_whileOtherThreadsTakeAndPut() throws Exception {
    BlockingQueue<String> queue = newUnboundedQueue();
    List<String> items = numbered(SmallPages.MORE_THAN_A_PAGE);
    queue.addAll(items);
    Iterator<String> it = queue.iterator();
    List<String> seen = new ArrayList<>();
    seen.add(it.next());
    // Another thread takes the two oldest items and puts a new one while this one iterates.
    Concurrently.get(
        threads.run(
            () -> {
              queue.take();
              queue.take();
              queue.put("late");
            }));
    it.forEachRemaining(seen::add);
    // Items that stayed in the queue the whole time are seen exactly once; the taken ones and
    // the late one may or may not be.
    List<String> stayed = items.subList(2, items.size());
    for (String item : stayed) {
      assertEquals(1, Collections.frequency(seen, item), item + " in " + seen);
    }
    assertEquals(seen.size(), new HashSet<>(seen).size(), "seen twice: " + seen);
  }

  static List<String> numbered(int count) {
    List<String> items = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      items.add(String.format("item-%03d", i));
    }
    return items;
  }

  /** What is in the queue, taken in serving order. */
  static <T> List<T> takeAll(java.util.Queue<T> queue) {
    List<T> taken = new ArrayList<>();
    T item;
    while ((item = queue.poll()) != null) {
      taken.add(item);
    }
    return taken;
  }

  /** Items of one producer reach one consumer in the order they were put. */
  static void assertPerProducerOrder(List<String> consumed) {
    java.util.Map<String, Integer> last = new java.util.HashMap<>();
    for (String item : consumed) {
      String[] parts = item.split("-");
      int n = Integer.parseInt(parts[1]);
      Integer previous = last.put(parts[0], n);
      assertTrue(previous == null || previous < n, "out of order: " + item + " after " + previous);
    }
  }
}
