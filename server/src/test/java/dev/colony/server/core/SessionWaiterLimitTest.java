package dev.colony.server.core;

import static dev.colony.server.core.SyncCalls.FOREVER;
import static dev.colony.server.core.SyncCalls.acquire;
import static dev.colony.server.core.SyncCalls.get;
import static dev.colony.server.core.SyncCalls.put;
import static dev.colony.server.core.SyncCalls.queue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.Failure;
import dev.colony.proto.v1.ObjectType;
import dev.colony.proto.v1.QueueKind;
import dev.colony.proto.v1.TaskSpec;
import dev.colony.proto.v1.TaskSubmitRequest;
import dev.colony.proto.v1.TaskWaitRequest;
import dev.colony.server.core.CoreHarness.PendingCall;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One session may have only so many calls blocked at once, across every object, so it cannot fill
 * every object's waiter list; other sessions still block, and a finished wait frees a place.
 */
class SessionWaiterLimitTest {
  private static final int PER_SESSION = 3;
  private static final Limits LIMITS = Limits.defaults().withMaxWaitersPerSession(PER_SESSION);

  private final CoreHarness h = new CoreHarness(LIMITS);
  private final String flood = h.session("flood");
  private final String other = h.session("other");

  private static void assertRefused(PendingCall call, String... fragments) {
    Failure failure =
        ExpectFailure.of(call, CoreException.Code.RESOURCE_EXHAUSTED, ErrorReason.LIMIT_EXCEEDED);
    for (String fragment : fragments) {
      assertTrue(failure.getMessage().contains(fragment), failure::getMessage);
    }
  }

  @Test
  void blockedCallsOnManyObjects_stopAtTheSessionLimit_whileAnotherSessionBlocks() {
    h.create(flood, queue("q1", QueueKind.FIFO, 0));
    h.create(flood, queue("q2", QueueKind.FIFO, 0));
    h.create(flood, "lock", ObjectType.LOCK);
    h.call(other, acquire("lock", 1, FOREVER)).reply();

    PendingCall first = h.call(flood, get("q1", FOREVER));
    PendingCall second = h.call(flood, get("q2", FOREVER));
    PendingCall third = h.call(flood, acquire("lock", 1, FOREVER));
    assertFalse(first.isDone() || second.isDone() || third.isDone(), "all three block");

    String label = Session.labelOf(flood);
    assertRefused(
        h.call(flood, get("q1", FOREVER)),
        "cannot block on QUEUE 'q1': session " + label + " already has 3 blocked calls",
        "(limit 3 per session, --max-waiters-per-session)");
    PendingCall elsewhere = h.call(other, get("q1", FOREVER));
    assertFalse(elsewhere.isDone(), "another session still blocks");

    h.call(other, put("q1", "a", 0)).reply();
    assertTrue(first.isDone(), "the oldest getter was served");
    PendingCall again = h.call(flood, get("q2", FOREVER));
    assertFalse(again.isDone(), "a served call freed a place");
  }

  @Test
  void timedOutAndCancelledWaits_freeTheirPlaces() {
    h.create(flood, queue("q", QueueKind.FIFO, 0));
    h.call(flood, get("q", 100));
    PendingCall cancelled = h.call(flood, get("q", FOREVER));
    h.call(flood, get("q", FOREVER));
    assertRefused(h.call(flood, get("q", FOREVER)), "already has 3 blocked calls");

    h.advance(100);
    h.cancel(flood, cancelled);
    PendingCall one = h.call(flood, get("q", FOREVER));
    PendingCall two = h.call(flood, get("q", FOREVER));
    assertFalse(one.isDone() || two.isDone(), "both places were freed");
    assertRefused(h.call(flood, get("q", FOREVER)), "already has 3 blocked calls");
  }

  @Test
  void taskWaits_countToo() {
    long task =
        h.call(
                flood,
                Call.newBuilder()
                    .setTaskSubmit(
                        TaskSubmitRequest.newBuilder()
                            .addTasks(TaskSpec.newBuilder().setTaskName("Echo"))))
            .reply()
            .getTaskSubmit()
            .getTaskIds(0);
    Call.Builder wait =
        Call.newBuilder()
            .setTaskWait(TaskWaitRequest.newBuilder().addAllTaskIds(List.of(task)).setAll(true));
    for (int i = 0; i < PER_SESSION; i++) {
      assertFalse(h.call(flood, wait.clone()).isDone(), "wait " + i);
    }

    assertRefused(
        h.call(flood, wait.clone()), "cannot block on tasks", "--max-waiters-per-session");
  }

  @Test
  void theCountSurvivesSnapshotAndRestore() {
    h.create(flood, queue("q", QueueKind.FIFO, 0));
    for (int i = 0; i < PER_SESSION; i++) {
      h.call(flood, get("q", FOREVER));
    }

    CoordinatorCore restored =
        CoordinatorCore.restore(LIMITS, CoreOptions.defaults(), h.core.snapshot());

    Session session =
        restored.sessions().stream().filter(s -> s.id().equals(flood)).findFirst().orElseThrow();
    assertEquals(PER_SESSION, session.pendingCalls());
  }
}
