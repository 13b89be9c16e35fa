package dev.colony.server.core;

import static dev.colony.server.core.SyncCalls.ack;
import static dev.colony.server.core.SyncCalls.acquire;
import static dev.colony.server.core.SyncCalls.await;
import static dev.colony.server.core.SyncCalls.condition;
import static dev.colony.server.core.SyncCalls.delete;
import static dev.colony.server.core.SyncCalls.get;
import static dev.colony.server.core.SyncCalls.join;
import static dev.colony.server.core.SyncCalls.put;
import static dev.colony.server.core.SyncCalls.semAcquire;
import static dev.colony.server.core.SyncCalls.signal;
import static dev.colony.server.core.SyncCalls.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.proto.v1.BarrierAwaitRequest;
import dev.colony.proto.v1.BarrierOptions;
import dev.colony.proto.v1.BarrierSnapshot;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.Command;
import dev.colony.proto.v1.CommandBatch;
import dev.colony.proto.v1.CoreSnapshot;
import dev.colony.proto.v1.EventWaitRequest;
import dev.colony.proto.v1.LatchAwaitRequest;
import dev.colony.proto.v1.LatchCountDownRequest;
import dev.colony.proto.v1.LatchOptions;
import dev.colony.proto.v1.ListAddRequest;
import dev.colony.proto.v1.MapPutRequest;
import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectSnapshot;
import dev.colony.proto.v1.ObjectType;
import dev.colony.proto.v1.OpenSessionCommand;
import dev.colony.proto.v1.Output;
import dev.colony.proto.v1.QueueKind;
import dev.colony.proto.v1.RestartCommand;
import dev.colony.proto.v1.Scalar;
import dev.colony.proto.v1.SessionOpenRequest;
import dev.colony.proto.v1.TaskSpec;
import dev.colony.proto.v1.TaskSubmitRequest;
import dev.colony.proto.v1.TaskValues;
import dev.colony.proto.v1.TaskWaitRequest;
import dev.colony.proto.v1.TickCommand;
import dev.colony.proto.v1.ValueOptions;
import dev.colony.proto.v1.WorkerCredit;
import dev.colony.proto.v1.WorkerFrame;
import dev.colony.proto.v1.WorkerHello;
import dev.colony.proto.v1.WorkerTaskResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each object type, with callers parked on every one of its blocking operations: its snapshot
 * restores into a core whose snapshot is the same bytes, and which then behaves the same (every
 * deadline firing, leases running out and a restart withdrawing what still waits give the same
 * outputs, in the same order).
 */
class SnapshotRoundTripTest {
  private static final long SOON = 2_000;
  private static final long FOREVER = SyncCalls.FOREVER;

  private final CoreHarness h = new CoreHarness();

  @Test
  void queue() throws IOException {
    h.session("s1");
    h.session("s2");
    h.create("s1", SyncCalls.queue("q", QueueKind.FIFO, 1));
    h.call("s1", put("q", "a", FOREVER)).reply();
    h.call("s1", put("q", "b", SOON)); // parked putter, with a deadline
    long delivery = h.call("s2", get("q", FOREVER, false)).reply().getQueueGet().getDeliveryId();
    h.call("s2", put("q", "c", FOREVER)); // parked putter, without one
    h.call("s1", join("q", SOON)); // parked joiner
    h.create("s1", SyncCalls.queue("empty", QueueKind.FIFO, 0));
    h.call("s1", get("empty", SOON, true)); // parked getters
    h.call("s2", get("empty", FOREVER, false));
    h.create("s1", SyncCalls.queue("pq", QueueKind.PRIORITY, 0));
    for (int i = 0; i < 6; i++) {
      h.call("s1", put("pq", "p" + i, i % 3, FOREVER)).reply();
    }
    long taken = h.call("s2", get("pq", FOREVER, false)).reply().getQueueGet().getDeliveryId();
    h.call("s2", ack("pq", true, List.of(taken))).reply(); // back to the head: a negative seq
    h.call("s2", get("pq", FOREVER, false)).reply();
    h.create("s1", SyncCalls.queue("stack", QueueKind.LIFO, 0));
    for (int i = 0; i < 4; i++) {
      h.call("s1", put("stack", "x" + i, FOREVER)).reply();
    }
    CoreSnapshot snapshot = roundTrip(ObjectSnapshot.StateCase.QUEUE);
    assertEquals(2, snapshot.getSessions(0).getPendingCallIdsCount(), "s1's join and get");
    assertTrue(delivery > 0);
  }

  @Test
  void lockAndCondition() throws IOException {
    h.session("s1");
    h.session("s2");
    h.session("s3");
    h.create("s1", "r", ObjectType.RLOCK);
    h.call("s1", acquire("r", 1, FOREVER)).reply();
    h.call("s1", acquire("r", 1, FOREVER)).reply(); // hold count 2
    h.call("s2", acquire("r", 2, SOON)); // parked acquires
    h.call("s3", acquire("r", 3, FOREVER));

    h.create("s1", "l", ObjectType.LOCK);
    h.create("s1", condition("c", "l"));
    h.call("s1", acquire("l", 1, FOREVER)).reply();
    h.call("s1", await("c", 1, SOON)); // waits for a signal, with a deadline
    h.call("s2", acquire("l", 2, FOREVER)).reply();
    h.call("s2", await("c", 2, FOREVER));
    h.call("s3", acquire("l", 3, FOREVER)).reply();
    h.call("s3", signal("c", 3, 1, false)).reply(); // s1's await queues for the lock
    h.call("s1", acquire("l", 7, FOREVER)); // a plain acquire behind it
    h.call("s3", signal("c", 3, 1, false)).reply(); // then s2's await

    // A condition whose lock was deleted while an await was queued on it.
    h.create("s1", "dl", ObjectType.LOCK);
    h.create("s1", condition("dc", "dl"));
    h.call("s2", acquire("dl", 2, FOREVER)).reply();
    h.call("s2", await("dc", 2, FOREVER));
    h.call("s3", acquire("dl", 3, FOREVER)).reply();
    h.call("s3", signal("dc", 3, 1, false)).reply();
    h.call("s3", delete("dl")).reply();
    h.create("s1", "dl", ObjectType.RLOCK); // another lock under the same name

    CoreSnapshot snapshot = roundTrip(ObjectSnapshot.StateCase.LOCK);
    ObjectSnapshot dc = object(snapshot, "dc");
    assertTrue(dc.getCondition().getLockDeleted());
    assertEquals(2, object(snapshot, "c").getCondition().getReacquiringCount());
    assertEquals(3, object(snapshot, "l").getLock().getQueueCount());
  }

  @Test
  void semaphore() throws IOException {
    h.session("s1");
    h.session("s2");
    h.create("s1", SyncCalls.semaphore("sem", ObjectType.SEMAPHORE, 2));
    h.call("s1", semAcquire("sem", 2, FOREVER)).reply();
    h.call("s2", semAcquire("sem", 1, SOON));
    h.call("s2", semAcquire("sem", 2, FOREVER));
    h.create("s1", SyncCalls.semaphore("bsem", ObjectType.BOUNDED_SEMAPHORE, 3));
    h.call("s2", semAcquire("bsem", 1, FOREVER)).reply();
    h.call("s1", semAcquire("bsem", 1, FOREVER)).reply();
    h.call("s1", semAcquire("bsem", 3, FOREVER));
    roundTrip(ObjectSnapshot.StateCase.SEMAPHORE);
  }

  @Test
  void deadlockCycle() throws IOException {
    h.session("s1");
    h.session("s2");
    h.create("s1", "a", ObjectType.LOCK);
    h.create("s1", "b", ObjectType.LOCK);
    h.call("s1", acquire("a", 1, FOREVER)).reply();
    h.call("s2", acquire("b", 1, FOREVER)).reply();
    h.call("s1", acquire("b", 1, FOREVER));
    h.call("s2", acquire("a", 1, SOON));
    CoreSnapshot snapshot = roundTrip(ObjectSnapshot.StateCase.LOCK);
    assertEquals(1, snapshot.getDeadlocks().getDetected());
    assertEquals(1, snapshot.getDeadlocks().getCyclesCount());
  }

  @Test
  void eventBarrierAndLatch() throws IOException {
    h.session("s1");
    h.session("s2");
    h.create("s1", "e", ObjectType.EVENT);
    h.call("s1", Call.newBuilder().setEventWait(EventWaitRequest.newBuilder().setName("e")));
    h.call(
        "s2",
        Call.newBuilder()
            .setEventWait(EventWaitRequest.newBuilder().setName("e").setTimeoutMs(SOON)));
    h.create(
        "s1",
        ObjectCreateRequest.newBuilder()
            .setName("b")
            .setType(ObjectType.BARRIER)
            .setBarrier(BarrierOptions.newBuilder().setParties(3)));
    h.call("s1", Call.newBuilder().setBarrierAwait(BarrierAwaitRequest.newBuilder().setName("b")));
    h.call(
        "s2",
        Call.newBuilder()
            .setBarrierAwait(BarrierAwaitRequest.newBuilder().setName("b").setTimeoutMs(SOON)));
    h.create(
        "s1",
        ObjectCreateRequest.newBuilder()
            .setName("latch")
            .setType(ObjectType.COUNT_DOWN_LATCH)
            .setLatch(LatchOptions.newBuilder().setCount(3)));
    h.call(
            "s1",
            Call.newBuilder()
                .setLatchCountDown(LatchCountDownRequest.newBuilder().setName("latch")))
        .reply();
    h.call("s1", Call.newBuilder().setLatchAwait(LatchAwaitRequest.newBuilder().setName("latch")));
    h.call(
        "s2",
        Call.newBuilder()
            .setLatchAwait(LatchAwaitRequest.newBuilder().setName("latch").setTimeoutMs(SOON)));
    roundTrip(ObjectSnapshot.StateCase.EVENT);
  }

  @Test
  void barrierWhileItsActionRuns() throws IOException {
    h.session("s1");
    h.session("s2");
    h.create(
        "s1",
        ObjectCreateRequest.newBuilder()
            .setName("b")
            .setType(ObjectType.BARRIER)
            .setBarrier(BarrierOptions.newBuilder().setParties(2)));
    h.call(
        "s1",
        Call.newBuilder()
            .setBarrierAwait(BarrierAwaitRequest.newBuilder().setName("b").setTimeoutMs(SOON)));
    assertTrue(
        h.call(
                "s2",
                Call.newBuilder()
                    .setBarrierAwait(
                        BarrierAwaitRequest.newBuilder().setName("b").setHasAction(true)))
            .reply()
            .getBarrierAwait()
            .getRunAction());
    h.call("s1", Call.newBuilder().setBarrierAwait(BarrierAwaitRequest.newBuilder().setName("b")));
    CoreSnapshot snapshot = roundTrip(ObjectSnapshot.StateCase.BARRIER);
    BarrierSnapshot barrier = object(snapshot, "b").getBarrier();
    assertEquals(1, barrier.getTrippedCount());
    assertEquals(1, barrier.getDeferredCount());
    assertFalse(barrier.getActionSessionId().isEmpty());
  }

  @Test
  void taskCancelledWhileItRuns_staysWithItsWorkerOffTheBoard() throws IOException {
    h.session("s1");
    String worker =
        h.workerJoin(
            WorkerHello.newBuilder().setName("w").setHost("h").setPid(1).setSlots(1).build(),
            frame -> {});
    h.call(
            "s1",
            Call.newBuilder()
                .setTaskSubmit(
                    TaskSubmitRequest.newBuilder()
                        .addTasks(TaskSpec.newBuilder().setTaskName("T").setDaemon(true))))
        .reply();
    h.workerFrame(
        worker, WorkerFrame.newBuilder().setCredit(WorkerCredit.newBuilder().setSlots(1)).build());
    // Its submitter leaves: the daemon task is cancelled and leaves the board, yet the worker has
    // not reported on it.
    h.closeSession("s1");
    CoreSnapshot snapshot = roundTrip(null);
    assertEquals(0, snapshot.getTasks().getTasksCount());
    assertEquals(1, snapshot.getTasks().getDetachedCount());
  }

  @Test
  void valueMapAndList() throws IOException {
    h.session("s1");
    h.create(
        "s1",
        ObjectCreateRequest.newBuilder()
            .setName("v")
            .setType(ObjectType.VALUE)
            .setValue(
                ValueOptions.newBuilder().setInitial(Scalar.newBuilder().setStringValue("x"))));
    h.create("s1", "m", ObjectType.MAP);
    for (String key : List.of("k3", "k1", "k2", "k1")) {
      h.call(
              "s1",
              Call.newBuilder()
                  .setMapPut(
                      MapPutRequest.newBuilder()
                          .setName("m")
                          .setKey(text(key))
                          .setValue(text("v-" + key))))
          .reply();
    }
    h.create("s1", "list", ObjectType.LIST);
    h.call(
            "s1",
            Call.newBuilder()
                .setListAdd(
                    ListAddRequest.newBuilder()
                        .setName("list")
                        .addItems(text("one"))
                        .addItems(text("two"))))
        .reply();
    CoreSnapshot snapshot = roundTrip(ObjectSnapshot.StateCase.MAP);
    assertEquals(3, object(snapshot, "m").getMap().getEntriesCount());
    assertEquals("x", object(snapshot, "v").getValue().getCurrent().getStringValue());
  }

  @Test
  void tasksAndWorkers() throws IOException {
    h.session("s1", 5_000);
    h.session("s2");
    List<WorkerFrame> unused = new ArrayList<>();
    List<Long> assigned = new ArrayList<>();
    String w1 =
        h.workerJoin(
            WorkerHello.newBuilder().setName("w1").setHost("h").setPid(1).setSlots(2).build(),
            frame -> {
              if (frame.hasTask()) {
                assigned.add(frame.getTask().getTaskId());
              }
            });
    TaskSubmitRequest.Builder submit = TaskSubmitRequest.newBuilder();
    for (int i = 0; i < 5; i++) {
      submit.addTasks(TaskSpec.newBuilder().setTaskName("T").setDaemon(i == 4));
    }
    List<Long> ids =
        h.call("s1", Call.newBuilder().setTaskSubmit(submit))
            .reply()
            .getTaskSubmit()
            .getTaskIdsList();
    h.workerFrame(
        w1, WorkerFrame.newBuilder().setCredit(WorkerCredit.newBuilder().setSlots(2)).build());
    assertEquals(2, assigned.size());
    // Task 1 succeeds and is collected by a forgetting wait; a wait on 1 and 3 still shows it.
    h.call("s2", waitFor(FOREVER, true, false, ids.get(0), ids.get(2)));
    result(w1, ids.get(0), true);
    h.call("s1", waitFor(FOREVER, false, true, ids.get(0))).reply();
    // Task 2 fails: a recent failure.
    result(w1, ids.get(1), false);
    h.call("s1", waitFor(SOON, false, false, ids.get(3)));
    // A parked wait for any of s2's tasks (it has none): restored as it was.
    h.call(
        "s2",
        Call.newBuilder()
            .setTaskWait(
                TaskWaitRequest.newBuilder().setMine(true).setForget(true).setTimeoutMs(SOON)));
    String w2 =
        h.workerJoin(
            WorkerHello.newBuilder().setName("w2").setHost("h").setPid(2).setSlots(1).build(),
            frame -> {});
    // w2 has no credit yet: task 5 stays queued.
    CoreSnapshot snapshot = roundTrip(null);
    assertEquals(1, snapshot.getTasks().getDetachedCount());
    assertEquals(1, snapshot.getTasks().getRecentFailuresCount());
    assertFalse(snapshot.getTasks().getQueuedList().isEmpty());
    assertTrue(unused.isEmpty());
  }

  // ---- helpers --------------------------------------------------------------------------

  private static Call.Builder waitFor(long timeout, boolean all, boolean forget, Long... ids) {
    TaskWaitRequest.Builder wait =
        TaskWaitRequest.newBuilder().addAllTaskIds(List.of(ids)).setAll(all).setForget(forget);
    if (timeout != FOREVER) {
      wait.setTimeoutMs(timeout);
    }
    return Call.newBuilder().setTaskWait(wait);
  }

  private void result(String worker, long taskId, boolean ok) {
    WorkerTaskResult.Builder result = WorkerTaskResult.newBuilder().setTaskId(taskId).setAttempt(1);
    if (ok) {
      result.setValues(TaskValues.newBuilder().addValues(text("done")));
    } else {
      result.setError(
          dev.colony.proto.v1.RemoteError.newBuilder().setClassName("E").setMessage("boom"));
    }
    h.workerFrame(worker, WorkerFrame.newBuilder().setResult(result).build());
  }

  private static ObjectSnapshot object(CoreSnapshot snapshot, String name) {
    return snapshot.getObjectsList().stream()
        .filter(o -> o.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  /**
   * Snapshot, restore, snapshot again: the same bytes. Then both cores live on through the same
   * later batches (a new session's calls, every deadline firing, a restart) with the same outputs.
   */
  private CoreSnapshot roundTrip(ObjectSnapshot.StateCase expected) throws IOException {
    CoreSnapshot snapshot = h.core.snapshot();
    byte[] bytes = snapshot.toByteArray();
    CoordinatorCore restored =
        CoordinatorCore.restore(h.core.limits(), h.core.options(), CoreSnapshot.parseFrom(bytes));
    assertArrayEquals(bytes, restored.snapshot().toByteArray(), () -> "snapshot:\n" + snapshot);
    assertEquals(h.core.digest(), restored.digest());
    if (expected != null) {
      assertTrue(
          snapshot.getObjectsList().stream().anyMatch(o -> o.getStateCase() == expected),
          "a " + expected + " in the snapshot");
    }
    long now = h.clock.get();
    List<CommandBatch> later =
        List.of(
            batch(
                now + 1,
                Command.newBuilder()
                    .setOpenSession(
                        OpenSessionCommand.newBuilder()
                            .setSessionId("late")
                            .setReplyTo(9_000)
                            .setRequest(SessionOpenRequest.newBuilder().setTtlMs(60_000)))),
            batch(now + SOON + 1, Command.newBuilder().setTick(TickCommand.getDefaultInstance())),
            batch(now + 600_000, Command.newBuilder().setTick(TickCommand.getDefaultInstance())),
            batch(
                now + 600_001,
                Command.newBuilder().setRestart(RestartCommand.getDefaultInstance())));
    for (CommandBatch batch : later) {
      h.core.apply(batch);
      restored.apply(batch);
      assertArrayEquals(
          bytes(h.core.outbox().drain()),
          bytes(restored.outbox().drain()),
          "outputs at " + batch.getNowMs());
      assertEquals(h.core.digest(), restored.digest());
    }
    return snapshot;
  }

  private static CommandBatch batch(long now, Command.Builder command) {
    return CommandBatch.newBuilder().setNowMs(now).addCommands(command).build();
  }

  private static byte[] bytes(List<Output> outputs) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (Output output : outputs) {
      output.writeDelimitedTo(bytes);
    }
    return bytes.toByteArray();
  }
}
