package dev.colony.server.core;

import static dev.colony.server.core.SyncCalls.FOREVER;
import static dev.colony.server.core.SyncCalls.acquire;
import static dev.colony.server.core.SyncCalls.await;
import static dev.colony.server.core.SyncCalls.condition;
import static dev.colony.server.core.SyncCalls.create;
import static dev.colony.server.core.SyncCalls.delete;
import static dev.colony.server.core.SyncCalls.describe;
import static dev.colony.server.core.SyncCalls.lockInfo;
import static dev.colony.server.core.SyncCalls.release;
import static dev.colony.server.core.SyncCalls.signal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.proto.v1.ConditionAwaitResponse;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.LockInfoResponse;
import dev.colony.proto.v1.ObjectType;
import dev.colony.server.core.CoreHarness.PendingCall;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ConditionObjectTest {
  private final CoreHarness h = new CoreHarness();
  private final String s1 = h.session("s1");
  private final String s2 = h.session("s2");

  private void newCondition(ObjectType lockType) {
    h.create(s1, "l", lockType);
    h.create(s1, condition("c", "l"));
  }

  private long lock(String session, long thread) {
    PendingCall call = h.call(session, acquire("l", thread, 0));
    assertTrue(call.reply().getLockAcquire().getAcquired(), "expected to get the lock");
    return call.reply().getLockAcquire().getFencingToken();
  }

  private void unlock(String session, long thread) {
    h.call(session, release("l", thread)).reply();
  }

  private int signalOne(String session, long thread) {
    return h.call(session, signal("c", thread, 1, false)).reply().getConditionSignal().getWoken();
  }

  private LockInfoResponse lockState() {
    return h.call(s1, lockInfo("l")).reply().getLockInfo();
  }

  private static ConditionAwaitResponse awaited(PendingCall call) {
    return call.reply().getConditionAwait();
  }

  @Nested
  class AwaitAndSignal {
    @Test
    void await_releasesLock_andRepliesOnlyAfterGettingItBack() {
      newCondition(ObjectType.LOCK);
      long first = lock(s1, 1);
      PendingCall waiting = h.call(s1, await("c", 1, FOREVER));
      assertFalse(lockState().getLocked());
      lock(s2, 1);
      assertEquals(1, signalOne(s2, 1));
      assertFalse(waiting.isDone());
      unlock(s2, 1);
      ConditionAwaitResponse woke = awaited(waiting);
      assertTrue(woke.getSignalled());
      assertEquals(first + 2, woke.getFencingToken());
      assertEquals(Session.labelOf(s1), lockState().getHolder().getSessionLabel());
      assertEquals(woke.getFencingToken(), lockState().getFencingToken());
    }

    @Test
    void await_handsTheLockToTheOldestLockWaiter() {
      newCondition(ObjectType.LOCK);
      lock(s1, 1);
      PendingCall lockWaiter = h.call(s2, acquire("l", 1, FOREVER));
      PendingCall waiting = h.call(s1, await("c", 1, FOREVER));
      assertTrue(lockWaiter.reply().getLockAcquire().getAcquired());
      assertEquals(Session.labelOf(s2), lockState().getHolder().getSessionLabel());
      signalOne(s2, 1);
      unlock(s2, 1);
      assertTrue(awaited(waiting).getSignalled());
    }

    @Test
    void await_onRlock_restoresTheHoldCount() {
      newCondition(ObjectType.RLOCK);
      lock(s1, 1);
      lock(s1, 1);
      lock(s1, 1);
      PendingCall waiting = h.call(s1, await("c", 1, FOREVER));
      assertFalse(lockState().getLocked());
      lock(s2, 5);
      signalOne(s2, 5);
      unlock(s2, 5);
      assertTrue(awaited(waiting).getSignalled());
      assertEquals(3, lockState().getHoldCount());
      unlock(s1, 1);
      unlock(s1, 1);
      unlock(s1, 1);
      assertFalse(lockState().getLocked());
    }

    @Test
    void await_withoutHoldingTheLock_isNotOwner() {
      newCondition(ObjectType.LOCK);
      PendingCall free = h.call(s1, await("c", 1, FOREVER));
      assertEquals(ErrorReason.NOT_OWNER, free.failure().getReason());
      lock(s2, 1);
      assertEquals(ErrorReason.NOT_OWNER, h.call(s1, await("c", 1, FOREVER)).failure().getReason());
      assertEquals(ErrorReason.NOT_OWNER, h.call(s2, await("c", 2, FOREVER)).failure().getReason());
      assertEquals(Session.labelOf(s2), lockState().getHolder().getSessionLabel());
    }

    @Test
    void signal_withoutHoldingTheLock_isNotOwner() {
      newCondition(ObjectType.LOCK);
      lock(s1, 1);
      PendingCall waiting = h.call(s1, await("c", 1, FOREVER));
      PendingCall bad = h.call(s2, signal("c", 1, 1, false));
      assertEquals(ErrorReason.NOT_OWNER, bad.failure().getReason());
      assertFalse(waiting.isDone());
      assertEquals(1, h.call(s1, describe("c")).reply().getObjectDescribe().getInfo().getWaiters());
    }

    @Test
    void signal_withNoWaiters_wakesNone() {
      newCondition(ObjectType.LOCK);
      lock(s1, 1);
      assertEquals(0, signalOne(s1, 1));
      assertEquals(0, h.call(s1, signal("c", 1, 0, true)).reply().getConditionSignal().getWoken());
    }

    @Test
    void signal_wakesOldestWaitersFirst_countZeroMeansOne_allWakesTheRest() {
      newCondition(ObjectType.LOCK);
      PendingCall[] waiters = new PendingCall[4];
      for (int i = 0; i < 4; i++) {
        lock(s1, 10 + i);
        waiters[i] = h.call(s1, await("c", 10 + i, FOREVER));
      }
      lock(s2, 1);
      assertEquals(1, h.call(s2, signal("c", 1, 0, false)).reply().getConditionSignal().getWoken());
      assertEquals(2, h.call(s2, signal("c", 1, 2, false)).reply().getConditionSignal().getWoken());
      unlock(s2, 1);
      // Woken waiters take the lock back one at a time, in the order they were woken.
      assertTrue(awaited(waiters[0]).getSignalled());
      assertFalse(waiters[1].isDone());
      unlock(s1, 10);
      assertTrue(awaited(waiters[1]).getSignalled());
      unlock(s1, 11);
      assertTrue(awaited(waiters[2]).getSignalled());
      assertEquals(1, h.call(s1, signal("c", 12, 0, true)).reply().getConditionSignal().getWoken());
      unlock(s1, 12);
      assertTrue(awaited(waiters[3]).getSignalled());
      assertEquals(13, lockState().getHolder().getThreadId());
    }

    @Test
    void signalledWaiter_queuesBehindEarlierLockWaiters() {
      newCondition(ObjectType.LOCK);
      lock(s1, 1);
      PendingCall waiting = h.call(s1, await("c", 1, FOREVER));
      lock(s2, 1);
      PendingCall lockWaiter = h.call(s2, acquire("l", 2, FOREVER));
      signalOne(s2, 1);
      unlock(s2, 1);
      assertTrue(lockWaiter.reply().getLockAcquire().getAcquired());
      assertFalse(waiting.isDone());
      unlock(s2, 2);
      assertTrue(awaited(waiting).getSignalled());
    }

    @Test
    void signal_count_isNegative_isInvalid() {
      newCondition(ObjectType.LOCK);
      lock(s1, 1);
      assertEquals(
          ErrorReason.INVALID_REQUEST, h.call(s1, signal("c", 1, -1, false)).failure().getReason());
    }
  }

  @Nested
  class Timeouts {
    @Test
    void await_timesOutExactlyAtDeadline_andTakesTheFreeLockBack() {
      newCondition(ObjectType.LOCK);
      long token = lock(s1, 1);
      PendingCall waiting = h.call(s1, await("c", 1, 300));
      h.advance(299);
      assertFalse(waiting.isDone());
      h.advance(1);
      ConditionAwaitResponse timedOut = awaited(waiting);
      assertFalse(timedOut.getSignalled());
      assertEquals(token + 1, timedOut.getFencingToken());
      assertEquals(Session.labelOf(s1), lockState().getHolder().getSessionLabel());
    }

    @Test
    void await_timedOut_whileLockIsHeld_repliesOnlyOnceLockIsFree() {
      newCondition(ObjectType.LOCK);
      lock(s1, 1);
      PendingCall waiting = h.call(s1, await("c", 1, 100));
      lock(s2, 1);
      h.advance(100);
      assertFalse(waiting.isDone());
      // A signal now finds no one waiting for it: the timed-out await waits only for the lock.
      assertEquals(0, signalOne(s2, 1));
      unlock(s2, 1);
      assertFalse(awaited(waiting).getSignalled());
    }

    @Test
    void await_withZeroTimeout_neverParks_andKeepsTheLock() {
      newCondition(ObjectType.RLOCK);
      long token = lock(s1, 1);
      lock(s1, 1);
      PendingCall other = h.call(s2, acquire("l", 1, FOREVER));
      ConditionAwaitResponse now = awaited(h.call(s1, await("c", 1, 0)));
      assertFalse(now.getSignalled());
      assertEquals(token, now.getFencingToken());
      assertEquals(2, lockState().getHoldCount());
      assertFalse(other.isDone());
    }

    @Test
    void deadlinePassingAfterSignal_doesNotDisturbTheReacquire() {
      newCondition(ObjectType.LOCK);
      lock(s1, 1);
      PendingCall waiting = h.call(s1, await("c", 1, 100));
      lock(s2, 1);
      signalOne(s2, 1);
      h.advance(500);
      assertFalse(waiting.isDone());
      unlock(s2, 1);
      assertTrue(awaited(waiting).getSignalled());
    }

    @Test
    void reacquiringAfterDeadline_canStillBeCancelled() {
      newCondition(ObjectType.LOCK);
      lock(s1, 1);
      PendingCall waiting = h.call(s1, await("c", 1, 100));
      lock(s2, 1);
      h.advance(100);
      h.cancel(s1, waiting);
      assertEquals(ErrorReason.CANCELLED, waiting.failure().getReason());
      unlock(s2, 1);
      assertFalse(lockState().getLocked());
      assertEquals(0, lockState().getWaiters());
    }

    @Test
    void negativeTimeout_isInvalid_andKeepsTheLock() {
      newCondition(ObjectType.LOCK);
      lock(s1, 1);
      assertEquals(
          ErrorReason.INVALID_REQUEST, h.call(s1, await("c", 1, -3)).failure().getReason());
      assertTrue(lockState().getLocked());
    }
  }

  @Nested
  class Cancellation {
    @Test
    void cancelWhileWaitingForSignal_removesTheWaiter() {
      newCondition(ObjectType.LOCK);
      lock(s1, 1);
      PendingCall cancelled = h.call(s1, await("c", 1, FOREVER));
      lock(s1, 2);
      PendingCall kept = h.call(s1, await("c", 2, FOREVER));
      h.cancel(s1, cancelled);
      assertEquals(ErrorReason.CANCELLED, cancelled.failure().getReason());
      lock(s2, 1);
      assertEquals(1, signalOne(s2, 1));
      assertEquals(0, signalOne(s2, 1));
      unlock(s2, 1);
      assertTrue(awaited(kept).getSignalled());
      assertEquals(2, lockState().getHolder().getThreadId());
    }

    @Test
    void cancelWhileReacquiring_removesItFromTheLockQueue() {
      newCondition(ObjectType.LOCK);
      lock(s1, 1);
      PendingCall cancelled = h.call(s1, await("c", 1, FOREVER));
      lock(s2, 1);
      signalOne(s2, 1);
      PendingCall next = h.call(s2, acquire("l", 2, FOREVER));
      h.cancel(s1, cancelled);
      assertEquals(ErrorReason.CANCELLED, cancelled.failure().getReason());
      unlock(s2, 1);
      assertTrue(next.reply().getLockAcquire().getAcquired());
      assertEquals(0, lockState().getWaiters());
    }

    @Test
    void sessionExpiryOfAwaiter_dropsItsWait() {
      h.session("dying", 2_000);
      newCondition(ObjectType.LOCK);
      lock("dying", 1);
      PendingCall waiting = h.call("dying", await("c", 1, FOREVER));
      h.advance(2_000);
      assertEquals(ErrorReason.CANCELLED, waiting.failure().getReason());
      lock(s1, 1);
      assertEquals(0, signalOne(s1, 1));
    }

    @Test
    void sessionExpiryOfSignaller_passesTheLockToTheSignalledWaiter() {
      h.session("dying", 2_000);
      newCondition(ObjectType.LOCK);
      lock(s1, 1);
      PendingCall waiting = h.call(s1, await("c", 1, FOREVER));
      long token = lock("dying", 1);
      h.call("dying", signal("c", 1, 1, false)).reply();
      h.advance(2_000);
      ConditionAwaitResponse woke = awaited(waiting);
      assertTrue(woke.getSignalled());
      assertTrue(woke.getFencingToken() > token);
    }
  }

  @Nested
  class Lifecycle {
    @Test
    void create_onMissingLock_isNotFound() {
      assertEquals(
          ErrorReason.OBJECT_NOT_FOUND,
          h.call(s1, create(condition("c", "nope"))).failure().getReason());
    }

    @Test
    void create_again_withAnotherLock_isOptionsConflict() {
      newCondition(ObjectType.LOCK);
      h.create(s1, "other", ObjectType.LOCK);
      h.call(s2, create(condition("c", "l"))).reply();
      assertEquals(
          ErrorReason.OPTIONS_CONFLICT,
          h.call(s2, create(condition("c", "other"))).failure().getReason());
    }

    @Test
    void conditionOp_onLockName_isWrongType() {
      newCondition(ObjectType.LOCK);
      lock(s1, 1);
      assertEquals(
          ErrorReason.WRONG_TYPE, h.call(s1, await("l", 1, FOREVER)).failure().getReason());
      assertEquals(
          ErrorReason.WRONG_TYPE, h.call(s1, signal("l", 1, 1, false)).failure().getReason());
    }

    @Test
    void delete_failsWaitersInBothPhases() {
      newCondition(ObjectType.LOCK);
      lock(s1, 1);
      PendingCall signalled = h.call(s1, await("c", 1, FOREVER));
      lock(s1, 2);
      PendingCall unsignalled = h.call(s1, await("c", 2, FOREVER));
      lock(s2, 1);
      signalOne(s2, 1);
      assertEquals(2, h.call(s1, describe("c")).reply().getObjectDescribe().getInfo().getWaiters());
      h.call(s1, delete("c")).reply();
      assertEquals(ErrorReason.OBJECT_NOT_FOUND, signalled.failure().getReason());
      assertEquals(ErrorReason.OBJECT_NOT_FOUND, unsignalled.failure().getReason());
      assertEquals(0, lockState().getWaiters());
    }

    @Test
    void lockDeletedWhileAnAwaitWaitsForASignal_itsTimeoutFailsIt_andTheSessionHoldsNothing() {
      newCondition(ObjectType.LOCK);
      lock(s1, 1);
      PendingCall await = h.call(s1, await("c", 1, 1_000));
      h.call(s2, delete("l")).reply();
      h.advance(1_001);
      assertEquals(ErrorReason.OBJECT_NOT_FOUND, await.failure().getReason());
      // Found by SnapshotReplayTest's streams: the timed-out await took the deleted lock, and the
      // snapshot then named a holding of an object that no longer existed.
      var snapshot = h.core.snapshot();
      assertEquals(
          snapshot,
          CoordinatorCore.restore(h.core.limits(), h.core.options(), snapshot).snapshot());
    }

    @Test
    void deletedLock_makesConditionUnusable() {
      newCondition(ObjectType.LOCK);
      h.call(s1, delete("l")).reply();
      h.create(s1, "l", ObjectType.LOCK);
      lock(s1, 1);
      PendingCall await = h.call(s1, await("c", 1, FOREVER));
      assertEquals(ErrorReason.OBJECT_NOT_FOUND, await.failure().getReason());
      assertTrue(lockState().getLocked());
    }
  }
}
