package dev.colony.it.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a {@link java.util.concurrent.CountDownLatch} does; bound to the JDK and Colony. */
abstract class CountDownLatchContract {

  /** The CountDownLatch methods both implementations share. */
  interface Latch {
    void countDown();

    void await() throws InterruptedException;

    boolean await(long timeout, TimeUnit unit) throws InterruptedException;

    long getCount();
  }

  protected final Concurrently threads = new Concurrently();

  protected abstract Latch newLatch(long count);

  @AfterEach
  void stopThreads() throws InterruptedException {
    threads.close();
  }

  @Test
  void countDown_decrementsToZeroAndStops() {
    Latch latch = newLatch(2);
    assertEquals(2, latch.getCount());
    latch.countDown();
    assertEquals(1, latch.getCount());
    latch.countDown();
    latch.countDown();
    assertEquals(0, latch.getCount());
  }

  @Test
  void await_blocksUntilCountReachesZero() throws Exception {
    Latch latch = newLatch(2);
    Future<?> waiter = threads.run(latch::await);
    latch.countDown();
    assertThrows(TimeoutException.class, () -> waiter.get(100, TimeUnit.MILLISECONDS));
    latch.countDown();
    Concurrently.get(waiter);
  }

  @Test
  void awaitWithTimeout_returnsFalseWhileCountIsPositive() throws InterruptedException {
    Latch latch = newLatch(1);
    assertFalse(latch.await(100, TimeUnit.MILLISECONDS));
    latch.countDown();
    assertTrue(latch.await(100, TimeUnit.MILLISECONDS));
  }

  @Test
  void negativeCount_isIllegal() {
    assertThrows(IllegalArgumentException.class, () -> newLatch(-1));
  }

  @Test
  void await_whenInterrupted_throwsInterruptedException() throws Exception {
    Latch latch = newLatch(1);
    Future<Boolean> thrown =
        threads.submit(
            () -> {
              Thread.currentThread().interrupt();
              try {
                latch.await();
                return false;
              } catch (InterruptedException expected) {
                return true;
              }
            });
    assertTrue(Concurrently.get(thrown));
    assertEquals(1, latch.getCount());
  }

  @Test
  void await_interruptedWhileWaiting_throwsAndLeavesTheCount() throws Exception {
    Latch latch = newLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    Thread waiter =
        new Thread(
            () -> {
              try {
                latch.await(Concurrently.WAIT.toMillis(), TimeUnit.MILLISECONDS);
              } catch (InterruptedException expected) {
                interrupted.set(true);
              }
            });
    waiter.start();
    Concurrently.awaitParked(waiter);
    waiter.interrupt();
    waiter.join(Concurrently.WAIT.toMillis());
    assertTrue(interrupted.get());
    assertEquals(1, latch.getCount());
  }

  @Test
  void countDown_releasesEveryWaiter() throws Exception {
    Latch latch = newLatch(1);
    Future<Boolean> first = threads.submit(() -> latch.await(10, TimeUnit.SECONDS));
    Future<?> second = threads.run(latch::await);
    latch.countDown();
    assertTrue(Concurrently.get(first));
    Concurrently.get(second);
  }

  @Test
  void await_atZero_returnsAtOnce() throws InterruptedException {
    Latch latch = newLatch(0);
    latch.await();
    assertTrue(latch.await(0, TimeUnit.MILLISECONDS));
  }
}
