package dev.colony.server.core;

import static dev.colony.server.core.SyncCalls.FOREVER;
import static dev.colony.server.core.SyncCalls.acquire;
import static dev.colony.server.core.SyncCalls.create;
import static dev.colony.server.core.SyncCalls.delete;
import static dev.colony.server.core.SyncCalls.describe;
import static dev.colony.server.core.SyncCalls.lockInfo;
import static dev.colony.server.core.SyncCalls.release;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.LockAcquireResponse;
import dev.colony.proto.v1.LockInfoResponse;
import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectType;
import dev.colony.proto.v1.QueueKind;
import dev.colony.proto.v1.QueueOptions;
import dev.colony.server.core.CoreHarness.PendingCall;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class LockObjectTest {
  private final CoreHarness h = new CoreHarness();
  private final String s1 = h.session("s1");
  private final String s2 = h.session("s2");

  private static LockAcquireResponse granted(PendingCall call) {
    LockAcquireResponse response = call.reply().getLockAcquire();
    assertTrue(response.getAcquired(), "expected the lock to be granted");
    return response;
  }

  private LockInfoResponse info() {
    return h.call(s1, lockInfo("l")).reply().getLockInfo();
  }

  private int releaseHold(String session, long thread) {
    return h.call(session, SyncCalls.release("l", thread)).reply().getLockRelease().getHoldCount();
  }

  @Nested
  class PlainLock {
    @Test
    void acquire_onFreeLock_grantsFirstFencingToken() {
      h.create(s1, "l", ObjectType.LOCK);
      LockAcquireResponse first = granted(h.call(s1, acquire("l", 1, FOREVER)));
      assertEquals(1, first.getFencingToken());
      assertEquals(1, first.getHoldCount());
      assertEquals(0, releaseHold(s1, 1));
      assertFalse(info().getLocked());
      assertEquals(2, granted(h.call(s2, acquire("l", 1, 0))).getFencingToken());
    }

    @Test
    void acquire_bySameOwnerAgain_waitsLikeAnyoneElse() {
      h.create(s1, "l", ObjectType.LOCK);
      granted(h.call(s1, acquire("l", 1, FOREVER)));
      assertFalse(h.call(s1, acquire("l", 1, 0)).reply().getLockAcquire().getAcquired());
      PendingCall again = h.call(s1, acquire("l", 1, FOREVER));
      assertFalse(again.isDone());
      assertEquals(1, info().getHoldCount());
      assertEquals(0, releaseHold(s1, 1));
      LockAcquireResponse regrant = granted(again);
      assertEquals(2, regrant.getFencingToken());
      assertEquals(1, regrant.getHoldCount());
    }

    @Test
    void waiters_areServedInFifoOrder_withIncreasingTokens() {
      h.create(s1, "l", ObjectType.LOCK);
      String s3 = h.session("s3");
      granted(h.call(s1, acquire("l", 1, FOREVER)));
      PendingCall b = h.call(s2, acquire("l", 1, FOREVER));
      PendingCall c = h.call(s3, acquire("l", 1, FOREVER));
      PendingCall d = h.call(s2, acquire("l", 2, FOREVER));
      assertEquals(3, info().getWaiters());
      releaseHold(s1, 1);
      assertEquals(2, granted(b).getFencingToken());
      assertFalse(c.isDone());
      releaseHold(s2, 1);
      assertEquals(3, granted(c).getFencingToken());
      assertFalse(d.isDone());
      releaseHold(s3, 1);
      assertEquals(4, granted(d).getFencingToken());
      assertEquals(Session.labelOf(s2), info().getHolder().getSessionLabel());
      assertEquals(2, info().getHolder().getThreadId());
    }

    @Test
    void acquire_timesOutExactlyAtDeadline() {
      h.create(s1, "l", ObjectType.LOCK);
      granted(h.call(s1, acquire("l", 1, FOREVER)));
      PendingCall waiting = h.call(s2, acquire("l", 1, 250));
      h.advance(249);
      assertFalse(waiting.isDone());
      h.advance(1);
      assertFalse(waiting.reply().getLockAcquire().getAcquired());
      assertEquals(0, info().getWaiters());
      releaseHold(s1, 1);
      assertFalse(info().getLocked());
    }

    @Test
    void acquire_withZeroTimeout_neverParks() {
      h.create(s1, "l", ObjectType.LOCK);
      granted(h.call(s1, acquire("l", 1, FOREVER)));
      PendingCall attempt = h.call(s2, acquire("l", 1, 0));
      assertFalse(attempt.reply().getLockAcquire().getAcquired());
      assertEquals(0, info().getWaiters());
      assertEquals(0, h.core.sessions().stream().mapToInt(Session::pendingCalls).sum());
    }

    @Test
    void cancelledWaiter_isSkipped_whenLockPassesOn() {
      h.create(s1, "l", ObjectType.LOCK);
      granted(h.call(s1, acquire("l", 1, FOREVER)));
      PendingCall cancelled = h.call(s2, acquire("l", 1, FOREVER));
      PendingCall next = h.call(s2, acquire("l", 2, FOREVER));
      h.cancel(s2, cancelled);
      assertEquals(ErrorReason.CANCELLED, cancelled.failure().getReason());
      releaseHold(s1, 1);
      assertEquals(2, info().getHolder().getThreadId());
      assertEquals(2, granted(next).getFencingToken());
    }

    @Test
    void cancelledOnlyWaiter_leavesLockFreeAfterRelease() {
      h.create(s1, "l", ObjectType.LOCK);
      granted(h.call(s1, acquire("l", 1, FOREVER)));
      PendingCall cancelled = h.call(s2, acquire("l", 1, FOREVER));
      h.cancel(s2, cancelled);
      releaseHold(s1, 1);
      assertFalse(info().getLocked());
      assertEquals(0, info().getWaiters());
    }

    @Test
    void negativeTimeout_isInvalid() {
      h.create(s1, "l", ObjectType.LOCK);
      assertEquals(
          ErrorReason.INVALID_REQUEST, h.call(s1, acquire("l", 1, -7)).failure().getReason());
      assertFalse(info().getLocked());
    }
  }

  @Nested
  class Ownership {
    @Test
    void release_byAnotherSession_isNotOwner_namingTheHolder() {
      h.create(s1, "l", ObjectType.LOCK);
      granted(h.call(s1, acquire("l", 7, FOREVER)));
      PendingCall bad = h.call(s2, release("l", 7));
      assertEquals(ErrorReason.NOT_OWNER, bad.failure().getReason());
      assertEquals(CoreException.Code.FAILED_PRECONDITION.number, bad.failure().getCode());
      assertTrue(
          bad.failure().getMessage().contains("session " + Session.labelOf(s1) + " thread 7")
              && !bad.failure().getMessage().contains("session " + s1),
          bad.failure().getMessage());
      assertTrue(info().getLocked());
    }

    @Test
    void release_byAnotherThreadOfTheHolderSession_isNotOwner() {
      h.create(s1, "l", ObjectType.RLOCK);
      granted(h.call(s1, acquire("l", 1, FOREVER)));
      assertEquals(ErrorReason.NOT_OWNER, h.call(s1, release("l", 2)).failure().getReason());
      assertEquals(1, info().getHoldCount());
    }

    @Test
    void release_ofFreeLock_isNotOwner() {
      h.create(s1, "l", ObjectType.LOCK);
      PendingCall bad = h.call(s1, release("l", 1));
      assertEquals(ErrorReason.NOT_OWNER, bad.failure().getReason());
      assertTrue(bad.failure().getMessage().contains("not held"), bad.failure().getMessage());
    }

    @Test
    void sessionExpiry_passesLockToNextWaiter_withHigherToken() {
      h.session("dying", 2_000);
      h.create(s1, "l", ObjectType.LOCK);
      long token = granted(h.call("dying", acquire("l", 1, FOREVER))).getFencingToken();
      PendingCall waiting = h.call(s1, acquire("l", 1, FOREVER));
      h.advance(1_999);
      assertFalse(waiting.isDone());
      h.advance(1);
      LockAcquireResponse next = granted(waiting);
      assertTrue(next.getFencingToken() > token);
      assertEquals(Session.labelOf(s1), info().getHolder().getSessionLabel());
    }

    @Test
    void sessionClose_ofHolder_skipsWaitersOfEndedSessions() {
      h.session("a");
      h.session("b");
      h.create(s1, "l", ObjectType.LOCK);
      granted(h.call("a", acquire("l", 1, FOREVER)));
      PendingCall fromB = h.call("b", acquire("l", 1, FOREVER));
      PendingCall fromS1 = h.call(s1, acquire("l", 1, FOREVER));
      h.closeSession("b");
      assertEquals(ErrorReason.CANCELLED, fromB.failure().getReason());
      h.closeSession("a");
      assertEquals(Session.labelOf(s1), info().getHolder().getSessionLabel());
      assertEquals(2, granted(fromS1).getFencingToken());
    }

    @Test
    void sessionClose_withoutWaiters_freesLock() {
      h.create(s1, "l", ObjectType.RLOCK);
      granted(h.call(s2, acquire("l", 1, FOREVER)));
      granted(h.call(s2, acquire("l", 1, FOREVER)));
      h.closeSession(s2);
      assertFalse(info().getLocked());
      assertEquals(0, info().getHoldCount());
      assertEquals(2, granted(h.call(s1, acquire("l", 1, 0))).getFencingToken());
    }
  }

  @Nested
  class Reentrant {
    @Test
    void rlock_sameOwner_countsHolds_withTheSameToken() {
      h.create(s1, "l", ObjectType.RLOCK);
      assertEquals(1, granted(h.call(s1, acquire("l", 1, FOREVER))).getHoldCount());
      LockAcquireResponse second = granted(h.call(s1, acquire("l", 1, 0)));
      LockAcquireResponse third = granted(h.call(s1, acquire("l", 1, FOREVER)));
      assertEquals(2, second.getHoldCount());
      assertEquals(3, third.getHoldCount());
      assertEquals(1, third.getFencingToken());
      PendingCall other = h.call(s2, acquire("l", 1, FOREVER));
      assertEquals(2, releaseHold(s1, 1));
      assertEquals(1, releaseHold(s1, 1));
      assertFalse(other.isDone());
      assertEquals(0, releaseHold(s1, 1));
      assertEquals(2, granted(other).getFencingToken());
    }

    @Test
    void rlock_otherThreadOfSameSession_waits() {
      h.create(s1, "l", ObjectType.RLOCK);
      granted(h.call(s1, acquire("l", 1, FOREVER)));
      assertFalse(h.call(s1, acquire("l", 2, 0)).reply().getLockAcquire().getAcquired());
    }

    @Test
    void rlock_releasedMoreThanAcquired_isNotOwner() {
      h.create(s1, "l", ObjectType.RLOCK);
      granted(h.call(s1, acquire("l", 1, FOREVER)));
      releaseHold(s1, 1);
      assertEquals(ErrorReason.NOT_OWNER, h.call(s1, release("l", 1)).failure().getReason());
    }
  }

  @Nested
  class Lifecycle {
    @Test
    void info_listsHolderTokenAndWaiters() {
      h.create(s1, "l", ObjectType.RLOCK);
      granted(h.call(s1, acquire("l", 3, FOREVER)));
      granted(h.call(s1, acquire("l", 3, FOREVER)));
      h.call(s2, acquire("l", 1, FOREVER));
      LockInfoResponse info = info();
      assertTrue(info.getLocked());
      assertEquals(2, info.getHoldCount());
      assertEquals(1, info.getWaiters());
      assertEquals(1, info.getFencingToken());
      assertEquals("test-s1", info.getHolder().getClientName());
      var summary = h.call(s1, describe("l")).reply().getObjectDescribe().getInfo();
      assertEquals(1, summary.getSize());
      assertEquals(1, summary.getWaiters());
      assertEquals(1, summary.getFencingToken());
      assertEquals(Session.labelOf(s1), summary.getHolders(0).getSessionLabel());
      assertEquals(3, summary.getHolders(0).getThreadId());
    }

    @Test
    void lockOp_onQueueName_isWrongType() {
      h.create(s1, "q", ObjectType.QUEUE);
      assertEquals(
          ErrorReason.WRONG_TYPE, h.call(s1, acquire("q", 1, FOREVER)).failure().getReason());
      assertEquals(ErrorReason.WRONG_TYPE, h.call(s1, release("q", 1)).failure().getReason());
      assertEquals(ErrorReason.WRONG_TYPE, h.call(s1, lockInfo("q")).failure().getReason());
    }

    @Test
    void create_asRlock_whenLockExists_isWrongType() {
      h.create(s1, "l", ObjectType.LOCK);
      PendingCall again =
          h.call(
              s1, create(ObjectCreateRequest.newBuilder().setName("l").setType(ObjectType.RLOCK)));
      assertEquals(ErrorReason.WRONG_TYPE, again.failure().getReason());
    }

    @Test
    void create_withOptions_isInvalid() {
      PendingCall bad =
          h.call(
              s1,
              create(
                  ObjectCreateRequest.newBuilder()
                      .setName("l")
                      .setType(ObjectType.LOCK)
                      .setQueue(QueueOptions.newBuilder().setKind(QueueKind.FIFO))));
      assertEquals(ErrorReason.INVALID_REQUEST, bad.failure().getReason());
      assertEquals(ErrorReason.OBJECT_NOT_FOUND, h.call(s1, lockInfo("l")).failure().getReason());
    }

    @Test
    void delete_failsWaiters_andForgetsHolder() {
      h.create(s1, "l", ObjectType.LOCK);
      granted(h.call(s1, acquire("l", 1, FOREVER)));
      PendingCall waiting = h.call(s2, acquire("l", 1, FOREVER));
      h.call(s1, delete("l")).reply();
      assertEquals(ErrorReason.OBJECT_NOT_FOUND, waiting.failure().getReason());
      h.create(s1, "l", ObjectType.LOCK);
      // A new lock under the old name: the old holder holds nothing and ending it is harmless.
      h.closeSession(s1);
      assertEquals(1, granted(h.call(s2, acquire("l", 1, 0))).getFencingToken());
    }
  }
}
