package dev.colony.it.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a {@link java.util.concurrent.CyclicBarrier} does; bound to the JDK and Colony. */
abstract class CyclicBarrierContract {

  /** The CyclicBarrier methods both implementations share. */
  interface Barrier {
    int await() throws InterruptedException, BrokenBarrierException;

    int await(long timeout, TimeUnit unit)
        throws InterruptedException, BrokenBarrierException, TimeoutException;

    int getParties();

    int getNumberWaiting();

    boolean isBroken();

    void reset();
  }

  protected final Concurrently threads = new Concurrently();

  protected abstract Barrier newBarrier(int parties);

  /**
   * A barrier whose parties all run {@code action} when they trip it. A CyclicBarrier has one
   * action; a Colony barrier proxy has its own, so each party here uses a proxy with the same one.
   */
  protected abstract Barrier newBarrier(int parties, Runnable action);

  @AfterEach
  void stopThreads() throws InterruptedException {
    threads.close();
  }

  @Test
  void await_byAllParties_returnsEachArrivalIndexOnce() throws Exception {
    Barrier barrier = newBarrier(3);
    assertEquals(3, barrier.getParties());
    Future<Integer> first = threads.submit(barrier::await);
    Future<Integer> second = threads.submit(barrier::await);
    Awaitility.await().atMost(Concurrently.WAIT).until(() -> barrier.getNumberWaiting() == 2);
    int last = barrier.await();
    // The last party to arrive gets 0, the first getParties() - 1.
    assertEquals(0, last);
    Set<Integer> indexes = new HashSet<>(List.of(last));
    indexes.add(Concurrently.get(first));
    indexes.add(Concurrently.get(second));
    assertEquals(Set.of(0, 1, 2), indexes);
    assertFalse(barrier.isBroken());
  }

  @Test
  void barrier_isCyclic() throws Exception {
    Barrier barrier = newBarrier(2);
    for (int round = 0; round < 3; round++) {
      Future<Integer> other = threads.submit(barrier::await);
      int mine = barrier.await(10, TimeUnit.SECONDS);
      assertEquals(Set.of(0, 1), Set.of(mine, Concurrently.get(other)));
    }
  }

  @Test
  void awaitWithTimeout_timesOutAndBreaksTheBarrierForOthers() throws Exception {
    Barrier barrier = newBarrier(3);
    Future<Integer> patient = threads.submit(barrier::await);
    Awaitility.await().atMost(Concurrently.WAIT).until(() -> barrier.getNumberWaiting() == 1);
    assertThrows(TimeoutException.class, () -> barrier.await(100, TimeUnit.MILLISECONDS));
    ExecutionException e = assertThrows(ExecutionException.class, () -> Concurrently.get(patient));
    assertTrue(e.getCause() instanceof BrokenBarrierException, e.toString());
    assertTrue(barrier.isBroken());
    assertThrows(BrokenBarrierException.class, barrier::await);
  }

  @Test
  void reset_repairsABrokenBarrier() throws Exception {
    Barrier barrier = newBarrier(2);
    assertThrows(TimeoutException.class, () -> barrier.await(50, TimeUnit.MILLISECONDS));
    assertTrue(barrier.isBroken());
    barrier.reset();
    assertFalse(barrier.isBroken());
    Future<Integer> other = threads.submit(barrier::await);
    assertEquals(
        Set.of(0, 1), Set.of(barrier.await(10, TimeUnit.SECONDS), Concurrently.get(other)));
  }

  @Test
  void action_runsOncePerTrip_inTheLastPartyToArrive_beforeAnyPartyIsReleased() throws Exception {
    List<Thread> ranIn = new CopyOnWriteArrayList<>();
    AtomicBoolean actionDone = new AtomicBoolean();
    Barrier barrier =
        newBarrier(
            2,
            () -> {
              ranIn.add(Thread.currentThread());
              actionDone.set(true);
            });
    for (int round = 1; round <= 2; round++) {
      actionDone.set(false);
      Future<Boolean> releasedAfterAction =
          threads.submit(
              () -> {
                barrier.await();
                return actionDone.get();
              });
      Awaitility.await().atMost(Concurrently.WAIT).until(() -> barrier.getNumberWaiting() == 1);
      assertEquals(0, barrier.await());
      assertTrue(Concurrently.get(releasedAfterAction), "round " + round);
      assertEquals(round, ranIn.size());
      assertEquals(Thread.currentThread(), ranIn.get(round - 1));
    }
    assertFalse(barrier.isBroken());
  }

  @Test
  void action_thatThrows_breaksTheBarrier_andTheTrippingPartyGetsItsException() throws Exception {
    IllegalStateException boom = new IllegalStateException("boom");
    Barrier barrier =
        newBarrier(
            2,
            () -> {
              throw boom;
            });
    Future<Integer> other = threads.submit(barrier::await);
    Awaitility.await().atMost(Concurrently.WAIT).until(() -> barrier.getNumberWaiting() == 1);
    assertSame(boom, assertThrows(IllegalStateException.class, barrier::await));
    ExecutionException e = assertThrows(ExecutionException.class, () -> Concurrently.get(other));
    assertTrue(e.getCause() instanceof BrokenBarrierException, e.toString());
    assertTrue(barrier.isBroken());
    barrier.reset();
    assertFalse(barrier.isBroken());
  }

  @Test
  void onePartyBarrier_tripsOnEveryAwait_andRunsItsAction() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    Barrier barrier = newBarrier(1, runs::incrementAndGet);
    assertEquals(0, barrier.await());
    assertEquals(0, barrier.await(0, TimeUnit.SECONDS));
    assertEquals(2, runs.get());
    assertEquals(0, barrier.getNumberWaiting());
  }

  @Test
  void awaitWithZeroTimeout_byANonLastParty_timesOutAndBreaks() {
    Barrier barrier = newBarrier(2);
    assertThrows(TimeoutException.class, () -> barrier.await(0, TimeUnit.SECONDS));
    assertTrue(barrier.isBroken());
  }

  @Test
  void await_interruptedWhileWaiting_throwsAndBreaksTheBarrierForOthers() throws Exception {
    Barrier barrier = newBarrier(3);
    Future<Integer> patient = threads.submit(barrier::await);
    Awaitility.await().atMost(Concurrently.WAIT).until(() -> barrier.getNumberWaiting() == 1);
    AtomicBoolean interrupted = new AtomicBoolean();
    Thread waiter =
        new Thread(
            () -> {
              try {
                barrier.await();
              } catch (InterruptedException expected) {
                interrupted.set(true);
              } catch (BrokenBarrierException unexpected) {
                // left false
              }
            });
    waiter.start();
    Awaitility.await().atMost(Concurrently.WAIT).until(() -> barrier.getNumberWaiting() == 2);
    waiter.interrupt();
    waiter.join(Concurrently.WAIT.toMillis());
    assertTrue(interrupted.get());
    ExecutionException e = assertThrows(ExecutionException.class, () -> Concurrently.get(patient));
    assertTrue(e.getCause() instanceof BrokenBarrierException, e.toString());
    assertTrue(barrier.isBroken());
  }

  @Test
  void reset_breaksTheBarrierForPartiesWaiting() throws Exception {
    Barrier barrier = newBarrier(2);
    Future<Integer> waiting = threads.submit(barrier::await);
    Awaitility.await().atMost(Concurrently.WAIT).until(() -> barrier.getNumberWaiting() == 1);
    barrier.reset();
    ExecutionException e = assertThrows(ExecutionException.class, () -> Concurrently.get(waiting));
    assertTrue(e.getCause() instanceof BrokenBarrierException, e.toString());
    assertFalse(barrier.isBroken());
  }
}
