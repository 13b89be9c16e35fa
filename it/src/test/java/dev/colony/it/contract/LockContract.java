package dev.colony.it.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Date;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a reentrant {@link Lock} and its {@link Condition} do; bound to ReentrantLock and RLock. */
abstract class LockContract {

  /** The ReentrantLock methods both implementations share. */
  interface Reentrant extends Lock {
    int getHoldCount();

    boolean isHeldByCurrentThread();

    boolean isLocked();

    boolean isFair();

    boolean hasQueuedThreads();

    boolean hasQueuedThread(Thread thread);

    int getQueueLength();

    boolean hasWaiters(Condition condition);

    int getWaitQueueLength(Condition condition);
  }

  protected final Concurrently threads = new Concurrently();

  /**
   * A new reentrant lock, free, <em>fair</em>: the one difference in this suite. A Colony lock is
   * always granted in FIFO order (the coordinator hands it to the oldest waiter as it is released)
   * and has no unfair mode, so the JDK side is {@code new ReentrantLock(true)}.
   */
  protected abstract Reentrant newLock();

  private static int holdCount(Lock lock) {
    return ((Reentrant) lock).getHoldCount();
  }

  @AfterEach
  void stopThreads() throws InterruptedException {
    threads.close();
  }

  @Test
  void lock_isReentrantAndCountsHolds() {
    Lock lock = newLock();
    lock.lock();
    lock.lock();
    assertEquals(2, holdCount(lock));
    lock.unlock();
    assertEquals(1, holdCount(lock));
    lock.unlock();
    assertEquals(0, holdCount(lock));
  }

  @Test
  void tryLock_whileHeldByAnotherThread_returnsFalse() throws Exception {
    Lock lock = newLock();
    lock.lock();
    try {
      boolean acquired = Concurrently.get(threads.submit(() -> lock.tryLock()));
      assertFalse(acquired);
    } finally {
      lock.unlock();
    }
    assertTrue(Concurrently.get(threads.submit(() -> tryLockThenUnlock(lock))));
  }

  @Test
  void tryLockWithTimeout_whileHeld_returnsFalseAfterTimeout() throws Exception {
    Lock lock = newLock();
    lock.lock();
    try {
      Future<Long> waited =
          threads.submit(
              () -> {
                long start = System.nanoTime();
                assertFalse(lock.tryLock(100, TimeUnit.MILLISECONDS));
                return System.nanoTime() - start;
              });
      assertTrue(Concurrently.get(waited) >= TimeUnit.MILLISECONDS.toNanos(90));
    } finally {
      lock.unlock();
    }
  }

  @Test
  void lock_whileHeld_blocksUntilUnlock() throws Exception {
    Lock lock = newLock();
    lock.lock();
    Future<?> second = threads.run(() -> lockThenUnlock(lock));
    assertThrows(TimeoutException.class, () -> second.get(100, TimeUnit.MILLISECONDS));
    lock.unlock();
    Concurrently.get(second);
  }

  @Test
  void unlock_byNonOwner_throwsIllegalMonitorState() throws Exception {
    Lock lock = newLock();
    lock.lock();
    try {
      Future<?> stranger = threads.run(lock::unlock);
      Exception e = assertThrows(Exception.class, () -> Concurrently.get(stranger));
      assertTrue(e.getCause() instanceof IllegalMonitorStateException, e.toString());
    } finally {
      lock.unlock();
    }
  }

  @Test
  void unlock_whenNotHeld_throwsIllegalMonitorState() {
    Lock lock = newLock();
    assertThrows(IllegalMonitorStateException.class, lock::unlock);
  }

  @Test
  void lockInterruptibly_whenInterruptedWhileWaiting_throwsAndDoesNotHoldTheLock()
      throws Exception {
    Lock lock = newLock();
    lock.lock();
    AtomicBoolean heldAfterInterrupt = new AtomicBoolean(true);
    CountDownLatch started = new CountDownLatch(1);
    Thread waiter =
        new Thread(
            () -> {
              started.countDown();
              try {
                lock.lockInterruptibly();
                lock.unlock();
              } catch (InterruptedException expected) {
                heldAfterInterrupt.set(holdCount(lock) > 0);
              }
            });
    waiter.start();
    started.await();
    Concurrently.awaitParked(waiter);
    waiter.interrupt();
    waiter.join(Concurrently.WAIT.toMillis());
    assertFalse(waiter.isAlive());
    assertFalse(heldAfterInterrupt.get());
    lock.unlock();
    // Nobody holds the lock now: the interrupted waiter was not granted it behind our back.
    assertTrue(Concurrently.get(threads.submit(() -> tryLockThenUnlock(lock))));
  }

  @Test
  void lockInterruptibly_whenAlreadyInterrupted_throws() throws Exception {
    Lock lock = newLock();
    Future<Boolean> thrown =
        threads.submit(
            () -> {
              Thread.currentThread().interrupt();
              try {
                lock.lockInterruptibly();
                lock.unlock();
                return false;
              } catch (InterruptedException expected) {
                return true;
              }
            });
    assertTrue(Concurrently.get(thrown));
    assertTrue(lock.tryLock());
    lock.unlock();
  }

  @Test
  void condition_awaitReleasesTheLockAndSignalWakesTheWaiter() throws Exception {
    Lock lock = newLock();
    Condition condition = lock.newCondition();
    AtomicBoolean ready = new AtomicBoolean();
    CountDownLatch holding = new CountDownLatch(1);
    Future<Integer> waiter =
        threads.submit(
            () -> {
              lock.lock();
              try {
                holding.countDown();
                while (!ready.get()) {
                  condition.await();
                }
                return holdCount(lock);
              } finally {
                lock.unlock();
              }
            });
    holding.await();
    // Succeeds only once the waiter's await() has released the lock.
    assertTrue(lock.tryLock(10, TimeUnit.SECONDS));
    try {
      ready.set(true);
      condition.signal();
    } finally {
      lock.unlock();
    }
    assertEquals(1, Concurrently.get(waiter));
  }

  @Test
  void condition_signalAll_wakesEveryWaiter() throws Exception {
    Lock lock = newLock();
    Condition condition = lock.newCondition();
    AtomicBoolean ready = new AtomicBoolean();
    CountDownLatch holding = new CountDownLatch(2);
    Concurrently.ThrowingRunnable awaitReady =
        () -> {
          lock.lock();
          try {
            holding.countDown();
            while (!ready.get()) {
              condition.await();
            }
          } finally {
            lock.unlock();
          }
        };
    Future<?> first = threads.run(awaitReady);
    Future<?> second = threads.run(awaitReady);
    holding.await();
    lock.lock();
    try {
      ready.set(true);
      condition.signalAll();
    } finally {
      lock.unlock();
    }
    Concurrently.get(first);
    Concurrently.get(second);
  }

  @Test
  void condition_awaitNanos_timesOutAndHoldsTheLockAgain() throws InterruptedException {
    Lock lock = newLock();
    Condition condition = lock.newCondition();
    lock.lock();
    try {
      long left = condition.awaitNanos(TimeUnit.MILLISECONDS.toNanos(100));
      assertTrue(left <= 0, "nanos left: " + left);
      assertEquals(1, holdCount(lock));
    } finally {
      lock.unlock();
    }
  }

  @Test
  void condition_awaitWithTimeout_returnsFalseWithoutSignal() throws InterruptedException {
    Lock lock = newLock();
    Condition condition = lock.newCondition();
    lock.lock();
    try {
      assertFalse(condition.await(100, TimeUnit.MILLISECONDS));
    } finally {
      lock.unlock();
    }
  }

  @Test
  void condition_awaitWithoutHoldingTheLock_throwsIllegalMonitorState() {
    Lock lock = newLock();
    Condition condition = lock.newCondition();
    assertThrows(IllegalMonitorStateException.class, condition::await);
  }

  @Test
  void condition_signalWithoutHoldingTheLock_throwsIllegalMonitorState() {
    Lock lock = newLock();
    Condition condition = lock.newCondition();
    assertThrows(IllegalMonitorStateException.class, condition::signal);
  }

  @Test
  void isLockedAndIsHeldByCurrentThread_followTheHolder() throws Exception {
    Reentrant lock = newLock();
    assertTrue(lock.isFair());
    assertFalse(lock.isLocked());
    assertFalse(lock.isHeldByCurrentThread());
    lock.lock();
    try {
      assertTrue(lock.isLocked());
      assertTrue(lock.isHeldByCurrentThread());
      assertTrue(Concurrently.get(threads.submit(lock::isLocked)));
      assertFalse(Concurrently.get(threads.submit(lock::isHeldByCurrentThread)));
    } finally {
      lock.unlock();
    }
    assertFalse(lock.isLocked());
  }

  @Test
  void queueQueries_seeAThreadWaitingForTheLock() throws Exception {
    Reentrant lock = newLock();
    assertFalse(lock.hasQueuedThreads());
    assertEquals(0, lock.getQueueLength());
    lock.lock();
    Thread waiter = new Thread(() -> lockThenUnlock(lock));
    try {
      waiter.start();
      Awaitility.await("the thread queued for the lock")
          .atMost(Concurrently.WAIT)
          .until(() -> lock.hasQueuedThread(waiter));
      assertTrue(lock.hasQueuedThreads());
      assertEquals(1, lock.getQueueLength());
      assertFalse(lock.hasQueuedThread(Thread.currentThread()));
    } finally {
      lock.unlock();
    }
    waiter.join(Concurrently.WAIT.toMillis());
    assertFalse(waiter.isAlive());
    assertFalse(lock.hasQueuedThread(waiter));
    assertFalse(lock.hasQueuedThreads());
    assertThrows(NullPointerException.class, () -> lock.hasQueuedThread(null));
  }

  @Test
  void conditionQueries_countAwaitsUntilTheyAreSignalled() throws Exception {
    Reentrant lock = newLock();
    Condition condition = lock.newCondition();
    AtomicBoolean ready = new AtomicBoolean();
    Future<?> waiter =
        threads.run(
            () -> {
              lock.lock();
              try {
                while (!ready.get()) {
                  condition.await();
                }
              } finally {
                lock.unlock();
              }
            });
    awaitWaiters(lock, condition, 1);
    lock.lock();
    try {
      assertTrue(lock.hasWaiters(condition));
      assertEquals(1, lock.getWaitQueueLength(condition));
      ready.set(true);
      condition.signal();
      // Signalled, it waits for the lock now, no longer for the condition.
      assertFalse(lock.hasWaiters(condition));
      assertEquals(0, lock.getWaitQueueLength(condition));
      assertTrue(lock.hasQueuedThreads());
    } finally {
      lock.unlock();
    }
    Concurrently.get(waiter);
  }

  @Test
  void conditionQueries_needTheLockHeldAndOneOfItsConditions() {
    Reentrant lock = newLock();
    Condition condition = lock.newCondition();
    Condition foreign = newLock().newCondition();
    assertThrows(IllegalMonitorStateException.class, () -> lock.hasWaiters(condition));
    assertThrows(IllegalMonitorStateException.class, () -> lock.getWaitQueueLength(condition));
    assertThrows(IllegalArgumentException.class, () -> lock.hasWaiters(foreign));
    lock.lock();
    try {
      assertThrows(IllegalArgumentException.class, () -> lock.getWaitQueueLength(foreign));
      assertThrows(NullPointerException.class, () -> lock.hasWaiters(null));
      assertFalse(lock.hasWaiters(condition));
    } finally {
      lock.unlock();
    }
  }

  @Test
  void condition_awaitInterruptedWhileWaiting_throwsHoldingTheLockAgain() throws Exception {
    Reentrant lock = newLock();
    Condition condition = lock.newCondition();
    AtomicInteger holdsAfterInterrupt = new AtomicInteger(-1);
    Thread waiter =
        new Thread(
            () -> {
              lock.lock();
              try {
                condition.await();
              } catch (InterruptedException expected) {
                holdsAfterInterrupt.set(lock.getHoldCount());
              } finally {
                lock.unlock();
              }
            });
    waiter.start();
    awaitWaiters(lock, condition, 1);
    waiter.interrupt();
    waiter.join(Concurrently.WAIT.toMillis());
    assertFalse(waiter.isAlive());
    assertEquals(1, holdsAfterInterrupt.get());
    assertFalse(lock.isLocked());
  }

  @Test
  void condition_awaitUninterruptibly_waitsThroughAnInterruptAndKeepsIt() throws Exception {
    Reentrant lock = newLock();
    Condition condition = lock.newCondition();
    AtomicBoolean ready = new AtomicBoolean();
    AtomicBoolean interruptedAfter = new AtomicBoolean();
    Thread waiter =
        new Thread(
            () -> {
              lock.lock();
              try {
                while (!ready.get()) {
                  condition.awaitUninterruptibly();
                }
                interruptedAfter.set(Thread.currentThread().isInterrupted());
              } finally {
                lock.unlock();
              }
            });
    waiter.start();
    awaitWaiters(lock, condition, 1);
    waiter.interrupt();
    lock.lock();
    try {
      ready.set(true);
      condition.signalAll();
    } finally {
      lock.unlock();
    }
    waiter.join(Concurrently.WAIT.toMillis());
    assertFalse(waiter.isAlive());
    assertTrue(interruptedAfter.get());
  }

  @Test
  void condition_awaitNanos_whenSignalled_returnsTheTimeLeft() throws Exception {
    Reentrant lock = newLock();
    Condition condition = lock.newCondition();
    Future<Long> waiter =
        threads.submit(
            () -> {
              lock.lock();
              try {
                return condition.awaitNanos(Concurrently.WAIT.toNanos());
              } finally {
                lock.unlock();
              }
            });
    awaitWaiters(lock, condition, 1);
    lock.lock();
    try {
      condition.signal();
    } finally {
      lock.unlock();
    }
    assertTrue(Concurrently.get(waiter) > 0);
  }

  @Test
  void condition_awaitUntilAPassedDeadline_returnsFalseHoldingTheLock()
      throws InterruptedException {
    Reentrant lock = newLock();
    Condition condition = lock.newCondition();
    lock.lock();
    try {
      assertFalse(condition.awaitUntil(new Date(System.currentTimeMillis() - 1_000)));
      assertEquals(1, lock.getHoldCount());
    } finally {
      lock.unlock();
    }
  }

  @Test
  void condition_everyMethodWithoutHoldingTheLock_throwsIllegalMonitorState() {
    Lock lock = newLock();
    Condition condition = lock.newCondition();
    assertThrows(IllegalMonitorStateException.class, condition::signalAll);
    assertThrows(IllegalMonitorStateException.class, condition::awaitUninterruptibly);
    assertThrows(IllegalMonitorStateException.class, () -> condition.awaitNanos(1_000));
    assertThrows(
        IllegalMonitorStateException.class, () -> condition.await(1, TimeUnit.MILLISECONDS));
    assertThrows(
        IllegalMonitorStateException.class,
        () -> condition.awaitUntil(new Date(System.currentTimeMillis() + 1_000)));
  }

  /** Waits until {@code count} threads await {@code condition}, asking as its lock's holder. */
  private static void awaitWaiters(Reentrant lock, Condition condition, int count) {
    Awaitility.await(count + " thread(s) awaiting the condition")
        .atMost(Concurrently.WAIT)
        .until(
            () -> {
              lock.lock();
              try {
                return lock.getWaitQueueLength(condition) == count;
              } finally {
                lock.unlock();
              }
            });
  }

  private static boolean tryLockThenUnlock(Lock lock) {
    if (!lock.tryLock()) {
      return false;
    }
    lock.unlock();
    return true;
  }

  private static void lockThenUnlock(Lock lock) {
    lock.lock();
    lock.unlock();
  }
}
