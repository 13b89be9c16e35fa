package dev.colony.server.core;

import static dev.colony.server.core.SyncCalls.FOREVER;
import static dev.colony.server.core.SyncCalls.ack;
import static dev.colony.server.core.SyncCalls.get;
import static dev.colony.server.core.SyncCalls.join;
import static dev.colony.server.core.SyncCalls.put;
import static dev.colony.server.core.SyncCalls.queue;
import static dev.colony.server.core.SyncCalls.queueInfo;
import static dev.colony.server.core.SyncCalls.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.CoreSnapshot;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.QueueClearRequest;
import dev.colony.proto.v1.QueueItemSnapshot;
import dev.colony.proto.v1.QueueKind;
import dev.colony.proto.v1.QueuePosition;
import dev.colony.proto.v1.QueueRangeItem;
import dev.colony.proto.v1.QueueRangeRequest;
import dev.colony.proto.v1.QueueRangeResponse;
import dev.colony.proto.v1.QueueRemoveRequest;
import dev.colony.proto.v1.QueueSnapshot;
import dev.colony.server.core.CoreHarness.PendingCall;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Reading a queue in place (QueueRange pages) and removing from anywhere in it. */
class QueueRangeTest {
  private final CoreHarness h = new CoreHarness();
  private final String s1 = h.session("s1");

  private void newQueue(QueueKind kind, long maxSize) {
    h.create(s1, queue("q", kind, maxSize));
  }

  private void putAll(String... items) {
    for (String item : items) {
      h.call(s1, put("q", item, 0)).reply();
    }
  }

  private QueueRangeResponse page(int pageSize, QueuePosition cursor) {
    QueueRangeRequest.Builder range = QueueRangeRequest.newBuilder().setName("q");
    range.setPageSize(pageSize);
    if (cursor != null) {
      range.setCursor(cursor);
    }
    return h.call(s1, Call.newBuilder().setQueueRange(range)).reply().getQueueRange();
  }

  /** Every waiting item, read in pages of {@code pageSize}. */
  private List<String> readAll(int pageSize) {
    List<String> all = new ArrayList<>();
    QueuePosition cursor = null;
    do {
      QueueRangeResponse page = page(pageSize, cursor);
      page.getItemsList().forEach(i -> all.add(text(i.getItem())));
      cursor = page.hasNextCursor() ? page.getNextCursor() : null;
    } while (cursor != null);
    return all;
  }

  private boolean remove(QueuePosition position) {
    return h.call(
            s1,
            Call.newBuilder()
                .setQueueRemove(QueueRemoveRequest.newBuilder().setName("q").setPosition(position)))
        .reply()
        .getQueueRemove()
        .getRemoved();
  }

  private QueuePosition positionOf(String item) {
    return page(0, null).getItemsList().stream()
        .filter(i -> text(i.getItem()).equals(item))
        .map(QueueRangeItem::getPosition)
        .findFirst()
        .orElseThrow();
  }

  private List<String> takeAll() {
    List<String> all = new ArrayList<>();
    while (true) {
      var got = h.call(s1, get("q", 0)).reply().getQueueGet();
      if (!got.getHasItem()) {
        return all;
      }
      all.add(text(got.getItem()));
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = QueueKind.class,
      names = {"FIFO", "LIFO", "PRIORITY"})
  void pages_listTheItemsInServingOrder_withoutTakingThem(QueueKind kind) {
    newQueue(kind, 0);
    putAll("a", "b", "c", "d", "e");
    List<String> listed = readAll(2);
    assertEquals(5, h.call(s1, queueInfo("q")).reply().getQueueInfo().getSize());
    assertEquals(takeAll(), listed);
  }

  @Test
  void priorityPages_followPriorityThenArrival() {
    newQueue(QueueKind.PRIORITY, 0);
    h.call(s1, put("q", "five", 5, 0)).reply();
    h.call(s1, put("q", "one", 1, 0)).reply();
    h.call(s1, put("q", "five-again", 5, 0)).reply();
    h.call(s1, put("q", "minus", -2, 0)).reply();
    assertEquals(List.of("minus", "one", "five", "five-again"), readAll(1));
  }

  @Test
  void lastPage_hasNoNextCursor_andAnEmptyQueueHasOneEmptyPage() {
    newQueue(QueueKind.FIFO, 0);
    QueueRangeResponse empty = page(10, null);
    assertEquals(0, empty.getItemsCount());
    assertFalse(empty.hasNextCursor());
    putAll("a", "b");
    assertFalse(page(2, null).hasNextCursor());
    assertTrue(page(1, null).hasNextCursor());
  }

  @Test
  void takingItemsBeforeTheCursor_neitherSkipsNorRepeatsTheRest() {
    newQueue(QueueKind.FIFO, 0);
    putAll("a", "b", "c", "d", "e");
    QueueRangeResponse first = page(2, null);
    assertEquals("b", text(first.getItems(1).getItem()));
    assertEquals(List.of("a", "b", "c"), takeThree());
    putAll("f");
    QueueRangeResponse rest = page(10, first.getNextCursor());
    assertEquals(
        List.of("d", "e", "f"), rest.getItemsList().stream().map(i -> text(i.getItem())).toList());
  }

  private List<String> takeThree() {
    List<String> taken = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      taken.add(text(h.call(s1, get("q", 0)).reply().getQueueGet().getItem()));
    }
    return taken;
  }

  @Test
  void requeuedItem_onLifo_isListedFirst() {
    newQueue(QueueKind.LIFO, 0);
    putAll("a", "b");
    long delivery = h.call(s1, get("q", 0, false)).reply().getQueueGet().getDeliveryId();
    putAll("c");
    h.call(s1, ack("q", true, List.of(delivery))).reply();
    assertEquals(List.of("b", "c", "a"), readAll(1));
    assertEquals(List.of("b", "c", "a"), takeAll());
  }

  @Test
  void lifoSnapshotFromBeforeSeqOrder_keepsItsServingOrder() {
    newQueue(QueueKind.LIFO, 0);
    putAll("a", "c");
    CoreSnapshot.Builder old = h.core.snapshot().toBuilder();
    QueueSnapshot.Builder queue = old.getObjectsBuilderList().get(0).getQueueBuilder();
    // As an older coordinator wrote it: b was given back with a negative seq and is served first.
    List<QueueItemSnapshot> written = new ArrayList<>(queue.getItemsList());
    written.add(0, QueueItemSnapshot.newBuilder().setPayload(text("b")).setSeq(-1).build());
    queue.clearItems().addAllItems(written).setHeadSeq(-1);

    CoreSnapshot restored =
        CoordinatorCore.restore(Limits.defaults(), CoreOptions.defaults(), old.build()).snapshot();

    List<QueueItemSnapshot> items = restored.getObjects(0).getQueue().getItemsList();
    assertEquals(List.of("b", "c", "a"), items.stream().map(i -> text(i.getPayload())).toList());
    assertTrue(items.get(0).getSeq() > items.get(1).getSeq());
    assertTrue(items.get(1).getSeq() > items.get(2).getSeq());
  }

  @Test
  void pageSize_zeroMeansTheDefault() {
    newQueue(QueueKind.FIFO, 0);
    for (int i = 0; i < Paging.DEFAULT_PAGE_SIZE + 1; i++) {
      putAll("i" + i);
    }
    QueueRangeResponse page = page(0, null);
    assertEquals(Paging.DEFAULT_PAGE_SIZE, page.getItemsCount());
    assertTrue(page.hasNextCursor());
  }

  @Test
  void cursorNeverHandedOut_isInvalid() {
    newQueue(QueueKind.FIFO, 0);
    putAll("a");
    PendingCall range =
        h.call(
            s1,
            Call.newBuilder()
                .setQueueRange(
                    QueueRangeRequest.newBuilder()
                        .setName("q")
                        .setCursor(QueuePosition.newBuilder().setSeq(99))));
    var failure =
        ExpectFailure.of(range, CoreException.Code.INVALID_ARGUMENT, ErrorReason.INVALID_REQUEST);
    assertTrue(
        failure.getMessage().contains("was never handed out by QUEUE 'q'"), failure.getMessage());
  }

  @Test
  void negativePageSize_isInvalid() {
    newQueue(QueueKind.FIFO, 0);
    PendingCall range =
        h.call(
            s1,
            Call.newBuilder()
                .setQueueRange(QueueRangeRequest.newBuilder().setName("q").setPageSize(-1)));
    ExpectFailure.of(range, CoreException.Code.INVALID_ARGUMENT, ErrorReason.INVALID_REQUEST);
  }

  @ParameterizedTest
  @EnumSource(
      value = QueueKind.class,
      names = {"FIFO", "LIFO", "PRIORITY"})
  void remove_takesOutTheItemAtItsPosition_once(QueueKind kind) {
    newQueue(kind, 0);
    putAll("a", "b", "c");
    QueuePosition b = positionOf("b");
    assertTrue(remove(b));
    assertFalse(remove(b));
    List<String> left = takeAll();
    assertEquals(2, left.size());
    assertFalse(left.contains("b"));
  }

  @Test
  void remove_ofAnItemTakenMeanwhile_removesNothing() {
    newQueue(QueueKind.FIFO, 0);
    putAll("a", "b");
    QueuePosition a = positionOf("a");
    h.call(s1, get("q", 0)).reply();
    assertFalse(remove(a));
    assertEquals(List.of("b"), takeAll());
  }

  @Test
  void remove_makesRoomForAWaitingPutter() {
    newQueue(QueueKind.FIFO, 2);
    putAll("a", "b");
    PendingCall blocked = h.call(s1, put("q", "c", FOREVER));
    assertFalse(blocked.isDone());
    assertTrue(remove(positionOf("a")));
    assertTrue(blocked.reply().getQueuePut().getAccepted());
    assertEquals(List.of("b", "c"), takeAll());
  }

  @Test
  void removedAndClearedItems_countAsDoneForJoin() {
    newQueue(QueueKind.FIFO, 0);
    putAll("a", "b", "c");
    PendingCall joined = h.call(s1, join("q", FOREVER));
    assertTrue(remove(positionOf("a")));
    assertFalse(joined.isDone());
    var cleared =
        h.call(s1, Call.newBuilder().setQueueClear(QueueClearRequest.newBuilder().setName("q")));
    assertEquals(2, cleared.reply().getQueueClear().getRemoved());
    assertTrue(joined.reply().getQueueJoin().getCompleted());
  }

  @Test
  void clear_leavesUnacknowledgedDeliveriesWithTheirTaker() {
    newQueue(QueueKind.FIFO, 0);
    putAll("a", "b");
    long delivery = h.call(s1, get("q", 0, false)).reply().getQueueGet().getDeliveryId();
    h.call(s1, Call.newBuilder().setQueueClear(QueueClearRequest.newBuilder().setName("q")))
        .reply();
    h.call(s1, ack("q", true, List.of(delivery))).reply();
    assertEquals(List.of("a"), takeAll());
  }
}
