package dev.colony.client;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A shared queue with the {@link BlockingQueue} contract. {@code take}/{@code poll} acknowledge an
 * item automatically once it reached this client, so an item in flight to a client that dies is
 * delivered again. {@link #takeDelivery()} leaves acknowledging to the caller.
 *
 * <p>Operations without a coordinator primitive ({@code peek}, {@code element}, {@code contains},
 * {@code iterator}, {@code remove(Object)}, ...) throw {@link UnsupportedOperationException} with a
 * message. {@code drainTo} and {@code clear} take items one at a time.
 */
public interface ColonyQueue<T> extends BlockingQueue<T> {
  String name();

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
