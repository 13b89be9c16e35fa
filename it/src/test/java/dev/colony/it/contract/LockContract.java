package dev.colony.it.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a reentrant {@link Lock} and its {@link Condition} do; bound to ReentrantLock and RLock. */
abstract class LockContract {

  protected final Concurrently threads = new Concurrently();

  /** A new reentrant lock, free. */
  protected abstract Lock newLock();

  /** How many holds the current thread has on {@code lock}. */
  protected abstract int holdCount(Lock lock);

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
