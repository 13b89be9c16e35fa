package dev.colony.server.core;

import static dev.colony.server.core.SyncCalls.FOREVER;
import static dev.colony.server.core.SyncCalls.create;
import static dev.colony.server.core.SyncCalls.delete;
import static dev.colony.server.core.SyncCalls.describe;
import static dev.colony.server.core.SyncCalls.semAcquire;
import static dev.colony.server.core.SyncCalls.semInfo;
import static dev.colony.server.core.SyncCalls.semRelease;
import static dev.colony.server.core.SyncCalls.semaphore;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectType;
import dev.colony.proto.v1.SemaphoreAcquireResponse;
import dev.colony.proto.v1.SemaphoreDrainRequest;
import dev.colony.proto.v1.SemaphoreInfoResponse;
import dev.colony.proto.v1.SemaphoreOptions;
import dev.colony.proto.v1.SemaphoreReduceRequest;
import dev.colony.server.core.CoreHarness.PendingCall;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SemaphoreObjectTest {
  private final CoreHarness h = new CoreHarness();
  private final String s1 = h.session("s1");
  private final String s2 = h.session("s2");

  private void newSemaphore(ObjectType type, int permits) {
    h.create(s1, semaphore("sem", type, permits));
  }

  private static SemaphoreAcquireResponse granted(PendingCall call) {
    SemaphoreAcquireResponse response = call.reply().getSemaphoreAcquire();
    assertTrue(response.getAcquired(), "expected the permits to be granted");
    return response;
  }

  private static boolean notGranted(PendingCall call) {
    return !call.reply().getSemaphoreAcquire().getAcquired();
  }

  private long release(String session, int permits) {
    return h.call(session, semRelease("sem", permits)).reply().getSemaphoreRelease().getAvailable();
  }

  private SemaphoreInfoResponse info() {
    return h.call(s1, semInfo("sem")).reply().getSemaphoreInfo();
  }

  private static SemaphoreOptions unfair(int permits) {
    return SemaphoreOptions.newBuilder().setPermits(permits).setFair(false).build();
  }

  private static Call.Builder barging(int permits) {
    Call.Builder call = semAcquire("sem", permits, 0);
    call.getSemaphoreAcquireBuilder().setBarge(true);
    return call;
  }

  @Nested
  class Policies {
    @Test
    void fair_newAcquireWaitsBehindAWaiter_butABargingOneTakesFreePermits() {
      newSemaphore(ObjectType.SEMAPHORE, 2);
      assertTrue(info().getFair());
      PendingCall waiting = h.call(s1, semAcquire("sem", 3, FOREVER));
      assertTrue(notGranted(h.call(s2, semAcquire("sem", 1, 0))));
      granted(h.call(s2, barging(1)));
      assertEquals(1, info().getAvailable());
      assertFalse(waiting.isDone());
    }

    @Test
    void unfair_newAcquireTakesFreePermitsAheadOfAWaiter() {
      h.create(s1, semaphore("sem", ObjectType.SEMAPHORE, 2).setSemaphore(unfair(2)));
      PendingCall waiting = h.call(s1, semAcquire("sem", 3, FOREVER));
      granted(h.call(s2, semAcquire("sem", 2, 0)));
      release(s2, 3);
      granted(waiting);
    }

    @Test
    void drain_takesEveryPermitForTheSession_andTheyComeBackWhenItEnds() {
      newSemaphore(ObjectType.SEMAPHORE, 3);
      assertEquals(3, h.call(s2, drain()).reply().getSemaphoreDrain().getDrained());
      assertEquals(0, info().getAvailable());
      assertEquals(0, h.call(s2, drain()).reply().getSemaphoreDrain().getDrained());
      h.closeSession(s2);
      assertEquals(3, info().getAvailable());
    }

    @Test
    void drain_ofNegativePermits_setsThemToZero() {
      newSemaphore(ObjectType.SEMAPHORE, 1);
      assertEquals(-2, h.call(s1, reduce(3)).reply().getSemaphoreReduce().getAvailable());
      assertEquals(-2, h.call(s1, drain()).reply().getSemaphoreDrain().getDrained());
      assertEquals(0, info().getAvailable());
    }

    @Test
    void reduce_negative_isInvalid() {
      newSemaphore(ObjectType.SEMAPHORE, 1);
      assertEquals(ErrorReason.INVALID_REQUEST, h.call(s1, reduce(-1)).failure().getReason());
    }
  }

  private static Call.Builder drain() {
    return Call.newBuilder()
        .setSemaphoreDrain(SemaphoreDrainRequest.newBuilder().setName("sem").setThreadId(1));
  }

  private static Call.Builder reduce(int reduction) {
    return Call.newBuilder()
        .setSemaphoreReduce(
            SemaphoreReduceRequest.newBuilder().setName("sem").setReduction(reduction));
  }

  @Nested
  class Basics {
    @Test
    void acquire_withinPermits_grantsIncreasingTokens() {
      newSemaphore(ObjectType.SEMAPHORE, 3);
      assertEquals(1, granted(h.call(s1, semAcquire("sem", 2, FOREVER))).getFencingToken());
      assertEquals(2, granted(h.call(s2, semAcquire("sem", 1, 0))).getFencingToken());
      assertEquals(0, info().getAvailable());
      assertEquals(2, release(s1, 2));
      assertEquals(3, release(s2, 1));
    }

    @Test
    void acquire_ofZeroPermits_succeedsAtOnce_evenWithWaiters() {
      newSemaphore(ObjectType.SEMAPHORE, 0);
      PendingCall waiting = h.call(s1, semAcquire("sem", 1, FOREVER));
      granted(h.call(s2, semAcquire("sem", 0, 0)));
      assertFalse(waiting.isDone());
    }

    @Test
    void release_byAnyCaller_addsPermits_andUnboundedMayGrow() {
      newSemaphore(ObjectType.SEMAPHORE, 1);
      assertEquals(3, release(s2, 2));
      granted(h.call(s1, semAcquire("sem", 3, 0)));
    }

    @Test
    void negativePermits_areInvalid() {
      newSemaphore(ObjectType.SEMAPHORE, 1);
      assertEquals(
          ErrorReason.INVALID_REQUEST, h.call(s1, semAcquire("sem", -1, 0)).failure().getReason());
      assertEquals(
          ErrorReason.INVALID_REQUEST, h.call(s1, semRelease("sem", -1)).failure().getReason());
      assertEquals(1, info().getAvailable());
    }

    @Test
    void negativeTimeout_isInvalid() {
      newSemaphore(ObjectType.SEMAPHORE, 1);
      assertEquals(
          ErrorReason.INVALID_REQUEST, h.call(s1, semAcquire("sem", 1, -9)).failure().getReason());
    }
  }

  @Nested
  class Waiting {
    @Test
    void waiters_areServedInFifoOrder() {
      newSemaphore(ObjectType.SEMAPHORE, 0);
      PendingCall first = h.call(s1, semAcquire("sem", 1, FOREVER));
      PendingCall second = h.call(s2, semAcquire("sem", 1, FOREVER));
      assertEquals(2, info().getWaiters());
      release(s2, 1);
      assertEquals(1, granted(first).getFencingToken());
      assertFalse(second.isDone());
      release(s2, 1);
      assertEquals(2, granted(second).getFencingToken());
    }

    @Test
    void bigHeadWaiter_blocksSmallerOnesBehindIt() {
      newSemaphore(ObjectType.SEMAPHORE, 1);
      PendingCall big = h.call(s1, semAcquire("sem", 3, FOREVER));
      PendingCall small = h.call(s2, semAcquire("sem", 1, FOREVER));
      assertFalse(small.isDone());
      release(s2, 1);
      assertFalse(big.isDone());
      assertFalse(small.isDone());
      release(s2, 1);
      granted(big);
      assertFalse(small.isDone());
      release(s1, 1);
      granted(small);
    }

    @Test
    void newAcquire_waitsBehindWaiters_evenIfPermitsAreAvailable() {
      newSemaphore(ObjectType.SEMAPHORE, 2);
      PendingCall big = h.call(s1, semAcquire("sem", 3, FOREVER));
      assertTrue(notGranted(h.call(s2, semAcquire("sem", 1, 0))));
      assertEquals(2, info().getAvailable());
      assertFalse(big.isDone());
    }

    @Test
    void acquire_timesOutExactlyAtDeadline() {
      newSemaphore(ObjectType.SEMAPHORE, 0);
      PendingCall waiting = h.call(s1, semAcquire("sem", 1, 400));
      h.advance(399);
      assertFalse(waiting.isDone());
      h.advance(1);
      assertTrue(notGranted(waiting));
      assertEquals(0, info().getWaiters());
      release(s2, 1);
      assertEquals(1, info().getAvailable());
    }

    @Test
    void acquire_withZeroTimeout_neverParks() {
      newSemaphore(ObjectType.SEMAPHORE, 0);
      assertTrue(notGranted(h.call(s1, semAcquire("sem", 1, 0))));
      assertEquals(0, info().getWaiters());
    }

    @Test
    void timedOutHead_letsSmallerWaitersBehindItThrough() {
      newSemaphore(ObjectType.SEMAPHORE, 1);
      PendingCall big = h.call(s1, semAcquire("sem", 5, 100));
      PendingCall small = h.call(s2, semAcquire("sem", 1, FOREVER));
      h.advance(100);
      assertTrue(notGranted(big));
      granted(small);
      assertEquals(0, info().getAvailable());
    }

    @Test
    void cancelledHead_letsSmallerWaitersBehindItThrough_andGetsNothing() {
      newSemaphore(ObjectType.SEMAPHORE, 1);
      PendingCall big = h.call(s1, semAcquire("sem", 5, FOREVER));
      PendingCall small = h.call(s2, semAcquire("sem", 1, FOREVER));
      h.cancel(s1, big);
      assertEquals(ErrorReason.CANCELLED, big.failure().getReason());
      granted(small);
      release(s2, 4);
      assertEquals(4, info().getAvailable());
    }
  }

  @Nested
  class Bounded {
    @Test
    void release_aboveInitialPermits_isSemaphoreOverflow() {
      newSemaphore(ObjectType.BOUNDED_SEMAPHORE, 2);
      PendingCall over = h.call(s1, semRelease("sem", 1));
      assertEquals(ErrorReason.SEMAPHORE_OVERFLOW, over.failure().getReason());
      assertEquals(CoreException.Code.FAILED_PRECONDITION.number, over.failure().getCode());
      granted(h.call(s1, semAcquire("sem", 1, 0)));
      assertEquals(2, release(s1, 1));
      assertEquals(
          ErrorReason.SEMAPHORE_OVERFLOW, h.call(s1, semRelease("sem", 1)).failure().getReason());
      assertEquals(2, info().getAvailable());
      assertTrue(info().getBounded());
    }

    @Test
    void acquire_ofMoreThanTheBound_isInvalid() {
      newSemaphore(ObjectType.BOUNDED_SEMAPHORE, 2);
      assertEquals(
          ErrorReason.INVALID_REQUEST,
          h.call(s1, semAcquire("sem", 3, FOREVER)).failure().getReason());
      assertEquals(0, info().getWaiters());
    }

    @Test
    void sessionEnd_afterSomeoneElseReleasedItsPermits_staysWithinTheBound() {
      newSemaphore(ObjectType.BOUNDED_SEMAPHORE, 1);
      granted(h.call(s2, semAcquire("sem", 1, 0)));
      release(s1, 1); // s1 releases the permit s2 took: allowed, as in Python
      h.closeSession(s2);
      assertEquals(1, info().getAvailable());
    }
  }

  @Nested
  class Sessions {
    @Test
    void sessionExpiry_returnsItsPermits_andServesWaiters() {
      h.session("dying", 2_000);
      newSemaphore(ObjectType.SEMAPHORE, 3);
      granted(h.call("dying", semAcquire("sem", 2, 0)));
      granted(h.call("dying", semAcquire("sem", 1, 0)));
      PendingCall waiting = h.call(s1, semAcquire("sem", 2, FOREVER));
      h.advance(1_999);
      assertFalse(waiting.isDone());
      h.advance(1);
      assertEquals(3, granted(waiting).getFencingToken());
      assertEquals(1, info().getAvailable());
      assertEquals(1, info().getHoldersCount());
      assertEquals(Session.labelOf(s1), info().getHolders(0).getSessionLabel());
    }

    @Test
    void sessionEnd_returnsOnlyPermitsNotYetReleased() {
      newSemaphore(ObjectType.SEMAPHORE, 3);
      granted(h.call(s2, semAcquire("sem", 3, 0)));
      release(s2, 1);
      h.closeSession(s2);
      assertEquals(3, info().getAvailable());
    }

    @Test
    void release_byNonHolder_doesNotTouchHoldersCount() {
      newSemaphore(ObjectType.SEMAPHORE, 2);
      granted(h.call(s2, semAcquire("sem", 2, 0)));
      release(s1, 2);
      assertEquals(1, info().getHoldersCount());
      h.closeSession(s2);
      // Unbounded: s2's two permits come back on top of the two s1 released.
      assertEquals(4, info().getAvailable());
    }

    @Test
    void info_listsHoldersAndToken() {
      newSemaphore(ObjectType.SEMAPHORE, 5);
      granted(h.call(s1, semAcquire("sem", 1, 0)));
      granted(h.call(s2, semAcquire("sem", 2, 0)));
      h.call(s1, semAcquire("sem", 9, FOREVER));
      var summary = h.call(s1, describe("sem")).reply().getObjectDescribe().getInfo();
      assertEquals(2, summary.getSize());
      assertEquals(1, summary.getWaiters());
      assertEquals(2, summary.getFencingToken());
      assertEquals(2, summary.getHoldersCount());
      SemaphoreInfoResponse info = info();
      assertEquals(5, info.getInitialPermits());
      assertFalse(info.getBounded());
      assertEquals(1, info.getWaiters());
    }
  }

  @Nested
  class Lifecycle {
    @Test
    void create_again_withZeroOrEqualPermits_isAccepted_otherwiseConflict() {
      newSemaphore(ObjectType.SEMAPHORE, 3);
      h.call(s2, create(semaphore("sem", ObjectType.SEMAPHORE, 0))).reply();
      h.call(s2, create(semaphore("sem", ObjectType.SEMAPHORE, 3))).reply();
      h.call(
              s2,
              create(ObjectCreateRequest.newBuilder().setName("sem").setType(ObjectType.SEMAPHORE)))
          .reply();
      assertEquals(
          ErrorReason.OPTIONS_CONFLICT,
          h.call(s2, create(semaphore("sem", ObjectType.SEMAPHORE, 4))).failure().getReason());
      assertEquals(
          ErrorReason.WRONG_TYPE,
          h.call(s2, create(semaphore("sem", ObjectType.BOUNDED_SEMAPHORE, 3)))
              .failure()
              .getReason());
    }

    @Test
    void create_boundedWithNegativePermits_isInvalid() {
      assertEquals(
          ErrorReason.INVALID_REQUEST,
          h.call(s1, create(semaphore("sem", ObjectType.BOUNDED_SEMAPHORE, -1)))
              .failure()
              .getReason());
    }

    @Test
    void create_withNegativePermits_needsReleasesBeforeAnAcquire() {
      newSemaphore(ObjectType.SEMAPHORE, -1);
      PendingCall waiting = h.call(s2, semAcquire("sem", 1, FOREVER));
      assertEquals(0, release(s1, 1));
      assertFalse(waiting.isDone());
      release(s1, 1);
      granted(waiting);
    }

    @Test
    void create_withOtherFairness_conflicts_andUnsetFairnessAcceptsEither() {
      h.create(s1, semaphore("sem", ObjectType.SEMAPHORE, 1).setSemaphore(unfair(1)));
      assertFalse(info().getFair());
      h.call(s2, create(semaphore("sem", ObjectType.SEMAPHORE, 1))).reply();
      assertEquals(
          ErrorReason.OPTIONS_CONFLICT,
          h.call(
                  s2,
                  create(
                      semaphore("sem", ObjectType.SEMAPHORE, 1)
                          .setSemaphore(unfair(1).toBuilder().setFair(true))))
              .failure()
              .getReason());
    }

    @Test
    void semaphoreOp_onLockName_isWrongType() {
      h.create(s1, "sem", ObjectType.LOCK);
      assertEquals(
          ErrorReason.WRONG_TYPE, h.call(s1, semAcquire("sem", 1, 0)).failure().getReason());
      assertEquals(ErrorReason.WRONG_TYPE, h.call(s1, semRelease("sem", 1)).failure().getReason());
    }

    @Test
    void delete_failsWaiters() {
      newSemaphore(ObjectType.SEMAPHORE, 0);
      PendingCall waiting = h.call(s2, semAcquire("sem", 1, FOREVER));
      h.call(s1, delete("sem")).reply();
      assertEquals(ErrorReason.OBJECT_NOT_FOUND, waiting.failure().getReason());
    }
  }
}
