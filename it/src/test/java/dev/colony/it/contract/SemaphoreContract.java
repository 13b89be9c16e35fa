package dev.colony.it.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a counting {@link java.util.concurrent.Semaphore} does; bound to the JDK and Colony. */
abstract class SemaphoreContract {

  /** The Semaphore methods both implementations share. */
  interface Permits {
    void acquire() throws InterruptedException;

    void acquire(int permits) throws InterruptedException;

    boolean tryAcquire();

    boolean tryAcquire(int permits);

    boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException;

    boolean tryAcquire(int permits, long timeout, TimeUnit unit) throws InterruptedException;

    void release();

    void release(int permits);

    int availablePermits();

    int drainPermits();

    /** Protected in the JDK's Semaphore: its binding opens it up, as a subclass may. */
    void reducePermits(int reduction);

    boolean hasQueuedThreads();

    int getQueueLength();

    boolean isFair();
  }

  protected final Concurrently threads = new Concurrently();

  /** A new semaphore with {@code permits} permits (possibly negative) and the given policy. */
  protected abstract Permits newSemaphore(int permits, boolean fair);

  /** A new fair semaphore. */
  private Permits newSemaphore(int permits) {
    return newSemaphore(permits, true);
  }

  @AfterEach
  void stopThreads() throws InterruptedException {
    threads.close();
  }

  @Test
  void acquireAndRelease_trackAvailablePermits() throws InterruptedException {
    Permits semaphore = newSemaphore(3);
    assertEquals(3, semaphore.availablePermits());
    semaphore.acquire();
    semaphore.acquire(2);
    assertEquals(0, semaphore.availablePermits());
    semaphore.release(3);
    assertEquals(3, semaphore.availablePermits());
  }

  @Test
  void tryAcquire_withoutPermits_returnsFalse() {
    Permits semaphore = newSemaphore(1);
    assertTrue(semaphore.tryAcquire());
    assertFalse(semaphore.tryAcquire());
    assertFalse(semaphore.tryAcquire(2));
    semaphore.release();
    assertTrue(semaphore.tryAcquire(1));
  }

  @Test
  void tryAcquireWithTimeout_withoutPermits_returnsFalseAfterTimeout() throws InterruptedException {
    Permits semaphore = newSemaphore(1);
    long start = System.nanoTime();
    assertFalse(semaphore.tryAcquire(2, 100, TimeUnit.MILLISECONDS));
    assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(90));
    assertEquals(1, semaphore.availablePermits());
    assertTrue(semaphore.tryAcquire(100, TimeUnit.MILLISECONDS));
  }

  @Test
  void acquire_withoutEnoughPermits_blocksUntilRelease() throws Exception {
    Permits semaphore = newSemaphore(2);
    semaphore.acquire(2);
    Future<?> blocked = threads.run(() -> semaphore.acquire(2));
    assertThrows(TimeoutException.class, () -> blocked.get(100, TimeUnit.MILLISECONDS));
    semaphore.release();
    assertThrows(TimeoutException.class, () -> blocked.get(100, TimeUnit.MILLISECONDS));
    semaphore.release();
    Concurrently.get(blocked);
    assertEquals(0, semaphore.availablePermits());
  }

  @Test
  void release_beyondInitialPermits_addsPermits() {
    Permits semaphore = newSemaphore(1);
    semaphore.release(2);
    assertEquals(3, semaphore.availablePermits());
  }

  @Test
  void acquire_whenInterrupted_throwsInterruptedException() throws Exception {
    Permits semaphore = newSemaphore(0);
    Future<Boolean> thrown =
        threads.submit(
            () -> {
              Thread.currentThread().interrupt();
              try {
                semaphore.acquire();
                return false;
              } catch (InterruptedException expected) {
                return true;
              }
            });
    assertTrue(Concurrently.get(thrown));
    assertEquals(0, semaphore.availablePermits());
  }

  @Test
  void acquire_interruptedWhileWaiting_throwsAndTakesNoPermit() throws Exception {
    Permits semaphore = newSemaphore(0);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread waiter =
        new Thread(
            () -> {
              try {
                semaphore.acquire();
              } catch (Throwable t) {
                thrown.set(t);
              }
            });
    waiter.start();
    Concurrently.awaitParked(waiter);
    waiter.interrupt();
    waiter.join(Concurrently.WAIT.toMillis());
    assertTrue(thrown.get() instanceof InterruptedException, String.valueOf(thrown.get()));
    semaphore.release();
    // The withdrawn acquire must not have consumed the permit released afterwards.
    assertTrue(semaphore.tryAcquire(10, TimeUnit.SECONDS));
  }

  @Test
  void untimedTryAcquire_bargesAheadOfAWaiter_evenWhenFair() throws Exception {
    Permits semaphore = newSemaphore(2);
    assertTrue(semaphore.isFair());
    Future<?> waiting = threads.run(() -> semaphore.acquire(3));
    awaitQueued(semaphore);
    assertEquals(1, semaphore.getQueueLength());
    // A timed tryAcquire, even with no wait, honours the fair ordering...
    assertFalse(semaphore.tryAcquire(1, 0, TimeUnit.SECONDS));
    // ...while the untimed one takes a free permit whoever waits (the Semaphore Javadoc).
    assertTrue(semaphore.tryAcquire());
    assertEquals(1, semaphore.availablePermits());
    semaphore.release(3);
    Concurrently.get(waiting);
    assertEquals(1, semaphore.availablePermits());
    assertFalse(semaphore.hasQueuedThreads());
  }

  @Test
  void unfair_timedTryAcquire_bargesAheadOfAWaiter() throws Exception {
    Permits semaphore = newSemaphore(2, false);
    assertFalse(semaphore.isFair());
    Future<?> waiting = threads.run(() -> semaphore.acquire(3));
    awaitQueued(semaphore);
    assertTrue(semaphore.tryAcquire(1, 0, TimeUnit.SECONDS));
    semaphore.release(2);
    Concurrently.get(waiting);
    assertEquals(0, semaphore.availablePermits());
  }

  @Test
  void negativeInitialPermits_needReleasesBeforeAnyAcquire() {
    Permits semaphore = newSemaphore(-2);
    assertEquals(-2, semaphore.availablePermits());
    assertFalse(semaphore.tryAcquire());
    semaphore.release(3);
    assertEquals(1, semaphore.availablePermits());
    assertTrue(semaphore.tryAcquire());
  }

  @Test
  void drainPermits_takesWhatIsAvailable_orBringsANegativeCountToZero() throws Exception {
    Permits semaphore = newSemaphore(5);
    semaphore.acquire(2);
    assertEquals(3, semaphore.drainPermits());
    assertEquals(0, semaphore.availablePermits());
    assertEquals(0, semaphore.drainPermits());
    semaphore.reducePermits(4);
    assertEquals(-4, semaphore.availablePermits());
    assertEquals(-4, semaphore.drainPermits());
    assertEquals(0, semaphore.availablePermits());
  }

  @Test
  void reducePermits_lowersAvailablePermitsWithoutWaiting() {
    Permits semaphore = newSemaphore(1);
    semaphore.reducePermits(0);
    assertEquals(1, semaphore.availablePermits());
    semaphore.reducePermits(3);
    assertEquals(-2, semaphore.availablePermits());
    assertThrows(IllegalArgumentException.class, () -> semaphore.reducePermits(-1));
  }

  @Test
  void negativePermitArguments_areIllegal() {
    Permits semaphore = newSemaphore(1);
    assertThrows(IllegalArgumentException.class, () -> semaphore.acquire(-1));
    assertThrows(IllegalArgumentException.class, () -> semaphore.tryAcquire(-1));
    assertThrows(IllegalArgumentException.class, () -> semaphore.release(-1));
    assertEquals(1, semaphore.availablePermits());
  }

  @Test
  void manyThreads_neverHoldMorePermitsThanExist() throws Exception {
    int permits = 2;
    Permits semaphore = newSemaphore(permits);
    AtomicInteger holders = new AtomicInteger();
    AtomicInteger mostHolders = new AtomicInteger();
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < 5; t++) {
      workers.add(
          threads.run(
              () -> {
                for (int i = 0; i < 20; i++) {
                  semaphore.acquire();
                  try {
                    mostHolders.accumulateAndGet(holders.incrementAndGet(), Math::max);
                    Thread.yield();
                  } finally {
                    holders.decrementAndGet();
                    semaphore.release();
                  }
                }
              }));
    }
    for (Future<?> worker : workers) {
      Concurrently.get(worker);
    }
    assertTrue(mostHolders.get() <= permits, "holders at once: " + mostHolders.get());
    assertEquals(permits, semaphore.availablePermits());
  }

  private static void awaitQueued(Permits semaphore) {
    Awaitility.await("a caller queued on the semaphore")
        .atMost(Concurrently.WAIT)
        .until(semaphore::hasQueuedThreads);
  }
}
