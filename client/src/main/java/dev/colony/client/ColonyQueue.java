package dev.colony.client;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A shared queue with the {@link BlockingQueue} contract. {@code take}/{@code poll} are one call
 * each way: the coordinator removes the item when it answers, and a take sent again after a lost
 * reply (a reconnect, a new leader) is answered from the session's retry cache with the same item,
 * so nothing is lost or taken twice while the session lives. If the session itself ends between the
 * answer and its arrival (the client died or stayed away longer than its lease), that item is gone,
 * as with Hazelcast's {@code IQueue.take} or Redisson's {@code RBlockingQueue.take}. {@link
 * #takeDelivery()} is at-least-once instead: the item stays held by the session until {@link
 * Delivery#ack()}, and goes back to the head of the queue if the session ends first.
 *
 * <p>Every {@link java.util.Collection} method works on the shared queue, as on a {@link
 * java.util.concurrent.LinkedBlockingQueue}: {@link #iterator()} lists the waiting items in the
 * order they will be taken (lowest priority first on a priority queue, newest first on a LIFO
 * queue), reading them from the coordinator a page at a time ({@link
 * ColonyOptions.Builder#setPageSize}); it is weakly consistent (never throws {@code
 * ConcurrentModificationException}, sees every item that stays in the queue exactly once) and its
 * {@code remove()} removes that item from the shared queue. {@code contains}, {@code
 * remove(Object)} and the bulk operations compare with {@code equals} on the decoded items. Items
 * taken and not yet acknowledged are not in the queue. An item removed without being taken ({@code
 * remove}, {@code removeIf}, {@code clear}...) counts as done for {@link #join()}. {@code drainTo},
 * {@code addAll} and {@code clear} are one call each (a few when the items do not fit in one
 * message). {@link #async()} gives the same operations as futures.
 */
public interface ColonyQueue<T> extends BlockingQueue<T> {
  String name();

  /** The asynchronous view of this queue: the same operations as {@link CompletableFuture}s. */
  ColonyQueueAsync<T> async();

  /** On a priority queue: insert with an explicit priority (lower is served first). */
  void put(T item, long priority) throws InterruptedException;

  /** On a priority queue: insert with an explicit priority if there is room now. */
  boolean offer(T item, long priority);

  /** Python's {@code task_done()}: one item fetched earlier is fully processed. */
  void taskDone();

  /** Python's {@code join()}: wait until every item put has been marked done. */
  void join() throws InterruptedException;

  /** {@link #join()} with a timeout; false if unfinished items remained for the whole timeout. */
  boolean join(long timeout, TimeUnit unit) throws InterruptedException;

  /** Waits for an item that stays held by this session until {@link Delivery#ack()}. */
  Delivery<T> takeDelivery() throws InterruptedException;

  /** {@link #takeDelivery()} with a timeout; null when the queue stayed empty. */
  Delivery<T> pollDelivery(long timeout, TimeUnit unit) throws InterruptedException;
}
