package dev.colony.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.EventClearRequest;
import dev.colony.proto.v1.EventIsSetRequest;
import dev.colony.proto.v1.EventSetRequest;
import dev.colony.proto.v1.EventWaitRequest;
import dev.colony.proto.v1.ObjectDescribeRequest;
import dev.colony.proto.v1.ObjectInfo;
import dev.colony.proto.v1.ObjectType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventObjectTest {
  private CoreHarness h = new CoreHarness();
  private String s;

  @BeforeEach
  void createEvent() {
    s = h.session("s1");
    h.create(s, "e", ObjectType.EVENT);
  }

  @Test
  void set_wakesEveryWaiterWithSetTrue() {
    var first = await(s, null);
    var second = await(h.session("s2"), 5_000L);
    assertFalse(first.isDone());
    assertFalse(second.isDone());
    assertEquals(2, info().getWaiters());

    set(s).reply();

    assertTrue(first.reply().getEventWait().getSet());
    assertTrue(second.reply().getEventWait().getSet());
    assertEquals(0, info().getWaiters());
  }

  @Test
  void await_onSetEvent_returnsTrueAtOnce() {
    set(s).reply();
    assertTrue(await(s, null).reply().getEventWait().getSet());
    assertTrue(await(s, 0L).reply().getEventWait().getSet());
  }

  @Test
  void await_withTimeout_returnsFalseExactlyAtDeadline() {
    var wait = await(s, 300L);
    h.advance(299);
    assertFalse(wait.isDone());
    h.advance(1);
    assertFalse(wait.reply().getEventWait().getSet());
    assertEquals(0, info().getWaiters());
  }

  @Test
  void await_withTimeoutZero_neverParks() {
    var wait = await(s, 0L);
    assertFalse(wait.reply().getEventWait().getSet());
    assertEquals(0, info().getWaiters());
  }

  @Test
  void clear_afterSet_makesLaterWaitsBlock() {
    set(s).reply();
    assertTrue(isSet(s));
    h.call(s, Call.newBuilder().setEventClear(EventClearRequest.newBuilder().setName("e"))).reply();
    assertFalse(isSet(s));
    var wait = await(s, 100L);
    assertFalse(wait.isDone());
    h.advance(100);
    assertFalse(wait.reply().getEventWait().getSet());
  }

  @Test
  void cancel_removesWaiterAndRepliesCancelled() {
    var wait = await(s, null);
    h.cancel(s, wait);
    ExpectFailure.of(wait, CoreException.Code.CANCELLED, ErrorReason.CANCELLED);
    assertEquals(0, info().getWaiters());
    set(s).reply(); // must not reply to the cancelled call a second time
    wait.failure();
  }

  @Test
  void sessionExpiry_cancelsItsWaiters() {
    String shortLived = h.session("short", 2_000);
    var wait = await(shortLived, null);
    h.advance(1_999);
    assertFalse(wait.isDone());
    h.advance(1);
    ExpectFailure.of(wait, CoreException.Code.CANCELLED, ErrorReason.CANCELLED);
    assertEquals(0, info().getWaiters());
  }

  @Test
  void await_pastWaiterLimit_failsLimitExceeded() {
    h = new CoreHarness(ExpectFailure.limits(1 << 20, 1, 100));
    s = h.session("s1");
    h.create(s, "e", ObjectType.EVENT);
    await(s, null);
    ExpectFailure.of(
        await(s, null), CoreException.Code.RESOURCE_EXHAUSTED, ErrorReason.LIMIT_EXCEEDED);
  }

  @Test
  void info_reportsFlagAndWaiters() {
    await(s, null);
    ObjectInfo before = info();
    assertEquals(0, before.getSize());
    assertEquals(1, before.getWaiters());
    assertEquals("clear", before.getDetail());
    set(s).reply();
    ObjectInfo after = info();
    assertEquals(1, after.getSize());
    assertEquals(0, after.getWaiters());
    assertEquals("set", after.getDetail());
  }

  private CoreHarness.PendingCall await(String session, Long timeoutMs) {
    EventWaitRequest.Builder wait = EventWaitRequest.newBuilder().setName("e");
    if (timeoutMs != null) {
      wait.setTimeoutMs(timeoutMs);
    }
    return h.call(session, Call.newBuilder().setEventWait(wait));
  }

  private CoreHarness.PendingCall set(String session) {
    return h.call(
        session, Call.newBuilder().setEventSet(EventSetRequest.newBuilder().setName("e")));
  }

  private boolean isSet(String session) {
    return h.call(
            session, Call.newBuilder().setEventIsSet(EventIsSetRequest.newBuilder().setName("e")))
        .reply()
        .getEventIsSet()
        .getSet();
  }

  private ObjectInfo info() {
    return h.call(
            s, Call.newBuilder().setObjectDescribe(ObjectDescribeRequest.newBuilder().setName("e")))
        .reply()
        .getObjectDescribe()
        .getInfo();
  }
}
