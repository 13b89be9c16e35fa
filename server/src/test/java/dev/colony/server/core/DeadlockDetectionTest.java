package dev.colony.server.core;

import static dev.colony.server.core.SyncCalls.FOREVER;
import static dev.colony.server.core.SyncCalls.acquire;
import static dev.colony.server.core.SyncCalls.await;
import static dev.colony.server.core.SyncCalls.condition;
import static dev.colony.server.core.SyncCalls.release;
import static dev.colony.server.core.SyncCalls.semAcquire;
import static dev.colony.server.core.SyncCalls.semRelease;
import static dev.colony.server.core.SyncCalls.semaphore;
import static dev.colony.server.core.SyncCalls.signal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.proto.v1.Deadlock;
import dev.colony.proto.v1.DeadlockEdge;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.Failure;
import dev.colony.proto.v1.ObjectType;
import dev.colony.server.core.CoreHarness.PendingCall;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class DeadlockDetectionTest {

  private static List<Deadlock> deadlocks(CoreHarness h) {
    return h.core.status().getDeadlocksList();
  }

  private static Set<String> objectsOf(Deadlock deadlock) {
    return deadlock.getEdgesList().stream()
        .map(DeadlockEdge::getObject)
        .collect(Collectors.toSet());
  }

  private static void granted(PendingCall call) {
    assertTrue(call.reply().getLockAcquire().getAcquired(), "expected the lock to be granted");
  }

  private static long detected(CoreHarness h) {
    return h.core.stats(10).deadlocksDetected();
  }

  @Nested
  class ReportMode {
    private final CoreHarness h = new CoreHarness();
    private final String a = h.session("A");
    private final String b = h.session("B");

    @Test
    void abBa_isListedWithObjectsHoldersAndHosts_whileBothKeepWaiting() {
      h.create(a, "a", ObjectType.LOCK);
      h.create(a, "b", ObjectType.LOCK);
      granted(h.call(a, acquire("a", 1, FOREVER)));
      granted(h.call(b, acquire("b", 2, FOREVER)));
      PendingCall aWaits = h.call(a, acquire("b", 1, FOREVER));
      assertTrue(deadlocks(h).isEmpty(), "one wait alone is no cycle");
      PendingCall bWaits = h.call(b, acquire("a", 2, FOREVER));

      assertFalse(aWaits.isDone());
      assertFalse(bWaits.isDone());
      List<Deadlock> found = deadlocks(h);
      assertEquals(1, found.size());
      Deadlock cycle = found.get(0);
      assertEquals(2, cycle.getEdgesCount());
      // The newest waiter's edge comes first: B waits for 'a', held by A thread 1.
      DeadlockEdge first = cycle.getEdges(0);
      assertEquals(Session.labelOf("B"), first.getWaiter().getSessionLabel());
      assertEquals(2, first.getWaiter().getThreadId());
      assertEquals("a", first.getObject());
      assertEquals(ObjectType.LOCK, first.getObjectType());
      assertEquals(Session.labelOf("A"), first.getHolder().getSessionLabel());
      assertEquals(1, first.getHolder().getThreadId());
      assertEquals("localhost", first.getHolder().getHost());
      assertEquals(4242, first.getHolder().getPid());
      DeadlockEdge second = cycle.getEdges(1);
      assertEquals(Session.labelOf("A"), second.getWaiter().getSessionLabel());
      assertEquals("b", second.getObject());
      assertEquals(Session.labelOf("B"), second.getHolder().getSessionLabel());
      assertEquals(1, h.core.stats(10).deadlocks());
      assertEquals(1, detected(h));
    }

    @Test
    void cycle_disappears_whenOneOfItsWaitsTimesOut() {
      h.create(a, "a", ObjectType.LOCK);
      h.create(a, "b", ObjectType.LOCK);
      granted(h.call(a, acquire("a", 1, FOREVER)));
      granted(h.call(b, acquire("b", 1, FOREVER)));
      PendingCall aWaits = h.call(a, acquire("b", 1, 5_000));
      PendingCall bWaits = h.call(b, acquire("a", 1, FOREVER));
      assertEquals(1, deadlocks(h).size());

      h.advance(5_000);

      assertFalse(aWaits.reply().getLockAcquire().getAcquired());
      assertTrue(deadlocks(h).isEmpty());
      assertEquals(0, h.core.stats(10).deadlocks());
      assertEquals(1, detected(h), "the count of cycles found stays");
      assertFalse(bWaits.isDone(), "B still waits for 'a', which A holds");
      h.call(a, release("a", 1)).reply();
      granted(bWaits);
    }

    @Test
    void cycle_disappears_whenAWaitingSessionIsClosed() {
      h.create(a, "a", ObjectType.LOCK);
      h.create(a, "b", ObjectType.LOCK);
      granted(h.call(a, acquire("a", 1, FOREVER)));
      granted(h.call(b, acquire("b", 1, FOREVER)));
      h.call(a, acquire("b", 1, FOREVER));
      PendingCall bWaits = h.call(b, acquire("a", 1, FOREVER));
      assertEquals(1, deadlocks(h).size());

      h.closeSession(a);

      granted(bWaits);
      assertTrue(deadlocks(h).isEmpty());
    }

    @Test
    void threeParties_formOneCycleOfThreeEdges() {
      String c = h.session("C");
      for (String lock : List.of("x", "y", "z")) {
        h.create(a, lock, ObjectType.LOCK);
      }
      granted(h.call(a, acquire("x", 1, FOREVER)));
      granted(h.call(b, acquire("y", 1, FOREVER)));
      granted(h.call(c, acquire("z", 1, FOREVER)));
      h.call(a, acquire("y", 1, FOREVER));
      h.call(b, acquire("z", 1, FOREVER));
      assertTrue(deadlocks(h).isEmpty(), "A -> B -> C is a chain, not yet a cycle");

      h.call(c, acquire("x", 1, FOREVER));

      List<Deadlock> found = deadlocks(h);
      assertEquals(1, found.size());
      assertEquals(3, found.get(0).getEdgesCount());
      assertEquals(Set.of("x", "y", "z"), objectsOf(found.get(0)));
      List<String> waiters =
          found.get(0).getEdgesList().stream().map(e -> e.getWaiter().getSessionLabel()).toList();
      assertEquals(
          List.of(Session.labelOf("C"), Session.labelOf("A"), Session.labelOf("B")), waiters);
    }

    @Test
    void plainWaitChain_isNoDeadlock() {
      String c = h.session("C");
      h.create(a, "x", ObjectType.LOCK);
      h.create(a, "y", ObjectType.LOCK);
      granted(h.call(a, acquire("x", 1, FOREVER)));
      granted(h.call(b, acquire("y", 1, FOREVER)));
      PendingCall bWaits = h.call(b, acquire("x", 1, FOREVER));
      PendingCall cWaits = h.call(c, acquire("y", 1, FOREVER));
      PendingCall cAlsoWaits = h.call(c, acquire("x", 2, FOREVER));

      assertTrue(deadlocks(h).isEmpty());
      assertEquals(0, detected(h));
      h.call(a, release("x", 1)).reply();
      granted(bWaits);
      assertFalse(cWaits.isDone());
      assertFalse(cAlsoWaits.isDone());
    }

    @Test
    void reentrantAcquire_byTheHolder_neverWaits_soNoCycle() {
      h.create(a, "r", ObjectType.RLOCK);
      h.create(a, "s", ObjectType.RLOCK);
      granted(h.call(a, acquire("r", 1, FOREVER)));
      granted(h.call(a, acquire("r", 1, FOREVER)));
      granted(h.call(b, acquire("s", 1, FOREVER)));
      PendingCall bWaits = h.call(b, acquire("r", 1, FOREVER));
      granted(h.call(a, acquire("r", 1, FOREVER)));

      assertFalse(bWaits.isDone());
      assertTrue(deadlocks(h).isEmpty());
    }

    @Test
    void reentrantLocks_stillDeadlockAcrossOwners() {
      h.create(a, "r", ObjectType.RLOCK);
      h.create(a, "s", ObjectType.RLOCK);
      granted(h.call(a, acquire("r", 1, FOREVER)));
      granted(h.call(a, acquire("r", 1, FOREVER)));
      granted(h.call(b, acquire("s", 1, FOREVER)));
      h.call(a, acquire("s", 1, FOREVER));
      h.call(b, acquire("r", 1, FOREVER));

      assertEquals(1, deadlocks(h).size());
    }

    @Test
    void plainLock_acquiredAgainByItsHolder_isASelfDeadlock() {
      h.create(a, "l", ObjectType.LOCK);
      granted(h.call(a, acquire("l", 1, FOREVER)));
      PendingCall again = h.call(a, acquire("l", 1, FOREVER));

      assertFalse(again.isDone());
      List<Deadlock> found = deadlocks(h);
      assertEquals(1, found.size());
      DeadlockEdge only = found.get(0).getEdges(0);
      assertEquals(only.getWaiter(), only.getHolder());
    }

    @Test
    void twoThreadsOfOneSession_deadlockLikeTwoSessions() {
      h.create(a, "a", ObjectType.LOCK);
      h.create(a, "b", ObjectType.LOCK);
      granted(h.call(a, acquire("a", 1, FOREVER)));
      granted(h.call(a, acquire("b", 2, FOREVER)));
      h.call(a, acquire("b", 1, FOREVER));
      assertTrue(deadlocks(h).isEmpty());
      h.call(a, acquire("a", 2, FOREVER));

      assertEquals(1, deadlocks(h).size());
    }

    @Test
    void semaphoreCycle_isDetected() {
      h.create(a, semaphore("s", ObjectType.SEMAPHORE, 1));
      h.create(a, semaphore("t", ObjectType.BOUNDED_SEMAPHORE, 1));
      h.call(a, semAcquire("s", 1, FOREVER)).reply();
      h.call(b, semAcquire("t", 1, FOREVER)).reply();
      PendingCall aWaits = h.call(a, semAcquire("t", 1, FOREVER));
      PendingCall bWaits = h.call(b, semAcquire("s", 1, FOREVER));

      assertFalse(aWaits.isDone());
      assertFalse(bWaits.isDone());
      List<Deadlock> found = deadlocks(h);
      assertEquals(1, found.size());
      assertEquals(Set.of("s", "t"), objectsOf(found.get(0)));
      assertEquals(ObjectType.SEMAPHORE, found.get(0).getEdges(0).getObjectType());
    }

    @Test
    void lockAndSemaphore_formACycleTogether() {
      h.create(a, "l", ObjectType.LOCK);
      h.create(a, semaphore("s", ObjectType.SEMAPHORE, 1));
      granted(h.call(a, acquire("l", 1, FOREVER)));
      h.call(b, semAcquire("s", 1, FOREVER)).reply();
      h.call(a, semAcquire("s", 1, FOREVER));
      h.call(b, acquire("l", 1, FOREVER));

      assertEquals(Set.of("l", "s"), objectsOf(deadlocks(h).get(0)));
    }

    @Test
    void semaphoreUsedAsASignal_isNoDeadlock() {
      // Consumers take permits that producers release; the permits they "hold" were never theirs
      // to give back, and anyone may release more.
      h.create(a, semaphore("items", ObjectType.SEMAPHORE, 0));
      String producer = h.session("P");
      h.call(producer, semRelease("items", 2)).reply();
      h.call(a, semAcquire("items", 1, FOREVER)).reply();
      h.call(b, semAcquire("items", 1, FOREVER)).reply();
      PendingCall aWaits = h.call(a, semAcquire("items", 1, FOREVER));
      PendingCall bWaits = h.call(b, semAcquire("items", 1, FOREVER));

      assertTrue(deadlocks(h).isEmpty());
      h.call(producer, semRelease("items", 2)).reply();
      assertTrue(aWaits.reply().getSemaphoreAcquire().getAcquired());
      assertTrue(bWaits.reply().getSemaphoreAcquire().getAcquired());
    }

    @Test
    void conditionReacquire_closingACycle_isDetected() {
      h.create(a, "l", ObjectType.LOCK);
      h.create(a, "m", ObjectType.LOCK);
      h.create(a, condition("c", "l"));
      granted(h.call(a, acquire("m", 1, FOREVER)));
      granted(h.call(a, acquire("l", 1, FOREVER)));
      PendingCall awaiting = h.call(a, await("c", 1, 1_000));
      granted(h.call(b, acquire("l", 1, FOREVER)));
      h.call(b, acquire("m", 1, FOREVER));
      assertTrue(deadlocks(h).isEmpty(), "A waits for a signal, not for a lock");

      // The await times out: A now queues for 'l', which B holds while waiting for A's 'm'.
      h.advance(1_000);

      assertFalse(awaiting.isDone());
      assertEquals(Set.of("l", "m"), objectsOf(deadlocks(h).get(0)));
    }
  }

  @Nested
  class FailMode {
    private final CoreHarness h =
        new CoreHarness(
            Limits.defaults(), CoreOptions.defaults().withDeadlockPolicy(DeadlockPolicy.FAIL));
    private final String a = h.session("A");
    private final String b = h.session("B");

    @Test
    void abBa_failsOnlyTheNewestWaiter_andTheOtherProceedsAfterTheFirstReleases() {
      h.create(a, "a", ObjectType.LOCK);
      h.create(a, "b", ObjectType.LOCK);
      granted(h.call(a, acquire("a", 1, FOREVER)));
      granted(h.call(b, acquire("b", 1, FOREVER)));
      PendingCall aWaits = h.call(a, acquire("b", 1, FOREVER));
      PendingCall bWaits = h.call(b, acquire("a", 1, FOREVER));

      Failure failure =
          ExpectFailure.of(bWaits, CoreException.Code.FAILED_PRECONDITION, ErrorReason.DEADLOCK);
      assertTrue(
          failure
              .getMessage()
              .startsWith(
                  "deadlock: session "
                      + Session.labelOf("B")
                      + " thread 1 (test-B on localhost pid 4242) holds 'b' and waits for 'a';"
                      + " session "
                      + Session.labelOf("A")
                      + " thread 1 (test-A on localhost pid 4242) holds 'a' and waits for 'b'"),
          failure.getMessage());
      assertFalse(aWaits.isDone());
      assertTrue(deadlocks(h).isEmpty(), "the cycle was broken at once");
      assertEquals(1, detected(h));

      // B, refused, gives up its lock as a DeadlockException handler would; A goes on.
      h.call(b, release("b", 1)).reply();
      granted(aWaits);
    }

    @Test
    void threeParties_failOnlyTheOneThatClosedTheCycle() {
      String c = h.session("C");
      for (String lock : List.of("x", "y", "z")) {
        h.create(a, lock, ObjectType.LOCK);
      }
      granted(h.call(a, acquire("x", 1, FOREVER)));
      granted(h.call(b, acquire("y", 1, FOREVER)));
      granted(h.call(c, acquire("z", 1, FOREVER)));
      PendingCall aWaits = h.call(a, acquire("y", 1, FOREVER));
      PendingCall bWaits = h.call(b, acquire("z", 1, FOREVER));
      PendingCall cWaits = h.call(c, acquire("x", 1, FOREVER));

      ExpectFailure.of(cWaits, CoreException.Code.FAILED_PRECONDITION, ErrorReason.DEADLOCK);
      assertFalse(aWaits.isDone());
      assertFalse(bWaits.isDone());
      h.call(c, release("z", 1)).reply();
      granted(bWaits);
    }

    @Test
    void semaphoreCycle_failsTheNewestWaiter_andFreesItsPlaceInTheQueue() {
      h.create(a, semaphore("s", ObjectType.SEMAPHORE, 1));
      h.create(a, semaphore("t", ObjectType.SEMAPHORE, 1));
      h.call(a, semAcquire("s", 1, FOREVER)).reply();
      h.call(b, semAcquire("t", 1, FOREVER)).reply();
      PendingCall aWaits = h.call(a, semAcquire("t", 1, FOREVER));
      PendingCall bWaits = h.call(b, semAcquire("s", 1, FOREVER));

      ExpectFailure.of(bWaits, CoreException.Code.FAILED_PRECONDITION, ErrorReason.DEADLOCK);
      assertEquals(0, h.call(a, SyncCalls.semInfo("s")).reply().getSemaphoreInfo().getWaiters());
      h.call(b, semRelease("t", 1)).reply();
      assertTrue(aWaits.reply().getSemaphoreAcquire().getAcquired());
    }

    @Test
    void conditionReacquire_thatClosesACycle_failsTheAwait() {
      h.create(a, "l", ObjectType.LOCK);
      h.create(a, "m", ObjectType.LOCK);
      h.create(a, condition("c", "l"));
      granted(h.call(a, acquire("m", 1, FOREVER)));
      granted(h.call(a, acquire("l", 1, FOREVER)));
      PendingCall awaiting = h.call(a, await("c", 1, FOREVER));
      granted(h.call(b, acquire("l", 1, FOREVER)));
      assertEquals(1, h.call(b, signal("c", 1, 1, false)).reply().getConditionSignal().getWoken());
      PendingCall bWaits = h.call(b, acquire("m", 1, FOREVER));

      // B's acquire closed the cycle (A re-acquiring 'l' held by B), so B's is refused.
      ExpectFailure.of(bWaits, CoreException.Code.FAILED_PRECONDITION, ErrorReason.DEADLOCK);
      assertFalse(awaiting.isDone());
      h.call(b, release("l", 1)).reply();
      assertTrue(awaiting.reply().getConditionAwait().getSignalled());
    }

    @Test
    void plainWaitChain_isNotFailed() {
      h.create(a, "x", ObjectType.LOCK);
      granted(h.call(a, acquire("x", 1, FOREVER)));
      PendingCall bWaits = h.call(b, acquire("x", 1, FOREVER));

      assertFalse(bWaits.isDone());
      h.call(a, release("x", 1)).reply();
      granted(bWaits);
      assertEquals(0, detected(h));
    }
  }
}
