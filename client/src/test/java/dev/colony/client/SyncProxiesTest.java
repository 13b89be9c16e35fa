package dev.colony.client;

import static dev.colony.client.ColonyServerFixture.name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SyncProxiesTest {
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
  void semaphore_countsPermitsAndTimesOut() throws Exception {
    ColonySemaphore permits = client.semaphore(name("sem"), 2);

    assertTrue(permits.tryAcquire());
    long token = permits.fencingToken();
    permits.acquire();
    assertTrue(permits.fencingToken() > token);
    assertEquals(0, permits.availablePermits());
    assertFalse(permits.tryAcquire(100, TimeUnit.MILLISECONDS));
    permits.release(2);

    assertEquals(2, permits.availablePermits());
    assertTrue(permits.tryAcquire(2, 1, TimeUnit.SECONDS));
    permits.release(2);
  }

  @Test
  void semaphore_waiterIsServedByARelease() throws Exception {
    ColonySemaphore permits = client.semaphore(name("sem-wait"), 0);
    CompletableFuture<Void> acquired =
        ColonyServerFixture.runAsync(permits::acquireUninterruptibly);

    permits.release();

    acquired.get(5, TimeUnit.SECONDS);
    assertEquals(0, permits.availablePermits());
  }

  @Test
  void boundedSemaphore_refusesReleaseAboveItsPermits() {
    ColonySemaphore permits = client.boundedSemaphore(name("bounded"), 1);

    ColonyException e = assertThrows(ColonyException.class, permits::release);
    assertEquals(dev.colony.proto.v1.ErrorReason.SEMAPHORE_OVERFLOW, e.reason());
  }

  @Test
  void semaphore_withOtherPermitsThanCreated_isOptionsConflict() {
    String name = name("sem-conflict");
    client.semaphore(name, 1);

    ColonyException e = assertThrows(ColonyException.class, () -> client.semaphore(name, 5));
    assertEquals(dev.colony.proto.v1.ErrorReason.OPTIONS_CONFLICT, e.reason());
  }

  @Test
  void event_setWakesWaitersAndClearResets() throws Exception {
    ColonyEvent event = client.event(name("event"));
    assertFalse(event.isSet());
    assertFalse(event.await(50, TimeUnit.MILLISECONDS));
    CompletableFuture<Void> waiter =
        ColonyServerFixture.runAsync(
            () -> {
              try {
                event.await();
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });

    event.set();

    waiter.get(5, TimeUnit.SECONDS);
    assertTrue(event.isSet());
    assertTrue(event.await(0, TimeUnit.MILLISECONDS));
    event.clear();
    assertFalse(event.isSet());
  }

  @Test
  void barrier_releasesAllPartiesWithDistinctArrivalIndexes() throws Exception {
    ColonyBarrier barrier = client.barrier(name("barrier"), 3);
    List<CompletableFuture<Integer>> parties =
        List.of(arrive(barrier), arrive(barrier), arrive(barrier));

    Set<Integer> indexes = new HashSet<>();
    for (CompletableFuture<Integer> party : parties) {
      indexes.add(party.get(5, TimeUnit.SECONDS));
    }

    assertEquals(Set.of(0, 1, 2), indexes);
    assertEquals(3, barrier.getParties());
    assertFalse(barrier.isBroken());
  }

  @Test
  void barrier_timeoutBreaksIt() throws Exception {
    ColonyBarrier barrier = client.barrier(name("barrier-timeout"), 2);

    assertThrows(TimeoutException.class, () -> barrier.await(100, TimeUnit.MILLISECONDS));

    assertTrue(barrier.isBroken());
    assertThrows(BrokenBarrierException.class, () -> barrier.await(1, TimeUnit.SECONDS));
    barrier.reset();
    assertFalse(barrier.isBroken());
    assertEquals(0, barrier.getNumberWaiting());
  }

  @Test
  void barrier_abort_breaksWaiters() throws Exception {
    ColonyBarrier barrier = client.barrier(name("barrier-abort"), 2);
    CompletableFuture<Integer> waiter = arrive(barrier);
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(5))
        .until(() -> barrier.getNumberWaiting() == 1);

    barrier.abort();

    Throwable cause =
        assertThrows(
                java.util.concurrent.ExecutionException.class,
                () -> waiter.get(5, TimeUnit.SECONDS))
            .getCause();
    assertTrue(cause instanceof BrokenBarrierException, "got " + cause);
  }

  @Test
  void latch_awaitReturnsOnceCountReachesZero() throws Exception {
    ColonyCountDownLatch latch = client.countDownLatch(name("latch"), 2);
    assertFalse(latch.await(50, TimeUnit.MILLISECONDS));
    CompletableFuture<Void> waiter =
        ColonyServerFixture.runAsync(
            () -> {
              try {
                latch.await();
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });

    latch.countDown();
    assertEquals(1, latch.getCount());
    latch.countDown();

    waiter.get(5, TimeUnit.SECONDS);
    assertEquals(0, latch.getCount());
    assertTrue(latch.await(0, TimeUnit.SECONDS));
  }

  private static CompletableFuture<Integer> arrive(ColonyBarrier barrier) {
    return ColonyServerFixture.supplyAsync(
        () -> {
          try {
            return barrier.await(5, TimeUnit.SECONDS);
          } catch (InterruptedException | TimeoutException | BrokenBarrierException e) {
            throw new java.util.concurrent.CompletionException(e);
          }
        });
  }
}
