package dev.colony.server.core;

import static dev.colony.server.core.SyncCalls.FOREVER;
import static dev.colony.server.core.SyncCalls.ack;
import static dev.colony.server.core.SyncCalls.delete;
import static dev.colony.server.core.SyncCalls.get;
import static dev.colony.server.core.SyncCalls.put;
import static dev.colony.server.core.SyncCalls.queue;
import static dev.colony.server.core.SyncCalls.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.Failure;
import dev.colony.proto.v1.ListAddRequest;
import dev.colony.proto.v1.ListClearRequest;
import dev.colony.proto.v1.ListRemoveRequest;
import dev.colony.proto.v1.ListSetRequest;
import dev.colony.proto.v1.MapClearRequest;
import dev.colony.proto.v1.MapEntry;
import dev.colony.proto.v1.MapPutAllRequest;
import dev.colony.proto.v1.MapPutRequest;
import dev.colony.proto.v1.MapRemoveRequest;
import dev.colony.proto.v1.MapReplaceRequest;
import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectType;
import dev.colony.proto.v1.QueueKind;
import dev.colony.proto.v1.Scalar;
import dev.colony.proto.v1.TaskCancelRequest;
import dev.colony.proto.v1.TaskSpec;
import dev.colony.proto.v1.TaskSubmitRequest;
import dev.colony.proto.v1.TaskWaitRequest;
import dev.colony.proto.v1.ValueOptions;
import dev.colony.proto.v1.ValueSetRequest;
import dev.colony.server.core.CoreHarness.PendingCall;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The byte limits: per queue, map or list, and over everything the coordinator stores. A store over
 * either is RESOURCE_EXHAUSTED / LIMIT_EXCEEDED naming the object, the limit and its flag; other
 * objects and sessions go on, and taking something out makes room again.
 */
class StoredBytesLimitTest {
  /** Every item in these tests is 100 characters, so each counts the same. */
  private static final long ITEM = Limits.storedSize(text(item(0)).getSerializedSize());

  private static final long PER_CONTAINER = 3 * ITEM;
  private static final long TOTAL = 5 * ITEM;
  private static final Limits LIMITS =
      Limits.defaults().withMaxBytesPerContainer(PER_CONTAINER).withMaxStoredBytes(TOTAL);

  private CoreHarness h = new CoreHarness(LIMITS);
  private final String s1 = h.session("s1");
  private final String s2 = h.session("s2");

  private static String item(int i) {
    return String.format("%03d", i) + "x".repeat(97);
  }

  private PendingCall putItem(String session, String queueName, int i) {
    return h.call(session, put(queueName, item(i), FOREVER));
  }

  private void newQueue(String name, long maxSize) {
    h.create(s1, queue(name, QueueKind.FIFO, maxSize));
  }

  private long stored() {
    return h.core.storedBytes();
  }

  private static Failure refused(PendingCall call, String... fragments) {
    Failure failure =
        ExpectFailure.of(
            call,
            CoreException.Code.RESOURCE_EXHAUSTED,
            dev.colony.proto.v1.ErrorReason.LIMIT_EXCEEDED);
    for (String fragment : fragments) {
      assertTrue(failure.getMessage().contains(fragment), failure::getMessage);
    }
    return failure;
  }

  private static String containerLimit() {
    return "(limit " + PER_CONTAINER + " per queue, map or list, --max-container-bytes)";
  }

  private static String totalLimit() {
    return "(limit " + TOTAL + ", --max-stored-bytes)";
  }

  // ---- queues ---------------------------------------------------------------------------

  @Test
  void queue_overItsByteLimit_isRefused_othersGoOn_andTakingMakesRoom() {
    newQueue("q", 0);
    for (int i = 0; i < 3; i++) {
      assertTrue(putItem(s1, "q", i).reply().getQueuePut().getAccepted());
    }

    refused(
        putItem(s1, "q", 3),
        "QUEUE 'q' cannot take " + ITEM + " more bytes: it stores " + 3 * ITEM,
        containerLimit());

    newQueue("other", 0);
    assertTrue(putItem(s2, "other", 0).reply().getQueuePut().getAccepted(), "another queue");
    h.call(s2, get("q", 0)).reply();
    assertTrue(putItem(s1, "q", 3).reply().getQueuePut().getAccepted(), "room again");
    assertEquals(4 * ITEM, stored());
  }

  @Test
  void blockedPut_countsWhileItWaits_andTheByteLimitIsAnErrorNotAWait() {
    newQueue("q", 1);
    putItem(s1, "q", 0).reply();
    PendingCall blocked = putItem(s1, "q", 1);
    assertFalse(blocked.isDone(), "a full bounded queue still blocks");
    PendingCall second = putItem(s2, "q", 2);
    assertFalse(second.isDone());
    assertEquals(3 * ITEM, stored());

    refused(putItem(s2, "q", 3), "QUEUE 'q'", containerLimit());

    h.cancel(s2, second);
    assertEquals(2 * ITEM, stored(), "a cancelled put no longer counts");
    h.call(s2, get("q", 0)).reply();
    assertTrue(blocked.reply().getQueuePut().getAccepted(), "the blocked put is admitted");
    assertEquals(ITEM, stored());
  }

  @Test
  void unacknowledgedItems_countUntilAcknowledged_andComeBackIfTheSessionEnds() {
    newQueue("q", 0);
    putItem(s1, "q", 0).reply();
    putItem(s1, "q", 1).reply();
    long first = h.call(s2, get("q", 0, false)).reply().getQueueGet().getDeliveryId();
    h.call(s2, get("q", 0, false)).reply();
    assertEquals(2 * ITEM, stored(), "delivered, not acknowledged");

    h.call(s2, ack("q", false, List.of(first))).reply();
    assertEquals(ITEM, stored());
    h.closeSession(s2);
    assertEquals(ITEM, stored(), "the held item is back in the queue");
    h.call(s1, get("q", 0)).reply();
    assertEquals(0, stored());
  }

  @Test
  void manyQueues_stopAtTheTotal_andDeletingOneMakesRoom() {
    newQueue("a", 0);
    newQueue("b", 0);
    for (int i = 0; i < 3; i++) {
      putItem(s1, "a", i).reply();
    }
    putItem(s2, "b", 0).reply();
    putItem(s2, "b", 1).reply();

    refused(
        putItem(s2, "b", 2),
        "QUEUE 'b' cannot take " + ITEM + " more bytes: the coordinator stores " + TOTAL,
        totalLimit());

    h.call(s1, delete("a")).reply();
    assertEquals(2 * ITEM, stored());
    assertTrue(putItem(s2, "b", 2).reply().getQueuePut().getAccepted());
  }

  // ---- maps -----------------------------------------------------------------------------

  private static MapEntry entry(int key, String value) {
    return MapEntry.newBuilder().setKey(text("k" + key)).setValue(text(value)).build();
  }

  private static long sizeOf(MapEntry entry) {
    return Limits.storedSize(entry.getSerializedSize());
  }

  private PendingCall mapPut(int key, String value) {
    MapEntry entry = entry(key, value);
    return h.call(
        s1,
        Call.newBuilder()
            .setMapPut(
                MapPutRequest.newBuilder()
                    .setName("m")
                    .setKey(entry.getKey())
                    .setValue(entry.getValue())));
  }

  @Test
  void map_putReplaceAndPutAll_stopAtTheLimit_andRemoveOrClearMakesRoom() {
    h.create(s1, "m", ObjectType.MAP);
    mapPut(1, item(1)).reply();
    mapPut(2, item(2)).reply();
    long two = sizeOf(entry(1, item(1))) + sizeOf(entry(2, item(2)));
    assertEquals(two, stored());

    // Each step below would take the map past three items' worth of bytes.
    String big = item(3).repeat(2);
    refused(mapPut(3, big), "MAP 'm' cannot take", containerLimit());
    refused(
        h.call(
            s1,
            Call.newBuilder()
                .setMapReplace(
                    MapReplaceRequest.newBuilder()
                        .setName("m")
                        .setKey(text("k1"))
                        .setValue(text(item(1).repeat(4))))),
        "MAP 'm'",
        containerLimit());
    refused(
        h.call(
            s1,
            Call.newBuilder()
                .setMapPutAll(
                    MapPutAllRequest.newBuilder()
                        .setName("m")
                        .addEntries(entry(3, item(3)))
                        .addEntries(entry(4, item(4))))),
        "MAP 'm'",
        containerLimit());
    assertEquals(two, stored(), "a refused batch stores nothing");

    // Overwriting a key counts the new value only once.
    mapPut(1, item(9)).reply();
    assertEquals(two, stored());

    h.call(
            s1,
            Call.newBuilder()
                .setMapRemove(MapRemoveRequest.newBuilder().setName("m").setKey(text("k1"))))
        .reply();
    assertEquals(sizeOf(entry(2, item(2))), stored());
    mapPut(3, item(3)).reply();
    h.call(s1, Call.newBuilder().setMapClear(MapClearRequest.newBuilder().setName("m"))).reply();
    assertEquals(0, stored());
  }

  // ---- lists ----------------------------------------------------------------------------

  private PendingCall listAdd(int... items) {
    ListAddRequest.Builder add = ListAddRequest.newBuilder().setName("l");
    for (int i : items) {
      add.addItems(text(item(i)));
    }
    return h.call(s1, Call.newBuilder().setListAdd(add));
  }

  @Test
  void list_addAndSet_stopAtTheLimit_andRemoveOrClearMakesRoom() {
    h.create(s1, "l", ObjectType.LIST);
    listAdd(0, 1).reply();

    refused(listAdd(2, 3), "LIST 'l' cannot take " + 2 * ITEM, containerLimit());
    assertEquals(2 * ITEM, stored(), "a refused batch stores nothing");
    refused(
        h.call(
            s1,
            Call.newBuilder()
                .setListSet(
                    ListSetRequest.newBuilder()
                        .setName("l")
                        .setIndex(0)
                        .setItem(text(item(0).repeat(4))))),
        "LIST 'l'",
        containerLimit());

    h.call(s1, Call.newBuilder().setListRemove(ListRemoveRequest.newBuilder().setName("l")))
        .reply();
    assertEquals(ITEM, stored());
    listAdd(2, 3).reply();
    h.call(s1, Call.newBuilder().setListClear(ListClearRequest.newBuilder().setName("l"))).reply();
    assertEquals(0, stored());
  }

  // ---- values and tasks -----------------------------------------------------------------

  @Test
  void values_countTowardTheTotal() {
    newQueue("q", 0);
    for (int i = 0; i < 3; i++) {
      putItem(s1, "q", i).reply();
    }
    ObjectCreateRequest.Builder value =
        ObjectCreateRequest.newBuilder()
            .setName("v")
            .setType(ObjectType.VALUE)
            .setValue(
                ValueOptions.newBuilder()
                    .setInitial(Scalar.newBuilder().setStringValue("x".repeat(100))));
    h.create(s1, value);
    long afterCreate = stored();
    assertEquals(3 * ITEM + Limits.storedSize(100), afterCreate);

    String tooBig = "y".repeat((int) ITEM * 2);
    refused(
        h.call(
            s1,
            Call.newBuilder()
                .setValueSet(
                    ValueSetRequest.newBuilder()
                        .setName("v")
                        .setValue(Scalar.newBuilder().setStringValue(tooBig)))),
        "VALUE 'v'",
        totalLimit());
    assertEquals(afterCreate, stored());
    h.call(s1, delete("v")).reply();
    assertEquals(3 * ITEM, stored());
  }

  private TaskSubmitRequest.Builder tasks(int n) {
    TaskSubmitRequest.Builder submit = TaskSubmitRequest.newBuilder();
    for (int i = 0; i < n; i++) {
      submit.addTasks(TaskSpec.newBuilder().setTaskName("Echo").addArguments(text(item(i))));
    }
    return submit;
  }

  @Test
  void queuedTasks_countTowardTheTotal_untilTheirResultsAreCollected() {
    long oneTask = Limits.storedSize(tasks(1).getTasks(0).getSerializedSize());
    int fit = (int) (TOTAL / oneTask);
    List<Long> ids =
        h.call(s1, Call.newBuilder().setTaskSubmit(tasks(fit)))
            .reply()
            .getTaskSubmit()
            .getTaskIdsList();
    assertEquals(fit * oneTask, stored());

    refused(
        h.call(s2, Call.newBuilder().setTaskSubmit(tasks(1))),
        "a task cannot take " + oneTask + " more bytes",
        totalLimit());

    h.call(
            s1,
            Call.newBuilder().setTaskCancel(TaskCancelRequest.newBuilder().addTaskIds(ids.get(0))))
        .reply();
    assertTrue(
        stored() > fit * oneTask, "a finished task is kept, with its error, until collected");
    h.call(
            s1,
            Call.newBuilder()
                .setTaskWait(
                    TaskWaitRequest.newBuilder()
                        .addTaskIds(ids.get(0))
                        .setAll(true)
                        .setForget(true)))
        .reply();
    assertEquals((fit - 1) * oneTask, stored());
    h.call(s2, Call.newBuilder().setTaskSubmit(tasks(1))).reply();
  }

  // ---- snapshots ------------------------------------------------------------------------

  @Test
  void countsSurviveSnapshotAndRestore() {
    newQueue("q", 1);
    putItem(s1, "q", 0).reply();
    assertFalse(putItem(s1, "q", 1).isDone(), "blocked put");
    newQueue("u", 0);
    putItem(s1, "u", 2).reply();
    h.call(s2, get("u", 0, false)).reply();
    h.create(s1, "l", ObjectType.LIST);
    listAdd(3).reply();
    long before = stored();
    assertEquals(4 * ITEM, before);

    CoordinatorCore restored =
        CoordinatorCore.restore(LIMITS, CoreOptions.defaults(), h.core.snapshot());

    assertEquals(before, restored.storedBytes());
    // A restore never refuses what it holds, even under lower limits than it was stored with.
    CoordinatorCore tighter =
        CoordinatorCore.restore(
            LIMITS.withMaxStoredBytes(ITEM).withMaxBytesPerContainer(ITEM),
            CoreOptions.defaults(),
            h.core.snapshot());
    assertEquals(before, tighter.storedBytes());
  }
}
