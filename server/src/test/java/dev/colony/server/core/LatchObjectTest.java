package dev.colony.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.LatchAwaitRequest;
import dev.colony.proto.v1.LatchCountDownRequest;
import dev.colony.proto.v1.LatchCountRequest;
import dev.colony.proto.v1.LatchOptions;
import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectDescribeRequest;
import dev.colony.proto.v1.ObjectInfo;
import dev.colony.proto.v1.ObjectType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LatchObjectTest {
  private final CoreHarness h = new CoreHarness();
  private String s;

  @BeforeEach
  void createLatch() {
    s = h.session("s1");
    h.create(s, latch("l", 2));
  }

  @Test
  void countDown_toZero_releasesEveryWaiterWithReachedTrue() {
    var first = await(s, null);
    var second = await(h.session("s2"), 10_000L);
    assertEquals(1, countDown());
    assertFalse(first.isDone());
    assertFalse(second.isDone());
    assertEquals(0, countDown());
    assertTrue(first.reply().getLatchAwait().getReached());
    assertTrue(second.reply().getLatchAwait().getReached());
    assertEquals(0, count());
  }

  @Test
  void countDown_atZero_isNoOp() {
    countDown();
    countDown();
    assertEquals(0, countDown());
    assertEquals(0, count());
  }

  @Test
  void await_atZero_returnsReachedAtOnce() {
    h.create(s, latch("open", 0));
    var call =
        h.call(s, Call.newBuilder().setLatchAwait(LatchAwaitRequest.newBuilder().setName("open")));
    assertTrue(call.reply().getLatchAwait().getReached());
  }

  @Test
  void await_withTimeout_returnsNotReachedExactlyAtDeadline() {
    var wait = await(s, 250L);
    h.advance(249);
    assertFalse(wait.isDone());
    h.advance(1);
    assertFalse(wait.reply().getLatchAwait().getReached());
    assertEquals(0, describe().getWaiters());
  }

  @Test
  void await_withTimeoutZero_neverParks() {
    assertFalse(await(s, 0L).reply().getLatchAwait().getReached());
    assertEquals(0, describe().getWaiters());
  }

  @Test
  void create_withNegativeCount_failsInvalidArgument() {
    var create = h.call(s, Call.newBuilder().setObjectCreate(latch("bad", -1)));
    ExpectFailure.of(create, CoreException.Code.INVALID_ARGUMENT, ErrorReason.INVALID_REQUEST);
  }

  @Test
  void create_again_acceptsInitialOrZeroCountAndRefusesOthers() {
    countDown();
    h.create(s, latch("l", 2)); // the initial count, even though the count is now 1
    h.create(s, latch("l", 0));
    h.create(s, ObjectCreateRequest.newBuilder().setName("l").setType(ObjectType.COUNT_DOWN_LATCH));
    var conflict = h.call(s, Call.newBuilder().setObjectCreate(latch("l", 1)));
    ExpectFailure.of(
        conflict, CoreException.Code.FAILED_PRECONDITION, ErrorReason.OPTIONS_CONFLICT);
    assertEquals(1, count());
  }

  @Test
  void cancel_removesWaiter() {
    var wait = await(s, null);
    h.cancel(s, wait);
    ExpectFailure.of(wait, CoreException.Code.CANCELLED, ErrorReason.CANCELLED);
    assertEquals(0, describe().getWaiters());
    countDown();
    countDown();
    wait.failure(); // still exactly one reply
  }

  @Test
  void sessionExpiry_cancelsItsWaiters() {
    String shortLived = h.session("short", 2_000);
    var wait = await(shortLived, null);
    h.advance(1_999);
    assertFalse(wait.isDone());
    h.advance(1);
    ExpectFailure.of(wait, CoreException.Code.CANCELLED, ErrorReason.CANCELLED);
    assertEquals(0, describe().getWaiters());
  }

  @Test
  void info_reportsCountWaitersAndInitialCount() {
    await(s, null);
    countDown();
    ObjectInfo info = describe();
    assertEquals(1, info.getSize());
    assertEquals(1, info.getWaiters());
    assertEquals("count=2", info.getDetail());
  }

  private static ObjectCreateRequest.Builder latch(String name, long count) {
    return ObjectCreateRequest.newBuilder()
        .setName(name)
        .setType(ObjectType.COUNT_DOWN_LATCH)
        .setLatch(LatchOptions.newBuilder().setCount(count));
  }

  private CoreHarness.PendingCall await(String session, Long timeoutMs) {
    LatchAwaitRequest.Builder await = LatchAwaitRequest.newBuilder().setName("l");
    if (timeoutMs != null) {
      await.setTimeoutMs(timeoutMs);
    }
    return h.call(session, Call.newBuilder().setLatchAwait(await));
  }

  private long countDown() {
    return h.call(
            s, Call.newBuilder().setLatchCountDown(LatchCountDownRequest.newBuilder().setName("l")))
        .reply()
        .getLatchCountDown()
        .getCount();
  }

  private long count() {
    return h.call(s, Call.newBuilder().setLatchCount(LatchCountRequest.newBuilder().setName("l")))
        .reply()
        .getLatchCount()
        .getCount();
  }

  private ObjectInfo describe() {
    return h.call(
            s, Call.newBuilder().setObjectDescribe(ObjectDescribeRequest.newBuilder().setName("l")))
        .reply()
        .getObjectDescribe()
        .getInfo();
  }
}
