package dev.colony.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.proto.v1.BarrierAbortRequest;
import dev.colony.proto.v1.BarrierAwaitRequest;
import dev.colony.proto.v1.BarrierInfoRequest;
import dev.colony.proto.v1.BarrierInfoResponse;
import dev.colony.proto.v1.BarrierOptions;
import dev.colony.proto.v1.BarrierResetRequest;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectDescribeRequest;
import dev.colony.proto.v1.ObjectInfo;
import dev.colony.proto.v1.ObjectType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BarrierObjectTest {
  private final CoreHarness h = new CoreHarness();
  private String s;

  @BeforeEach
  void createBarrier() {
    s = h.session("s1");
    h.create(s, barrier("b", 3));
  }

  @Test
  void await_byAllParties_releasesEveryoneWithArrivalIndexes() {
    var first = await(s, null);
    var second = await(s, 10_000L);
    assertFalse(first.isDone());
    assertFalse(second.isDone());
    assertEquals(2, info().getWaiting());

    var last = await(s, null);

    assertEquals(2, first.reply().getBarrierAwait().getArrivalIndex());
    assertEquals(1, second.reply().getBarrierAwait().getArrivalIndex());
    assertEquals(0, last.reply().getBarrierAwait().getArrivalIndex());
    assertEquals(0, info().getWaiting());
  }

  @Test
  void await_overThreeGenerations_isCyclic() {
    for (int round = 0; round < 3; round++) {
      var first = await(s, null);
      var second = await(s, null);
      assertEquals(2, info().getWaiting());
      var last = await(s, null);
      assertEquals(2, first.reply().getBarrierAwait().getArrivalIndex(), "round " + round);
      assertEquals(1, second.reply().getBarrierAwait().getArrivalIndex(), "round " + round);
      assertEquals(0, last.reply().getBarrierAwait().getArrivalIndex(), "round " + round);
      assertEquals(0, info().getWaiting());
      assertFalse(info().getBroken());
    }
  }

  @Test
  void await_onSinglePartyBarrier_returnsIndexZeroAtOnce() {
    h.create(s, barrier("solo", 1));
    var call =
        h.call(
            s, Call.newBuilder().setBarrierAwait(BarrierAwaitRequest.newBuilder().setName("solo")));
    assertEquals(0, call.reply().getBarrierAwait().getArrivalIndex());
  }

  @Test
  void create_withFewerThanOneParty_failsInvalidArgument() {
    for (int parties : new int[] {0, -2}) {
      var create = h.call(s, Call.newBuilder().setObjectCreate(barrier("bad" + parties, parties)));
      ExpectFailure.of(create, CoreException.Code.INVALID_ARGUMENT, ErrorReason.INVALID_REQUEST);
    }
  }

  @Test
  void create_again_acceptsSameOrUnsetPartiesAndRefusesOthers() {
    h.create(s, barrier("b", 3));
    h.create(s, barrier("b", 0));
    h.create(s, ObjectCreateRequest.newBuilder().setName("b").setType(ObjectType.BARRIER));
    var conflict = h.call(s, Call.newBuilder().setObjectCreate(barrier("b", 4)));
    var failure =
        ExpectFailure.of(
            conflict, CoreException.Code.FAILED_PRECONDITION, ErrorReason.OPTIONS_CONFLICT);
    assertTrue(failure.getMessage().contains("parties=3"), failure.getMessage());
  }

  @Test
  void await_timingOut_breaksBarrierExactlyAtDeadline() {
    var patient = await(s, null);
    var impatient = await(h.session("s2"), 500L);
    h.advance(499);
    assertFalse(impatient.isDone());
    assertFalse(patient.isDone());

    h.advance(1);

    ExpectFailure.of(impatient, CoreException.Code.DEADLINE_EXCEEDED, ErrorReason.TIMED_OUT);
    ExpectFailure.of(patient, CoreException.Code.FAILED_PRECONDITION, ErrorReason.BROKEN_BARRIER);
    assertTrue(info().getBroken());
    assertEquals(0, info().getWaiting());
    ExpectFailure.of(
        await(s, null), CoreException.Code.FAILED_PRECONDITION, ErrorReason.BROKEN_BARRIER);
  }

  @Test
  void await_withTimeoutZero_neverParksAndBreaksBarrier() {
    var waiting = await(s, null);
    var noWait = await(s, 0L);
    ExpectFailure.of(noWait, CoreException.Code.DEADLINE_EXCEEDED, ErrorReason.TIMED_OUT);
    ExpectFailure.of(waiting, CoreException.Code.FAILED_PRECONDITION, ErrorReason.BROKEN_BARRIER);
    assertEquals(0, info().getWaiting());
    assertTrue(info().getBroken());
  }

  @Test
  void await_withTimeoutZero_byLastParty_tripsBarrier() {
    var first = await(s, null);
    var second = await(s, null);
    var last = await(s, 0L);
    assertEquals(0, last.reply().getBarrierAwait().getArrivalIndex());
    assertEquals(2, first.reply().getBarrierAwait().getArrivalIndex());
    assertEquals(1, second.reply().getBarrierAwait().getArrivalIndex());
  }

  @Test
  void abort_failsWaitersAndLaterAwaitsUntilReset() {
    var waiting = await(s, null);
    h.call(s, Call.newBuilder().setBarrierAbort(BarrierAbortRequest.newBuilder().setName("b")))
        .reply();
    ExpectFailure.of(waiting, CoreException.Code.FAILED_PRECONDITION, ErrorReason.BROKEN_BARRIER);
    ExpectFailure.of(
        await(s, null), CoreException.Code.FAILED_PRECONDITION, ErrorReason.BROKEN_BARRIER);
    assertTrue(info().getBroken());

    reset();

    assertFalse(info().getBroken());
    var first = await(s, null);
    var second = await(s, null);
    var last = await(s, null);
    assertEquals(2, first.reply().getBarrierAwait().getArrivalIndex());
    assertEquals(1, second.reply().getBarrierAwait().getArrivalIndex());
    assertEquals(0, last.reply().getBarrierAwait().getArrivalIndex());
  }

  @Test
  void reset_failsCurrentWaitersAndLeavesBarrierFresh() {
    var first = await(s, null);
    var second = await(s, null);
    reset();
    ExpectFailure.of(first, CoreException.Code.FAILED_PRECONDITION, ErrorReason.BROKEN_BARRIER);
    ExpectFailure.of(second, CoreException.Code.FAILED_PRECONDITION, ErrorReason.BROKEN_BARRIER);
    BarrierInfoResponse after = info();
    assertFalse(after.getBroken());
    assertEquals(0, after.getWaiting());
    // A new generation needs all three parties again.
    var next = await(s, null);
    assertFalse(next.isDone());
    assertEquals(1, info().getWaiting());
  }

  @Test
  void cancel_ofWaiter_breaksBarrierForTheOthers() {
    var other = await(s, null);
    var gone = await(s, null);
    h.cancel(s, gone);
    ExpectFailure.of(gone, CoreException.Code.CANCELLED, ErrorReason.CANCELLED);
    ExpectFailure.of(other, CoreException.Code.FAILED_PRECONDITION, ErrorReason.BROKEN_BARRIER);
    assertTrue(info().getBroken());
    assertEquals(0, info().getWaiting());
  }

  @Test
  void sessionExpiry_cancelsItsWaiterAndBreaksBarrierForTheOthers() {
    String shortLived = h.session("short", 2_000);
    var other = await(s, null);
    var dying = await(shortLived, null);
    h.advance(1_999);
    assertFalse(dying.isDone());
    h.advance(1);
    ExpectFailure.of(dying, CoreException.Code.CANCELLED, ErrorReason.CANCELLED);
    ExpectFailure.of(other, CoreException.Code.FAILED_PRECONDITION, ErrorReason.BROKEN_BARRIER);
    assertTrue(info().getBroken());
  }

  @Test
  void sessionExpiry_withTwoWaitersInOneSession_repliesOnceToEach() {
    String shortLived = h.session("short", 2_000);
    var a = await(shortLived, null);
    var b = await(shortLived, null);
    h.advance(2_000);
    // The first cancellation breaks the barrier and fails the second; each gets one reply.
    a.failure();
    b.failure();
    assertEquals(0, info().getWaiting());
  }

  @Test
  void barrierInfo_andObjectInfo_reportPartiesWaitingAndBroken() {
    await(s, null);
    BarrierInfoResponse barrierInfo = info();
    assertEquals(3, barrierInfo.getParties());
    assertEquals(1, barrierInfo.getWaiting());
    assertFalse(barrierInfo.getBroken());
    ObjectInfo objectInfo = describe();
    assertEquals(1, objectInfo.getSize());
    assertEquals(1, objectInfo.getWaiters());
    assertEquals("parties=3", objectInfo.getDetail());
    h.call(s, Call.newBuilder().setBarrierAbort(BarrierAbortRequest.newBuilder().setName("b")))
        .reply();
    assertEquals("parties=3 broken", describe().getDetail());
  }

  private static ObjectCreateRequest.Builder barrier(String name, int parties) {
    return ObjectCreateRequest.newBuilder()
        .setName(name)
        .setType(ObjectType.BARRIER)
        .setBarrier(BarrierOptions.newBuilder().setParties(parties));
  }

  private CoreHarness.PendingCall await(String session, Long timeoutMs) {
    BarrierAwaitRequest.Builder await = BarrierAwaitRequest.newBuilder().setName("b");
    if (timeoutMs != null) {
      await.setTimeoutMs(timeoutMs);
    }
    return h.call(session, Call.newBuilder().setBarrierAwait(await));
  }

  private void reset() {
    h.call(s, Call.newBuilder().setBarrierReset(BarrierResetRequest.newBuilder().setName("b")))
        .reply();
  }

  private BarrierInfoResponse info() {
    return h.call(s, Call.newBuilder().setBarrierInfo(BarrierInfoRequest.newBuilder().setName("b")))
        .reply()
        .getBarrierInfo();
  }

  private ObjectInfo describe() {
    return h.call(
            s, Call.newBuilder().setObjectDescribe(ObjectDescribeRequest.newBuilder().setName("b")))
        .reply()
        .getObjectDescribe()
        .getInfo();
  }
}
