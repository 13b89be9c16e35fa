package dev.colony.server.core;

import static dev.colony.server.core.SyncCalls.FOREVER;
import static dev.colony.server.core.SyncCalls.get;
import static dev.colony.server.core.SyncCalls.put;
import static dev.colony.server.core.SyncCalls.queue;
import static dev.colony.server.core.SyncCalls.queueInfo;
import static dev.colony.server.core.SyncCalls.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.Failure;
import dev.colony.proto.v1.QueueKind;
import dev.colony.proto.v1.Reply;
import dev.colony.server.core.CoreHarness.PendingCall;
import org.junit.jupiter.api.Test;

/**
 * Each session's retry cache is bounded by count and by bytes, and all of them together by bytes; a
 * call sent again after its reply was forgotten is refused RETRY_EXPIRED, never applied twice.
 */
class RetryCacheLimitTest {
  private static final int ITEM = 300_000;
  private static final Limits LIMITS =
      Limits.defaults().withMaxRetryBytesPerSession(1 << 20).withMaxRetryBytes(4L << 20);

  private final CoreHarness h = new CoreHarness(LIMITS);
  private final String busy = h.session("busy");

  private static String big(char c) {
    return String.valueOf(c).repeat(ITEM);
  }

  private long size(String session, String queue) {
    return h.call(session, queueInfo(queue)).reply().getQueueInfo().getSize();
  }

  private static void assertExpired(PendingCall call, long callId) {
    Failure failure =
        ExpectFailure.of(call, CoreException.Code.FAILED_PRECONDITION, ErrorReason.RETRY_EXPIRED);
    assertTrue(
        failure.getMessage().contains("call " + callId + " was sent again"), failure::getMessage);
    assertTrue(failure.getMessage().contains("not applied again"), failure::getMessage);
    assertTrue(failure.getMessage().contains("--max-retry-bytes-per-session"), failure::getMessage);
  }

  @Test
  void largeReplies_pastTheSessionBudget_areForgotten_andTheirRetriesAreNotAppliedAgain() {
    h.create(busy, queue("q", QueueKind.FIFO, 0));
    for (char c = 'a'; c <= 'f'; c++) {
      h.call(busy, put("q", big(c), FOREVER)).reply();
    }
    PendingCall first = h.call(busy, get("q", FOREVER));
    assertEquals(big('a'), text(first.reply().getQueueGet().getItem()));
    for (int i = 0; i < 3; i++) {
      h.call(busy, get("q", FOREVER)).reply();
    }
    PendingCall last = h.call(busy, get("q", FOREVER));
    assertEquals(1, size(busy, "q"), "one item left before the retries");

    assertExpired(h.resend(busy, first, get("q", FOREVER)), first.id);
    Reply again = h.resend(busy, last, get("q", FOREVER)).reply();
    assertEquals(big('e'), text(again.getQueueGet().getItem()), "the newest reply is remembered");
    assertEquals(1, size(busy, "q"), "neither retry took another item");
    assertTrue(
        h.core.retryCacheBytes() <= (1 << 20) + Limits.storedSize(ITEM + 100),
        "the session keeps at most its budget and the newest reply: " + h.core.retryCacheBytes());
  }

  @Test
  void theCountBound_stillHolds_andItsEvictedRetriesAreRefusedToo() {
    h.create(busy, queue("q", QueueKind.FIFO, 0));
    PendingCall first = h.call(busy, put("q", "x", FOREVER));
    first.reply();
    for (int i = 0; i < Session.RETRY_WINDOW; i++) {
      h.call(busy, put("q", "y", FOREVER)).reply();
    }

    assertExpired(h.resend(busy, first, put("q", "x", FOREVER)), first.id);
    assertEquals(Session.RETRY_WINDOW + 1, size(busy, "q"), "the put was not applied twice");
  }

  @Test
  void pastTheBoundOfAllCaches_theLargestCacheGivesUpItsOldestRepliesFirst() {
    String quiet = h.session("quiet");
    h.create(quiet, queue("small", QueueKind.FIFO, 0));
    PendingCall quietPut = h.call(quiet, put("small", "s", FOREVER));
    quietPut.reply();
    // Several busy sessions, each under its own budget, together over the bound of all caches.
    h.create(busy, queue("q", QueueKind.FIFO, 0));
    for (int s = 0; s < 6; s++) {
      String session = h.session("busy" + s);
      for (int i = 0; i < 3; i++) {
        h.call(session, put("q", big((char) ('a' + i)), FOREVER)).reply();
        h.call(session, get("q", FOREVER)).reply();
      }
    }

    assertTrue(
        h.core.retryCacheBytes() <= LIMITS.maxRetryBytes(),
        "all caches fit their bound: " + h.core.retryCacheBytes());
    h.resend(quiet, quietPut, put("small", "s", FOREVER)).reply();
    assertEquals(1, size(quiet, "small"), "the quiet session's reply was kept and not re-applied");
  }

  @Test
  void evictionAndItsRefusals_surviveSnapshotAndRestore() {
    h.create(busy, queue("q", QueueKind.FIFO, 0));
    for (char c = 'a'; c <= 'e'; c++) {
      h.call(busy, put("q", big(c), FOREVER)).reply();
    }
    PendingCall first = h.call(busy, get("q", FOREVER));
    first.reply();
    for (int i = 0; i < 3; i++) {
      h.call(busy, get("q", FOREVER)).reply();
    }

    CoreHarness restored =
        new CoreHarness(CoordinatorCore.restore(LIMITS, CoreOptions.defaults(), h.core.snapshot()))
            .continuing(h);

    assertEquals(h.core.digest(), restored.core.digest());
    assertEquals(h.core.retryCacheBytes(), restored.core.retryCacheBytes());
    assertExpired(restored.resend(busy, first, get("q", FOREVER)), first.id);
    assertEquals(1, restored.call(busy, queueInfo("q")).reply().getQueueInfo().getSize());
  }

  @Test
  void anEndedSession_releasesItsCache() {
    h.create(busy, queue("q", QueueKind.FIFO, 0));
    h.call(busy, put("q", big('a'), FOREVER)).reply();
    assertTrue(h.core.retryCacheBytes() > 0);

    h.closeSession(busy);

    assertEquals(0, h.core.retryCacheBytes());
  }
}
