package dev.colony.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.proto.v1.BarrierActionDoneRequest;
import dev.colony.proto.v1.BarrierAwaitRequest;
import dev.colony.proto.v1.BarrierAwaitResponse;
import dev.colony.proto.v1.BarrierInfoRequest;
import dev.colony.proto.v1.BarrierOptions;
import dev.colony.proto.v1.BarrierResetRequest;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectType;
import dev.colony.server.core.CoreHarness.PendingCall;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The barrier action protocol: the tripping party runs it, the others wait for its outcome. */
class BarrierActionTest {
  private final CoreHarness h = new CoreHarness();
  private String s1;
  private String s2;

  @BeforeEach
  void createBarrier() {
    s1 = h.session("s1");
    s2 = h.session("s2");
    h.create(
        s1,
        ObjectCreateRequest.newBuilder()
            .setName("b")
            .setType(ObjectType.BARRIER)
            .setBarrier(BarrierOptions.newBuilder().setParties(2)));
  }

  @Test
  void trippingPartyWithAnAction_runsIt_andTheOthersAreReleasedWhenItIsDone() {
    PendingCall first = await(s1, 1_000L, true);
    BarrierAwaitResponse tripping = await(s2, null, true).reply().getBarrierAwait();
    assertTrue(tripping.getRunAction());
    assertEquals(0, tripping.getArrivalIndex());
    // Its timeout passes while the action runs: only the action's outcome counts now.
    h.advance(5_000);
    assertFalse(first.isDone());

    done(s2, tripping.getActionId(), false).reply();

    assertEquals(1, first.reply().getBarrierAwait().getArrivalIndex());
    assertFalse(first.reply().getBarrierAwait().getRunAction());
    assertFalse(info().getBroken());
  }

  @Test
  void trippingPartyWithoutAnAction_tripsAtOnce_evenIfAnotherPartyHasOne() {
    PendingCall first = await(s1, null, true);
    assertFalse(await(s2, null, false).reply().getBarrierAwait().getRunAction());
    assertEquals(1, first.reply().getBarrierAwait().getArrivalIndex());
  }

  @Test
  void failedAction_breaksTheBarrierForTheOthers() {
    PendingCall first = await(s1, null, false);
    long action = await(s2, null, true).reply().getBarrierAwait().getActionId();

    done(s2, action, true).reply();

    assertEquals(ErrorReason.BROKEN_BARRIER, first.failure().getReason());
    assertTrue(first.failure().getMessage().contains("the barrier action failed: boom"));
    assertTrue(info().getBroken());
  }

  @Test
  void sessionOfTheRunnerEnding_breaksTheBarrier_ratherThanLeavingThePartiesWaiting() {
    PendingCall first = await(s1, null, false);
    await(s2, null, true).reply();

    h.closeSession(s2);

    assertEquals(ErrorReason.BROKEN_BARRIER, first.failure().getReason());
    assertTrue(info().getBroken());
  }

  @Test
  void arrivalsDuringTheAction_joinTheNextGenerationOnceItIsDone() {
    PendingCall first = await(s1, null, false);
    long action = await(s2, null, true).reply().getBarrierAwait().getActionId();
    PendingCall early = await(s1, null, false);
    assertEquals(0, info().getWaiting());

    done(s2, action, false).reply();

    first.reply();
    assertFalse(early.isDone());
    assertEquals(1, info().getWaiting());
    await(s2, null, false).reply();
    assertEquals(1, early.reply().getBarrierAwait().getArrivalIndex());
  }

  @Test
  void actionDone_fromAnotherSession_isNotOwner_andAfterAResetChangesNothing() {
    PendingCall first = await(s1, null, false);
    long action = await(s2, null, true).reply().getBarrierAwait().getActionId();
    assertEquals(ErrorReason.NOT_OWNER, done(s1, action, false).failure().getReason());

    h.call(s1, Call.newBuilder().setBarrierReset(BarrierResetRequest.newBuilder().setName("b")))
        .reply();

    assertEquals(ErrorReason.BROKEN_BARRIER, first.failure().getReason());
    done(s2, action, false).reply();
    assertFalse(info().getBroken());
  }

  private PendingCall await(String session, Long timeoutMs, boolean hasAction) {
    BarrierAwaitRequest.Builder await =
        BarrierAwaitRequest.newBuilder().setName("b").setHasAction(hasAction);
    if (timeoutMs != null) {
      await.setTimeoutMs(timeoutMs);
    }
    return h.call(session, Call.newBuilder().setBarrierAwait(await));
  }

  private PendingCall done(String session, long actionId, boolean failed) {
    return h.call(
        session,
        Call.newBuilder()
            .setBarrierActionDone(
                BarrierActionDoneRequest.newBuilder()
                    .setName("b")
                    .setActionId(actionId)
                    .setFailed(failed)
                    .setFailure(failed ? "boom" : "")));
  }

  private dev.colony.proto.v1.BarrierInfoResponse info() {
    return h.call(
            s1, Call.newBuilder().setBarrierInfo(BarrierInfoRequest.newBuilder().setName("b")))
        .reply()
        .getBarrierInfo();
  }
}
