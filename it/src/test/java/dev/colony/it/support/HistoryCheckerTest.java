package dev.colony.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.it.support.History.Event;
import dev.colony.it.support.History.Type;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checker on hand-made histories: valid ones pass, and each kind of violation is caught. */
class HistoryCheckerTest {

  /** Events in the order they are added; each gets the next stamp and its client's next seq. */
  private static final class Events {
    final List<Event> events = new ArrayList<>();
    private final Map<String, Long> seqs = new HashMap<>();
    private long clock;

    Events invoke(String client, String op, Long value) {
      return add(client, Type.INVOKE, op, value);
    }

    Events ok(String client, String op, Long value) {
      return add(client, Type.OK, op, value);
    }

    Events unknown(String client, String op) {
      return add(client, Type.UNKNOWN, op, null);
    }

    /** A whole operation, invoked and acknowledged before anything else happens. */
    Events done(String client, String op, Long argument, Long result) {
      return invoke(client, op, argument).ok(client, op, result);
    }

    /** A turn on the lock: granted {@code token}, writes it, unlocks. */
    Events turn(String client, long token) {
      return done(client, "lock", null, token)
          .done(client, "write", token, null)
          .done(client, "unlock", null, null);
    }

    private Events add(String client, Type type, String op, Long value) {
      long seq = seqs.merge(client, 1L, Long::sum) - 1;
      events.add(new Event(client, seq, type, op, value, clock++));
      return this;
    }
  }

  @Test
  void validQueueHistory_withUnknownOutcomes_passes() {
    Events h =
        new Events()
            .done("p1", "put", 1L, null)
            .done("p2", "put", 2L, null)
            .invoke("p1", "put", 3L)
            .unknown("p1", "put")
            .invoke("p2", "put", 4L) // never completed: unknown, and never taken
            .done("c1", "take", null, 2L)
            .done("c2", "take", null, 1L)
            .done("c1", "take", null, 3L)
            .done("c1", "take", null, -1L);
    assertEquals(List.of(), HistoryChecker.checkQueue(h.events));
  }

  @Test
  void lostAcknowledgedItem_isCaught() {
    Events h = new Events().done("p1", "put", 1L, null).done("p1", "put", 2L, null);
    h.done("c1", "take", null, 1L);
    assertViolation(HistoryChecker.checkQueue(h.events), "acknowledged items never taken");
  }

  @Test
  void anItemMissing_isAllowedOnlyAsFarAsTakesOfUnknownOutcomeGo() {
    Events h =
        new Events()
            .done("p1", "put", 1L, null)
            .done("p1", "put", 2L, null)
            .invoke("c1", "take", null)
            .unknown("c1", "take")
            .done("c1", "take", null, 2L);
    assertEquals(List.of(), HistoryChecker.checkQueue(h.events));
  }

  @Test
  void duplicateDelivery_isCaught() {
    Events h =
        new Events()
            .done("p1", "put", 1L, null)
            .done("c1", "take", null, 1L)
            .done("c2", "take", null, 1L);
    assertViolation(HistoryChecker.checkQueue(h.events), "delivered more than once");
  }

  @Test
  void unknownPutDeliveredTwice_isCaught() {
    Events h =
        new Events()
            .invoke("p1", "put", 1L)
            .unknown("p1", "put")
            .done("c1", "take", null, 1L)
            .done("c2", "take", null, 1L);
    assertViolation(HistoryChecker.checkQueue(h.events), "delivered more than once");
  }

  @Test
  void itemNeverPut_isCaught() {
    Events h = new Events().done("p1", "put", 1L, null).done("c1", "take", null, 1L);
    h.done("c1", "take", null, 7L);
    assertViolation(HistoryChecker.checkQueue(h.events), "never put");
  }

  @Test
  void validCounterHistory_passes_andTheFinalValueMayCountUnknownIncrements() {
    Events h =
        new Events()
            .done("a", "incr", null, 1L)
            .invoke("b", "incr", null)
            .unknown("b", "incr")
            .done("a", "incr", null, 2L);
    assertEquals(List.of(), HistoryChecker.checkCounter(h.events, 3));
    assertEquals(List.of(), HistoryChecker.checkCounter(h.events, 2));
  }

  @Test
  void counterValueSeenTwice_isCaught() {
    Events h =
        new Events()
            .done("a", "incr", null, 1L)
            .done("b", "incr", null, 2L)
            .done("a", "incr", null, 2L);
    assertViolation(HistoryChecker.checkCounter(h.events, 3), "returned more than once");
  }

  @Test
  void counterFinalValue_outsideAckedAndAckedPlusUnknown_isCaught() {
    Events h =
        new Events()
            .done("a", "incr", null, 1L)
            .done("b", "incr", null, 2L)
            .invoke("b", "incr", null)
            .unknown("b", "incr");
    assertViolation(HistoryChecker.checkCounter(h.events, 4), "the counter ends at 4");
    assertViolation(HistoryChecker.checkCounter(h.events, 1), "the counter ends at 1");
  }

  @Test
  void validLockHistory_passes() {
    Events h = new Events().turn("a", 1).turn("b", 2).turn("a", 5);
    assertEquals(List.of(), HistoryChecker.checkLock(h.events, List.of(1L, 2L, 5L)));
  }

  @Test
  void overlappingLockHolders_areCaught() {
    Events h =
        new Events()
            .done("a", "lock", null, 1L)
            .done("b", "lock", null, 2L) // granted while a still holds 1
            .done("a", "write", 1L, null)
            .done("a", "unlock", null, null)
            .done("b", "write", 2L, null)
            .done("b", "unlock", null, null);
    assertViolation(HistoryChecker.checkLock(h.events, List.of(1L, 2L)), "holders overlapping");
  }

  @Test
  void staleHolderWritingAfterTheNextOne_isCaught() {
    Events h =
        new Events()
            .done("a", "lock", null, 1L)
            .done("b", "lock", null, 2L)
            .done("b", "write", 2L, null)
            .done("a", "write", 1L, null)
            .done("b", "unlock", null, null)
            .done("a", "unlock", null, null);
    List<String> violations = HistoryChecker.checkLock(h.events, List.of(2L, 1L));
    assertViolation(violations, "out of token order");
  }

  @Test
  void fencingTokenGoingBackwards_forOneClient_isCaught() {
    Events h = new Events().turn("a", 4).turn("a", 3);
    assertViolation(HistoryChecker.checkLock(h.events, List.of(4L, 3L)), "going backwards");
  }

  @Test
  void fencingTokenGoingBackwards_inRealTime_isCaught() {
    Events h = new Events().turn("a", 4).turn("b", 3);
    assertViolation(HistoryChecker.checkLock(h.events, List.of(3L)), "going backwards");
  }

  @Test
  void fencingTokenGrantedTwice_isCaught() {
    Events h = new Events().turn("a", 1).turn("b", 1);
    assertViolation(HistoryChecker.checkLock(h.events, List.of(1L, 1L)), "granted twice");
  }

  @Test
  void acknowledgedProtectedWriteMissing_isCaught() {
    Events h = new Events().turn("a", 1).turn("b", 2);
    assertViolation(HistoryChecker.checkLock(h.events, List.of(1L)), "missing");
  }

  @Test
  void brokenHistory_aGapInAClientsSequence_isCaught() {
    Events h = new Events().done("a", "incr", null, 1L);
    h.events.remove(0);
    assertViolation(HistoryChecker.checkCounter(h.events, 1), "sequence number");
  }

  @Test
  void recorderAndReader_roundTrip_andAnUnfinishedLastLineIsLeftOut(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("h.log");
    try (History.Recorder recorder = new History.Recorder(file)) {
      History.Recorder.Client a = recorder.client("a");
      a.invoke("put", 7L);
      a.ok("put", null);
      a.invoke("take", null);
      a.unknown("take");
    }
    java.nio.file.Files.writeString(
        file, "a 4 invoke put 8", java.nio.file.StandardOpenOption.APPEND);
    List<Event> events = History.read(List.of(file));
    assertEquals(4, events.size(), events::toString);
    assertEquals(new Event("a", 0, Type.INVOKE, "put", 7L, events.get(0).nanos()), events.get(0));
    assertEquals(Type.UNKNOWN, events.get(3).type());
    assertEquals(1, History.acked(events, "put"));
    assertEquals(List.of(), HistoryChecker.checkQueue(events));
  }

  private static void assertViolation(List<String> violations, String expected) {
    assertTrue(
        violations.stream().anyMatch(v -> v.contains(expected)),
        () -> "expected a violation with '" + expected + "', got " + violations);
  }
}
