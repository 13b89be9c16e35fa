package dev.colony.server.core;

import static dev.colony.server.core.SyncCalls.FOREVER;
import static dev.colony.server.core.SyncCalls.ack;
import static dev.colony.server.core.SyncCalls.create;
import static dev.colony.server.core.SyncCalls.delete;
import static dev.colony.server.core.SyncCalls.describe;
import static dev.colony.server.core.SyncCalls.get;
import static dev.colony.server.core.SyncCalls.join;
import static dev.colony.server.core.SyncCalls.put;
import static dev.colony.server.core.SyncCalls.queue;
import static dev.colony.server.core.SyncCalls.queueInfo;
import static dev.colony.server.core.SyncCalls.taskDone;
import static dev.colony.server.core.SyncCalls.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectType;
import dev.colony.proto.v1.QueueGetRequest;
import dev.colony.proto.v1.QueueGetResponse;
import dev.colony.proto.v1.QueueInfoResponse;
import dev.colony.proto.v1.QueueKind;
import dev.colony.proto.v1.QueuePutRequest;
import dev.colony.proto.v1.QueuePutResponse;
import dev.colony.server.core.CoreHarness.PendingCall;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class QueueObjectTest {
  private CoreHarness h = new CoreHarness();
  private final String s1 = h.session("s1");
  private final String s2 = h.session("s2");

  private void newQueue(QueueKind kind, long maxSize) {
    h.create(s1, queue("q", kind, maxSize));
  }

  private boolean putNow(String item) {
    return h.call(s1, put("q", item, 0)).reply().getQueuePut().getAccepted();
  }

  private String getNow() {
    QueueGetResponse got = h.call(s1, get("q", 0)).reply().getQueueGet();
    return got.getHasItem() ? text(got.getItem()) : null;
  }

  private static String item(PendingCall call) {
    QueueGetResponse got = call.reply().getQueueGet();
    assertTrue(got.getHasItem(), "expected an item");
    return text(got.getItem());
  }

  private QueueInfoResponse info() {
    return h.call(s1, queueInfo("q")).reply().getQueueInfo();
  }

  private List<String> drain() {
    List<String> all = new ArrayList<>();
    String next;
    while ((next = getNow()) != null) {
      all.add(next);
    }
    return all;
  }

  @Nested
  class Kinds {
    @Test
    void fifo_servesInPutOrder() {
      newQueue(QueueKind.FIFO, 0);
      putNow("a");
      putNow("b");
      putNow("c");
      assertEquals(List.of("a", "b", "c"), drain());
    }

    @Test
    void unspecifiedKind_isFifo() {
      newQueue(QueueKind.QUEUE_KIND_UNSPECIFIED, 0);
      putNow("a");
      putNow("b");
      assertEquals(List.of("a", "b"), drain());
      assertEquals(QueueKind.FIFO, info().getKind());
    }

    @Test
    void lifo_servesNewestFirst() {
      newQueue(QueueKind.LIFO, 0);
      putNow("a");
      putNow("b");
      putNow("c");
      assertEquals(List.of("c", "b", "a"), drain());
    }

    @Test
    void priority_servesLowestFirstAndFifoAmongEquals() {
      newQueue(QueueKind.PRIORITY, 0);
      h.call(s1, put("q", "five-1", 5, 0)).reply();
      h.call(s1, put("q", "one", 1, 0)).reply();
      h.call(s1, put("q", "five-2", 5, 0)).reply();
      h.call(s1, put("q", "minus", -3, 0)).reply();
      h.call(s1, put("q", "five-3", 5, 0)).reply();
      QueueGetResponse first = h.call(s1, get("q", 0)).reply().getQueueGet();
      assertEquals("minus", text(first.getItem()));
      assertEquals(-3, first.getPriority());
      assertEquals(List.of("one", "five-1", "five-2", "five-3"), drain());
    }

    @Test
    void get_onEmptyQueueWithZeroTimeout_repliesNoItemAtOnce() {
      newQueue(QueueKind.FIFO, 0);
      PendingCall get = h.call(s1, get("q", 0));
      assertFalse(get.reply().getQueueGet().getHasItem());
      assertEquals(0, info().getWaitingGetters());
    }
  }

  @Nested
  class Blocking {
    @Test
    void get_onEmptyQueue_returnsNoItemExactlyAtDeadline() {
      newQueue(QueueKind.FIFO, 0);
      PendingCall get = h.call(s1, get("q", 500));
      assertFalse(get.isDone());
      h.advance(499);
      assertFalse(get.isDone());
      h.advance(1);
      assertFalse(get.reply().getQueueGet().getHasItem());
      assertEquals(0, info().getWaitingGetters());
    }

    @Test
    void get_withoutTimeout_waitsUntilPut() {
      newQueue(QueueKind.FIFO, 0);
      PendingCall get = h.call(s1, get("q", FOREVER));
      h.advance(9_000);
      assertFalse(get.isDone());
      h.call(s2, put("q", "late", FOREVER)).reply();
      assertEquals("late", item(get));
      assertEquals(0, info().getSize());
    }

    @Test
    void put_handsItemToOldestWaitingGetter() {
      newQueue(QueueKind.FIFO, 0);
      PendingCall g1 = h.call(s1, get("q", FOREVER));
      PendingCall g2 = h.call(s2, get("q", FOREVER));
      PendingCall g3 = h.call(s1, get("q", FOREVER));
      assertEquals(3, info().getWaitingGetters());
      putNow("a");
      putNow("b");
      assertEquals("a", item(g1));
      assertEquals("b", item(g2));
      assertFalse(g3.isDone());
      assertEquals(0, info().getSize());
    }

    @Test
    void cancelledGetter_isSkipped_andItemStaysInQueue() {
      newQueue(QueueKind.FIFO, 0);
      PendingCall get = h.call(s1, get("q", FOREVER));
      h.cancel(s1, get);
      assertEquals(ErrorReason.CANCELLED, get.failure().getReason());
      putNow("kept");
      assertEquals(1, info().getSize());
      assertEquals("kept", getNow());
    }

    @Test
    void cancelledGetter_inTheMiddle_nextGetterIsServed() {
      newQueue(QueueKind.FIFO, 0);
      PendingCall g1 = h.call(s1, get("q", FOREVER));
      PendingCall g2 = h.call(s1, get("q", FOREVER));
      PendingCall g3 = h.call(s2, get("q", FOREVER));
      h.cancel(s1, g2);
      putNow("a");
      putNow("b");
      assertEquals("a", item(g1));
      assertEquals("b", item(g3));
      assertEquals(ErrorReason.CANCELLED, g2.failure().getReason());
    }

    @Test
    void put_arrivingAtGettersDeadlineBeforeAnyTick_timesTheGetterOutFirst() {
      newQueue(QueueKind.FIFO, 0);
      PendingCall get = h.call(s1, get("q", 100));
      h.clock.addAndGet(100); // the deadline passes, but no tick has run yet
      putNow("a");
      assertFalse(get.reply().getQueueGet().getHasItem());
      assertEquals(1, info().getSize());
    }

    @Test
    void timedOutGetter_doesNotReceiveLaterPut() {
      newQueue(QueueKind.FIFO, 0);
      PendingCall get = h.call(s1, get("q", 10));
      h.advance(10);
      assertFalse(get.reply().getQueueGet().getHasItem());
      putNow("a");
      assertEquals(1, info().getSize());
    }

    @Test
    void negativeTimeout_isInvalid() {
      newQueue(QueueKind.FIFO, 0);
      assertEquals(ErrorReason.INVALID_REQUEST, h.call(s1, get("q", -5)).failure().getReason());
      assertEquals(
          ErrorReason.INVALID_REQUEST, h.call(s1, put("q", "x", -2)).failure().getReason());
      assertEquals(0, info().getSize());
    }
  }

  @Nested
  class Bounded {
    @Test
    void putNowait_onFullQueue_isRefusedAtOnce() {
      newQueue(QueueKind.FIFO, 2);
      assertTrue(putNow("a"));
      assertTrue(putNow("b"));
      assertFalse(putNow("c"));
      assertEquals(0, info().getWaitingPutters());
      assertEquals(List.of("a", "b"), drain());
    }

    @Test
    void put_onFullQueue_isRefusedExactlyAtDeadline() {
      newQueue(QueueKind.FIFO, 1);
      putNow("a");
      PendingCall put = h.call(s1, put("q", "b", 300));
      h.advance(299);
      assertFalse(put.isDone());
      h.advance(1);
      assertFalse(put.reply().getQueuePut().getAccepted());
      assertEquals(List.of("a"), drain());
      assertEquals(1, info().getUnfinished());
    }

    @Test
    void get_admitsOldestWaitingPutter_inFifoOrder() {
      newQueue(QueueKind.FIFO, 1);
      putNow("a");
      PendingCall p1 = h.call(s1, put("q", "b", FOREVER));
      PendingCall p2 = h.call(s2, put("q", "c", FOREVER));
      assertEquals(2, info().getWaitingPutters());
      assertEquals("a", getNow());
      assertTrue(p1.reply().getQueuePut().getAccepted());
      assertFalse(p2.isDone());
      assertEquals("b", getNow());
      assertTrue(p2.reply().getQueuePut().getAccepted());
      assertEquals("c", getNow());
      assertEquals(3, info().getUnfinished());
    }

    @Test
    void putNowait_whilePuttersWait_doesNotOvertakeThem() {
      newQueue(QueueKind.FIFO, 1);
      putNow("a");
      PendingCall waiting = h.call(s1, put("q", "b", FOREVER));
      assertEquals("a", getNow());
      assertTrue(waiting.reply().getQueuePut().getAccepted());
      assertFalse(putNow("c"));
      assertEquals(List.of("b"), drain());
    }

    @Test
    void cancelledPutter_itemNeverEntersQueue() {
      newQueue(QueueKind.FIFO, 1);
      putNow("a");
      PendingCall put = h.call(s1, put("q", "b", FOREVER));
      h.cancel(s1, put);
      assertEquals(ErrorReason.CANCELLED, put.failure().getReason());
      assertEquals(List.of("a"), drain());
      assertEquals(0, info().getWaitingPutters());
      assertEquals(1, info().getUnfinished());
    }

    @Test
    void itemLimit_isResourceExhausted() {
      h = new CoreHarness(limits(100, 2));
      h.session("s1");
      newQueue(QueueKind.FIFO, 0);
      putNow("a");
      putNow("b");
      PendingCall third = h.call(s1, put("q", "c", FOREVER));
      assertEquals(ErrorReason.LIMIT_EXCEEDED, third.failure().getReason());
      assertEquals(CoreException.Code.RESOURCE_EXHAUSTED.number, third.failure().getCode());
      assertEquals(2, info().getSize());
    }

    @Test
    void waiterLimit_isResourceExhausted() {
      h = new CoreHarness(limits(2, 100));
      h.session("s1");
      newQueue(QueueKind.FIFO, 0);
      h.call(s1, get("q", FOREVER));
      h.call(s1, get("q", FOREVER));
      putNow("a"); // served to the first getter; one task is now unfinished
      h.call(s1, get("q", FOREVER));
      assertEquals(ErrorReason.LIMIT_EXCEEDED, h.call(s1, join("q", 5)).failure().getReason());
      assertEquals(ErrorReason.LIMIT_EXCEEDED, h.call(s1, get("q", 5)).failure().getReason());
      assertEquals(2, info().getWaitingGetters());
    }

    private Limits limits(int maxWaiters, long maxItems) {
      return Limits.defaults()
          .withMaxWaitersPerObject(maxWaiters)
          .withMaxItemsPerContainer(maxItems);
    }
  }

  @Nested
  class Acknowledgement {
    @Test
    void getWithoutAutoAck_holdsItemUntilAcked() {
      newQueue(QueueKind.FIFO, 0);
      putNow("a");
      QueueGetResponse got = h.call(s1, get("q", 0, false)).reply().getQueueGet();
      assertNotEquals(0, got.getDeliveryId());
      assertEquals(1, info().getUnacked());
      assertEquals(0, info().getSize());
      var acked = h.call(s1, ack("q", false, List.of(got.getDeliveryId()))).reply();
      assertEquals(1, acked.getQueueAck().getAcknowledged());
      assertEquals(0, info().getUnacked());
      PendingCall again = h.call(s1, ack("q", false, List.of(got.getDeliveryId())));
      assertEquals(ErrorReason.UNKNOWN_DELIVERY, again.failure().getReason());
      assertEquals(CoreException.Code.NOT_FOUND.number, again.failure().getCode());
    }

    @Test
    void autoAckGet_hasNoDeliveryId() {
      newQueue(QueueKind.FIFO, 0);
      putNow("a");
      assertEquals(0, h.call(s1, get("q", 0, true)).reply().getQueueGet().getDeliveryId());
      assertEquals(0, info().getUnacked());
    }

    @Test
    void ack_ofAnotherSessionsDelivery_isUnknown_andLosesNothing() {
      newQueue(QueueKind.FIFO, 0);
      putNow("a");
      putNow("b");
      long mine = h.call(s1, get("q", 0, false)).reply().getQueueGet().getDeliveryId();
      long theirs = h.call(s2, get("q", 0, false)).reply().getQueueGet().getDeliveryId();
      PendingCall bad = h.call(s1, ack("q", false, List.of(mine, theirs)));
      assertEquals(ErrorReason.UNKNOWN_DELIVERY, bad.failure().getReason());
      assertEquals(2, info().getUnacked());
      h.call(s1, ack("q", false, List.of(mine))).reply();
      h.call(s2, ack("q", false, List.of(theirs))).reply();
      assertEquals(0, info().getUnacked());
    }

    @Test
    void requeue_putsItemsBackAtHeadInDeliveryOrder() {
      newQueue(QueueKind.FIFO, 0);
      putNow("a");
      putNow("b");
      putNow("c");
      long a = h.call(s1, get("q", 0, false)).reply().getQueueGet().getDeliveryId();
      long b = h.call(s1, get("q", 0, false)).reply().getQueueGet().getDeliveryId();
      // Listed in reverse on purpose: the queue restores delivery order.
      var acked = h.call(s1, ack("q", true, List.of(b, a))).reply();
      assertEquals(2, acked.getQueueAck().getAcknowledged());
      assertEquals(0, info().getUnacked());
      assertEquals(List.of("a", "b", "c"), drain());
    }

    @Test
    void requeue_onLifo_servesRequeuedItemNext() {
      newQueue(QueueKind.LIFO, 0);
      putNow("a");
      putNow("b");
      long b = h.call(s1, get("q", 0, false)).reply().getQueueGet().getDeliveryId();
      h.call(s1, ack("q", true, List.of(b))).reply();
      assertEquals(List.of("b", "a"), drain());
    }

    @Test
    void requeue_onPriority_goesAheadOfEqualsButNotOfLowerPriorities() {
      newQueue(QueueKind.PRIORITY, 0);
      h.call(s1, put("q", "p5-first", 5, 0)).reply();
      h.call(s1, put("q", "p5-second", 5, 0)).reply();
      long first = h.call(s1, get("q", 0, false)).reply().getQueueGet().getDeliveryId();
      h.call(s1, put("q", "p1", 1, 0)).reply();
      h.call(s1, ack("q", true, List.of(first))).reply();
      assertEquals(List.of("p1", "p5-first", "p5-second"), drain());
    }

    @Test
    void requeue_servesWaitingGetterFirst() {
      newQueue(QueueKind.FIFO, 0);
      putNow("a");
      long a = h.call(s1, get("q", 0, false)).reply().getQueueGet().getDeliveryId();
      PendingCall waiting = h.call(s2, get("q", FOREVER, false));
      h.call(s1, ack("q", true, List.of(a))).reply();
      assertEquals("a", item(waiting));
      assertNotEquals(a, waiting.reply().getQueueGet().getDeliveryId());
      assertEquals(1, info().getUnacked());
      assertEquals(0, info().getSize());
    }

    @Test
    void sessionExpiry_redeliversUnackedItemsAtHeadInOriginalOrder() {
      h.session("dying", 2_000);
      newQueue(QueueKind.FIFO, 0);
      putNow("a");
      putNow("b");
      putNow("c");
      h.call("dying", get("q", 0, false)).reply();
      h.call("dying", get("q", 0, false)).reply();
      assertEquals(2, info().getUnacked());
      h.advance(1_999);
      h.keepAlive(s1);
      assertEquals(2, info().getUnacked());
      h.advance(1);
      assertEquals(0, info().getUnacked());
      assertEquals(List.of("a", "b", "c"), drain());
    }

    @Test
    void sessionExpiry_handsUnackedItemToWaitingGetter() {
      h.session("dying", 2_000);
      newQueue(QueueKind.FIFO, 0);
      putNow("job");
      h.call("dying", get("q", 0, false)).reply();
      PendingCall waiting = h.call(s1, get("q", FOREVER));
      h.advance(2_000);
      assertEquals("job", item(waiting));
      assertEquals(0, info().getUnacked());
    }

    @Test
    void sessionClose_returnsUnackedItems_butNotAckedOnes() {
      h.session("closing");
      newQueue(QueueKind.FIFO, 0);
      putNow("a");
      putNow("b");
      long a = h.call("closing", get("q", 0, false)).reply().getQueueGet().getDeliveryId();
      h.call("closing", get("q", 0, false)).reply();
      h.call("closing", ack("q", false, List.of(a))).reply();
      h.closeSession("closing");
      assertEquals(List.of("b"), drain());
    }

    @Test
    void requeue_doesNotCountAsNewTask() {
      newQueue(QueueKind.FIFO, 0);
      putNow("a");
      long a = h.call(s1, get("q", 0, false)).reply().getQueueGet().getDeliveryId();
      h.call(s1, ack("q", true, List.of(a))).reply();
      assertEquals(1, info().getUnfinished());
    }
  }

  @Nested
  class ManyAtOnce {
    private Call.Builder putAll(String... texts) {
      QueuePutRequest.Builder put =
          QueuePutRequest.newBuilder().setName("q").setItem(text(texts[0])).setTimeoutMs(0);
      for (int i = 1; i < texts.length; i++) {
        put.addMoreItems(text(texts[i]));
      }
      return Call.newBuilder().setQueuePut(put);
    }

    private List<String> drainCall(int max) {
      QueueGetResponse got =
          h.call(
                  s1,
                  Call.newBuilder()
                      .setQueueGet(
                          QueueGetRequest.newBuilder()
                              .setName("q")
                              .setAutoAck(true)
                              .setTimeoutMs(0)
                              .setMaxItems(max)))
              .reply()
              .getQueueGet();
      List<String> out = new ArrayList<>();
      if (got.getHasItem()) {
        out.add(text(got.getItem()));
        got.getMoreItemsList().forEach(p -> out.add(text(p)));
      }
      return out;
    }

    @Test
    void putMany_addsInOrder_andCountsEachForJoin() {
      newQueue(QueueKind.FIFO, 0);
      QueuePutResponse put = h.call(s1, putAll("a", "b", "c")).reply().getQueuePut();
      assertTrue(put.getAccepted());
      assertEquals(3, put.getAcceptedCount());
      assertEquals(3, info().getUnfinished());
      assertEquals(List.of("a", "b", "c"), drain());
    }

    @Test
    void putMany_onBoundedQueue_takesWhatFits_andNeverWaits() {
      newQueue(QueueKind.FIFO, 2);
      QueuePutResponse put = h.call(s1, putAll("a", "b", "c")).reply().getQueuePut();
      assertFalse(put.getAccepted());
      assertEquals(2, put.getAcceptedCount());
      assertEquals(0, info().getWaitingPutters());
      assertEquals(List.of("a", "b"), drain());
    }

    @Test
    void putMany_servesWaitingGetterFirst() {
      newQueue(QueueKind.FIFO, 0);
      PendingCall waiting = h.call(s2, get("q", FOREVER));
      h.call(s1, putAll("a", "b")).reply();
      assertEquals("a", item(waiting));
      assertEquals(List.of("b"), drain());
    }

    @Test
    void drain_takesUpToMax_inServingOrder() {
      newQueue(QueueKind.FIFO, 0);
      h.call(s1, putAll("a", "b", "c")).reply();
      assertEquals(List.of("a", "b"), drainCall(2));
      assertEquals(List.of("c"), drainCall(5));
      assertEquals(List.of(), drainCall(5));
      assertEquals(0, info().getUnacked());
    }

    @Test
    void drain_admitsWaitingPutters() {
      newQueue(QueueKind.FIFO, 1);
      putNow("a");
      PendingCall blocked = h.call(s2, put("q", "b", FOREVER));
      assertEquals(List.of("a"), drainCall(5));
      assertTrue(blocked.reply().getQueuePut().getAccepted());
      assertEquals(List.of("b"), drain());
    }

    @Test
    void giveBack_putsTheItemAtTheHead_withoutCountingItAgain() {
      newQueue(QueueKind.FIFO, 1);
      putNow("a");
      assertEquals("a", getNow());
      putNow("b");
      QueuePutRequest.Builder back =
          QueuePutRequest.newBuilder().setName("q").setItem(text("a")).setGiveBack(true);
      assertTrue(
          h.call(s1, Call.newBuilder().setQueuePut(back)).reply().getQueuePut().getAccepted());
      assertEquals(2, info().getUnfinished());
      assertEquals(List.of("a", "b"), drain());
    }

    @Test
    void ack_withRepeatedIds_acknowledgesEachOnce() {
      newQueue(QueueKind.FIFO, 0);
      putNow("a");
      long a = h.call(s1, get("q", 0, false)).reply().getQueueGet().getDeliveryId();
      assertEquals(
          1, h.call(s1, ack("q", false, List.of(a, a))).reply().getQueueAck().getAcknowledged());
      assertEquals(0, info().getUnacked());
    }
  }

  @Nested
  class TaskDoneAndJoin {
    @Test
    void join_onQueueWithNoUnfinishedTasks_completesAtOnce() {
      newQueue(QueueKind.FIFO, 0);
      assertTrue(h.call(s1, join("q", FOREVER)).reply().getQueueJoin().getCompleted());
    }

    @Test
    void join_waitsUntilEveryPutIsTaskDone() {
      newQueue(QueueKind.FIFO, 0);
      putNow("a");
      putNow("b");
      PendingCall j1 = h.call(s1, join("q", FOREVER));
      PendingCall j2 = h.call(s2, join("q", FOREVER));
      getNow();
      getNow();
      assertEquals(1, h.call(s1, taskDone("q")).reply().getQueueTaskDone().getUnfinished());
      assertFalse(j1.isDone());
      assertEquals(0, h.call(s1, taskDone("q")).reply().getQueueTaskDone().getUnfinished());
      assertTrue(j1.reply().getQueueJoin().getCompleted());
      assertTrue(j2.reply().getQueueJoin().getCompleted());
    }

    @Test
    void join_timesOutExactlyAtDeadline() {
      newQueue(QueueKind.FIFO, 0);
      putNow("a");
      PendingCall join = h.call(s1, join("q", 100));
      h.advance(99);
      assertFalse(join.isDone());
      h.advance(1);
      assertFalse(join.reply().getQueueJoin().getCompleted());
    }

    @Test
    void join_withZeroTimeout_repliesAtOnce() {
      newQueue(QueueKind.FIFO, 0);
      putNow("a");
      assertFalse(h.call(s1, join("q", 0)).reply().getQueueJoin().getCompleted());
    }

    @Test
    void taskDone_moreThanPuts_isTaskDoneOverflow() {
      newQueue(QueueKind.FIFO, 0);
      putNow("a");
      h.call(s1, taskDone("q")).reply();
      PendingCall extra = h.call(s1, taskDone("q"));
      assertEquals(ErrorReason.TASK_DONE_OVERFLOW, extra.failure().getReason());
      assertEquals(CoreException.Code.FAILED_PRECONDITION.number, extra.failure().getCode());
      assertEquals(0, info().getUnfinished());
    }

    @Test
    void putHandedToWaitingGetter_countsAsUnfinished() {
      newQueue(QueueKind.FIFO, 0);
      PendingCall get = h.call(s1, get("q", FOREVER));
      putNow("a");
      item(get);
      assertEquals(1, info().getUnfinished());
    }
  }

  @Nested
  class Lifecycle {
    @Test
    void info_describesKindAndBound() {
      newQueue(QueueKind.FIFO, 10);
      putNow("a");
      h.call(s2, join("q", FOREVER));
      var info = h.call(s1, describe("q")).reply().getObjectDescribe().getInfo();
      assertEquals("FIFO maxsize=10", info.getDetail());
      assertEquals(1, info.getSize());
      assertEquals(1, info.getWaiters());
      QueueInfoResponse queueInfo = info();
      assertEquals(10, queueInfo.getMaxSize());
      assertEquals(QueueKind.FIFO, queueInfo.getKind());
    }

    @Test
    void create_again_withUnsetOrEqualOptions_isAccepted() {
      newQueue(QueueKind.LIFO, 3);
      var again = h.call(s2, create(queue("q", QueueKind.QUEUE_KIND_UNSPECIFIED, 0))).reply();
      assertFalse(again.getObjectCreate().getCreated());
      h.call(s2, create(queue("q", QueueKind.LIFO, 3))).reply();
      h.call(s2, create(ObjectCreateRequest.newBuilder().setName("q").setType(ObjectType.QUEUE)))
          .reply();
    }

    @Test
    void create_again_withOtherOptions_isOptionsConflict() {
      newQueue(QueueKind.LIFO, 3);
      assertEquals(
          ErrorReason.OPTIONS_CONFLICT,
          h.call(s2, create(queue("q", QueueKind.FIFO, 0))).failure().getReason());
      assertEquals(
          ErrorReason.OPTIONS_CONFLICT,
          h.call(s2, create(queue("q", QueueKind.LIFO, 4))).failure().getReason());
    }

    @Test
    void create_withNegativeMaxSize_isInvalid() {
      PendingCall bad = h.call(s1, create(queue("q", QueueKind.FIFO, -1)));
      assertEquals(ErrorReason.INVALID_REQUEST, bad.failure().getReason());
      assertEquals(ErrorReason.OBJECT_NOT_FOUND, h.call(s1, get("q", 0)).failure().getReason());
    }

    @Test
    void queueOp_onLockName_isWrongType() {
      h.create(s1, "l", ObjectType.LOCK);
      PendingCall put = h.call(s1, put("l", "x", 0));
      assertEquals(ErrorReason.WRONG_TYPE, put.failure().getReason());
      assertEquals(CoreException.Code.FAILED_PRECONDITION.number, put.failure().getCode());
      assertEquals(ErrorReason.WRONG_TYPE, h.call(s1, get("l", 0)).failure().getReason());
    }

    @Test
    void delete_failsEveryWaiterWithObjectNotFound() {
      newQueue(QueueKind.FIFO, 1);
      PendingCall get = h.call(s1, get("q", FOREVER));
      putNow("a");
      item(get);
      putNow("b");
      PendingCall put = h.call(s1, put("q", "c", FOREVER));
      PendingCall join = h.call(s2, join("q", FOREVER));
      h.call(s1, delete("q")).reply();
      assertEquals(ErrorReason.OBJECT_NOT_FOUND, put.failure().getReason());
      assertEquals(ErrorReason.OBJECT_NOT_FOUND, join.failure().getReason());
      // The waiters are gone from their sessions: cancelling now changes nothing.
      h.cancel(s1, put);
      assertEquals(ErrorReason.OBJECT_NOT_FOUND, put.failure().getReason());
    }

    @Test
    void delete_thenRecreate_startsEmpty() {
      newQueue(QueueKind.FIFO, 0);
      putNow("a");
      h.call(s1, get("q", 0, false)).reply();
      h.call(s1, delete("q")).reply();
      newQueue(QueueKind.FIFO, 0);
      h.closeSession(s1);
      assertEquals(0, h.call(s2, queueInfo("q")).reply().getQueueInfo().getSize());
    }
  }
}
