package dev.colony.client;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The asynchronous view of a {@link ColonyQueue} ({@link ColonyQueue#async()}): the same
 * operations, each returning at once with a {@link CompletableFuture}. Calls from one client share
 * its session stream and many may be in flight; the coordinator applies one caller's calls in the
 * order they were made, and their futures complete in that order on the client's callback thread
 * (never the transport's, so a dependent stage may block, though it then delays the others).
 *
 * <p>A failure completes the future exceptionally with the {@link ColonyException} (code and
 * reason) that the synchronous method would have mapped to a JDK exception. Cancelling a pending
 * {@link #take()} or {@link #poll(long, TimeUnit)} withdraws it at the coordinator, and an item
 * that was handed to it in the meantime goes back to the head of the queue: a cancelled take takes
 * nothing.
 */
public interface ColonyQueueAsync<T> {
  /** Inserts, waiting for room on a bounded queue. */
  CompletableFuture<Void> put(T item);

  /** Inserts if there is room now: false if the queue is full. */
  CompletableFuture<Boolean> offer(T item);

  /** Inserts, waiting up to the timeout for room: false if the queue stayed full. */
  CompletableFuture<Boolean> offer(T item, long timeout, TimeUnit unit);

  /** The head of the queue, waiting until there is one (a plain take: no ack needed). */
  CompletableFuture<T> take();

  /** The head of the queue if there is one now, else null. */
  CompletableFuture<T> poll();

  /** The head of the queue, waiting up to the timeout; null if the queue stayed empty. */
  CompletableFuture<T> poll(long timeout, TimeUnit unit);

  /**
   * Inserts the items in order in one call (more than fit in one message go in a few): they go in
   * while there is room, never waiting. Completes with how many went in.
   */
  CompletableFuture<Integer> addAll(Collection<? extends T> items);

  /**
   * Takes up to {@code maxElements} of the items waiting now, in one call or a few; never waits.
   */
  CompletableFuture<List<T>> drain(int maxElements);
}
