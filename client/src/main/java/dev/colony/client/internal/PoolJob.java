package dev.colony.client.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.colony.client.ColonyException;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.Payload;
import dev.colony.proto.v1.TaskOutcome;
import dev.colony.proto.v1.TaskState;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One pool call (apply, map, imap…): its items, fed to the coordinator by the pool's feeder, and
 * their results by index as they finish. Results are kept in order for ordered consumers and in
 * finishing order for {@code imapUnordered}.
 */
final class PoolJob<R> {
  enum Order {
    ORDERED,
    UNORDERED
  }

  private static final Object NULL = new Object();

  private record Failed(RuntimeException error) {}

  final String taskName;

  /** The shipped code's hash, or ""; set before the job starts. */
  volatile String codeSha256 = "";

  final Class<?> resultType;
  final Iterator<?> source;
  final int chunksize;
  private final Order order;
  private final CompletableFuture<R> future;
  private final Executor callbacks;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  // Guarded by lock. ORDERED: results by index (null = not there yet); UNORDERED: as they come.
  private Object[] slots = new Object[16];
  private final ArrayDeque<Object> arrived = new ArrayDeque<>();
  private int total = -1;
  private int finished;
  private int consumed;
  private RuntimeException tailFailure;
  private boolean tailThrown;
  private boolean cancelled;

  /**
   * @param future completed with item 0's result on {@code callbacks} (applyAsync), or null
   */
  PoolJob(
      String taskName,
      Class<?> resultType,
      Iterator<?> source,
      int chunksize,
      Order order,
      CompletableFuture<R> future,
      Executor callbacks) {
    this.taskName = taskName;
    this.resultType = resultType;
    this.source = source;
    this.chunksize = chunksize;
    this.order = order;
    this.future = future;
    this.callbacks = callbacks;
  }

  // ---- producers: the feeder and the collector --------------------------------------------

  /** The source ended after {@code items} items, all submitted. */
  void sourceEnded(int items) {
    update(() -> total = items);
  }

  /** Items from {@code items} on could not be submitted; the ones before still come. */
  void submitFailed(int items, RuntimeException failure) {
    update(
        () -> {
          total = items;
          tailFailure = failure;
        });
  }

  /** The pool was terminated: every wait ends with a CancellationException. */
  void cancel() {
    update(() -> cancelled = true);
  }

  /** The outcome of the task that carried items {@code first .. first + count - 1}. */
  void outcome(int first, int count, TaskOutcome outcome) {
    if (outcome.getState() != TaskState.TASK_STATE_SUCCEEDED) {
      failed(first, count, RemoteFailures.of(outcome));
      return;
    }
    List<Payload> results;
    try {
      results = TaskPayloads.results(outcome);
    } catch (InvalidProtocolBufferException e) {
      results = null;
    }
    if (results == null || results.size() != count) {
      String what =
          results == null ? "packed results that do not parse" : results.size() + " results";
      failed(
          first,
          count,
          new ColonyException(
              ColonyException.Code.INTERNAL,
              ErrorReason.ERROR_REASON_UNSPECIFIED,
              "task " + outcome.getTaskId() + " returned " + what + " for " + count + " items"));
      return;
    }
    Object[] values = new Object[count];
    for (int i = 0; i < count; i++) {
      Payload payload = results.get(i);
      try {
        Object value = TaskPayloads.decode(payload, resultType);
        values[i] = value == null ? NULL : value;
      } catch (RuntimeException e) {
        values[i] = new Failed(e);
      }
    }
    record(first, values);
  }

  void failed(int first, int count, RuntimeException error) {
    Object[] values = new Object[count];
    Arrays.fill(values, new Failed(error));
    record(first, values);
  }

  private void record(int first, Object[] values) {
    if (future != null && first == 0) {
      // Queued before the job counts as done, so Pool.join() sees the future completed.
      Object value = values[0];
      callbacks.execute(
          () -> {
            if (value instanceof Failed failed) {
              future.completeExceptionally(failed.error());
            } else {
              future.complete(unwrap(value));
            }
          });
    }
    update(
        () -> {
          if (order == Order.ORDERED) {
            if (first + values.length > slots.length) {
              slots = Arrays.copyOf(slots, Math.max(slots.length * 2, first + values.length));
            }
            System.arraycopy(values, 0, slots, first, values.length);
          } else {
            Collections.addAll(arrived, values);
          }
          finished += values.length;
        });
  }

  private void update(Runnable change) {
    boolean nowDone;
    RuntimeException futureFailure = null;
    lock.lock();
    try {
      change.run();
      changed.signalAll();
      nowDone = isDone();
      if (nowDone && cancelled) {
        futureFailure = terminated();
      } else if (nowDone && total == 0 && tailFailure != null) {
        futureFailure = tailFailure; // the single item never went out
      }
    } finally {
      lock.unlock();
    }
    if (future != null && futureFailure != null) {
      RuntimeException failure = futureFailure;
      callbacks.execute(() -> future.completeExceptionally(failure));
    }
    if (nowDone) {
      done.complete(null);
    }
  }

  // Guarded by lock.
  private boolean isDone() {
    return cancelled || (total >= 0 && finished >= total);
  }

  /** Completes when every item has finished or the job was cancelled. */
  CompletableFuture<Void> done() {
    return done;
  }

  // ---- consumers --------------------------------------------------------------------------

  /**
   * Waits for every item, then returns the results in order, or throws the first failed item's
   * exception (the submission failure after those).
   */
  List<R> awaitAll() throws InterruptedException {
    lock.lock();
    try {
      while (!isDone()) {
        changed.await();
      }
      if (cancelled) {
        throw terminated();
      }
      List<R> results = new ArrayList<>(total);
      for (int i = 0; i < total; i++) {
        Object value = slots[i];
        if (value instanceof Failed failed) {
          throw failed.error();
        }
        results.add(unwrap(value));
      }
      if (tailFailure != null) {
        throw tailFailure;
      }
      return results;
    } finally {
      lock.unlock();
    }
  }

  /** The results as they become available, in this job's order. */
  Iterator<R> iterator() {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        lock.lock();
        try {
          awaitNextLocked();
          return nextReadyLocked() || (tailFailure != null && !tailThrown);
        } finally {
          lock.unlock();
        }
      }

      @Override
      public R next() {
        lock.lock();
        try {
          awaitNextLocked();
          if (nextReadyLocked()) {
            Object value;
            if (order == Order.ORDERED) {
              value = slots[consumed];
              slots[consumed] = null; // read once; let it go
            } else {
              value = arrived.pollFirst();
            }
            consumed++;
            if (value instanceof Failed failed) {
              throw failed.error();
            }
            return unwrap(value);
          }
          if (tailFailure != null && !tailThrown) {
            tailThrown = true;
            throw tailFailure;
          }
          throw new NoSuchElementException("every result of this " + taskName + " map was read");
        } finally {
          lock.unlock();
        }
      }
    };
  }

  private void awaitNextLocked() {
    while (!cancelled && !nextReadyLocked() && !(total >= 0 && consumed >= total)) {
      try {
        changed.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        CancellationException stop =
            new CancellationException("interrupted while waiting for a result of " + taskName);
        stop.initCause(e);
        throw stop;
      }
    }
    if (cancelled) {
      throw terminated();
    }
  }

  private boolean nextReadyLocked() {
    if (order == Order.ORDERED) {
      return consumed < slots.length && slots[consumed] != null;
    }
    return !arrived.isEmpty();
  }

  private CancellationException terminated() {
    return new CancellationException("the pool was terminated before " + taskName + " finished");
  }

  @SuppressWarnings("unchecked")
  private static <R> R unwrap(Object value) {
    return value == NULL ? null : (R) value;
  }
}
