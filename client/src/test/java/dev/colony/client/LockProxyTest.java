package dev.colony.client;

import static dev.colony.client.ColonyServerFixture.name;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class LockProxyTest {
  private ColonyClient client;

  @BeforeEach
  void connect() {
    client = ColonyServerFixture.connect();
  }

  @AfterEach
  void close() {
    client.close();
  }

  @Test
  void lockThenUnlock_tracksHolderAndFencingToken() {
    ColonyLock lock = client.lock(name("lock"));

    lock.lock();
    long token = lock.fencingToken();
    assertTrue(lock.isHeldByCurrentThread());
    assertEquals(1, lock.getHoldCount());
    lock.unlock();

    assertFalse(lock.isHeldByCurrentThread());
    assertThrows(IllegalMonitorStateException.class, lock::fencingToken);
    lock.lock();
    assertTrue(lock.fencingToken() > token, "fencing tokens must increase");
    lock.unlock();
  }

  @Test
  void tryLock_heldByAnotherThread_returnsFalseAfterTimeout() throws Exception {
    ColonyLock lock = client.lock(name("busy"));
    lock.lock();
    try {
      CompletableFuture<Boolean> other =
          ColonyServerFixture.supplyAsync(
              () -> {
                try {
                  long start = System.nanoTime();
                  boolean got = lock.tryLock(150, TimeUnit.MILLISECONDS);
                  assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(140));
                  return got || lock.tryLock();
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              });
      assertFalse(other.get(5, TimeUnit.SECONDS));
    } finally {
      lock.unlock();
    }
  }

  @Test
  void unlock_byNonOwner_throwsIllegalMonitorState() throws Exception {
    ColonyLock lock = client.lock(name("owned"));

    assertThrows(IllegalMonitorStateException.class, lock::unlock);
    lock.lock();
    try {
      CompletableFuture<Throwable> other =
          ColonyServerFixture.supplyAsync(
              () -> {
                try {
                  lock.unlock();
                  return null;
                } catch (RuntimeException e) {
                  return e;
                }
              });
      assertTrue(other.get(5, TimeUnit.SECONDS) instanceof IllegalMonitorStateException);
    } finally {
      lock.unlock();
    }
  }

  @Test
  void lockInterruptibly_interrupted_throwsAndDoesNotKeepTheLock() throws Exception {
    ColonyLock lock = client.lock(name("interruptible"));
    lock.lock();
    AtomicReference<Object> outcome = new AtomicReference<>();
    Thread waiter =
        new Thread(
            () -> {
              try {
                lock.lockInterruptibly();
                outcome.set("acquired");
              } catch (InterruptedException e) {
                outcome.set(e);
              }
            });
    waiter.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> waiter.getState() == Thread.State.WAITING);

    waiter.interrupt();
    waiter.join(5_000);
    lock.unlock();

    assertTrue(outcome.get() instanceof InterruptedException, "got " + outcome.get());
    try (ColonyClient other = ColonyServerFixture.connect()) {
      ColonyLock same = other.lock(lock.name());
      assertTrue(same.tryLock(1, TimeUnit.SECONDS), "the interrupted waiter kept the lock");
      same.unlock();
    }
  }

  @Test
  void lock_interrupted_keepsWaitingAndRestoresTheFlag() throws Exception {
    ColonyLock lock = client.lock(name("uninterruptible"));
    lock.lock();
    CountDownLatch done = new CountDownLatch(1);
    AtomicReference<Boolean> flagAfter = new AtomicReference<>();
    Thread waiter =
        new Thread(
            () -> {
              lock.lock();
              flagAfter.set(Thread.currentThread().isInterrupted());
              lock.unlock();
              done.countDown();
            });
    waiter.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> waiter.getState() == Thread.State.WAITING);

    waiter.interrupt();
    assertFalse(done.await(100, TimeUnit.MILLISECONDS), "lock() gave up on interrupt");
    lock.unlock();

    assertTrue(done.await(5, TimeUnit.SECONDS));
    assertTrue(flagAfter.get());
  }

  @Test
  void rlock_isReentrantAndCountsHolds() {
    ColonyLock lock = client.rlock(name("rlock"));

    lock.lock();
    long token = lock.fencingToken();
    assertTrue(lock.tryLock());
    assertEquals(2, lock.getHoldCount());
    assertEquals(token, lock.fencingToken());
    lock.unlock();
    assertTrue(lock.isHeldByCurrentThread());
    lock.unlock();

    assertFalse(lock.isHeldByCurrentThread());
    assertThrows(IllegalMonitorStateException.class, lock::unlock);
  }

  @Test
  void plainLock_isNotReentrant() {
    ColonyLock lock = client.lock(name("plain"));
    lock.lock();
    try {
      assertFalse(lock.tryLock());
    } finally {
      lock.unlock();
    }
  }

  @Test
  void closingAClient_releasesItsLockToAWaitingClient() throws Exception {
    String name = name("handover");
    ColonyClient holder = ColonyServerFixture.connect();
    holder.lock(name).lock();
    ColonyLock waiting = client.lock(name);
    CompletableFuture<Long> acquired =
        ColonyServerFixture.supplyAsync(
            () -> {
              waiting.lock();
              long token = waiting.fencingToken();
              waiting.unlock();
              return token;
            });
    assertFalse(waiting.tryLock());

    holder.close();

    assertTrue(acquired.get(5, TimeUnit.SECONDS) > 0);
  }

  @Test
  void condition_signal_wakesAwaiterHoldingTheLockAgain() throws Exception {
    ColonyLock lock = client.lock(name("cond-lock"));
    Condition ready = lock.newCondition();
    CountDownLatch waiting = new CountDownLatch(1);
    CompletableFuture<Boolean> awaited =
        ColonyServerFixture.supplyAsync(
            () -> {
              lock.lock();
              try {
                waiting.countDown();
                boolean signalled = ready.await(5, TimeUnit.SECONDS);
                return signalled && lock.isHeldByCurrentThread();
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              } finally {
                lock.unlock();
              }
            });
    assertTrue(waiting.await(5, TimeUnit.SECONDS));

    // The awaiter released the lock while waiting, so this thread can take it and signal.
    lock.lock();
    try {
      ready.signal();
    } finally {
      lock.unlock();
    }

    assertTrue(awaited.get(5, TimeUnit.SECONDS));
  }

  @Test
  void condition_awaitTimesOut_returnsFalseHoldingTheLock() throws Exception {
    ColonyLock lock = client.lock(name("cond-timeout"));
    Condition condition = lock.newCondition("cond-timeout-c");
    lock.lock();
    try {
      assertFalse(condition.await(100, TimeUnit.MILLISECONDS));
      assertTrue(lock.isHeldByCurrentThread());
    } finally {
      lock.unlock();
    }
  }

  @Test
  void condition_awaitWithoutTheLock_throwsIllegalMonitorState() {
    Condition condition = client.lock(name("cond-unheld")).newCondition();

    assertThrows(IllegalMonitorStateException.class, condition::signal);
    assertThrows(
        IllegalMonitorStateException.class, () -> condition.await(10, TimeUnit.MILLISECONDS));
  }
}
