package dev.colony.server.core;

import static dev.colony.server.core.SyncCalls.FOREVER;
import static dev.colony.server.core.SyncCalls.acquire;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.Command;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.ObjectListRequest;
import dev.colony.proto.v1.ObjectType;
import dev.colony.proto.v1.RestartCommand;
import org.junit.jupiter.api.Test;

/**
 * A coordinator restart gives every session a whole lease from the restart's time (when the
 * restarted coordinator serves again), however long it was down: a holder whose lease ran out on
 * the old clock while the coordinator was down, slow to start or replaying keeps what it holds.
 */
class SessionRestartLeaseTest {
  private static final long TTL = 10_000;

  private final CoreHarness h = new CoreHarness();
  private final String holder = h.session("holder", TTL);
  private final String other = h.session("other", TTL);

  private void restartAfter(long downMillis) {
    h.skip(downMillis);
    h.apply(Command.newBuilder().setRestart(RestartCommand.getDefaultInstance()));
  }

  private boolean otherGetsTheLock() {
    return h.call(other, acquire("L", 1, 0)).reply().getLockAcquire().getAcquired();
  }

  @Test
  void aLeaseThatRanOutWhileTheCoordinatorWasDown_startsAgainWhole_atTheRestart() {
    h.create(holder, "L", ObjectType.LOCK);
    h.call(holder, acquire("L", 1, FOREVER)).reply();
    h.advance(3_000);
    h.keepAlive(holder);

    restartAfter(60_000); // down (or starting, or replaying) far longer than a lease
    h.keepAlive(other);
    h.advance(TTL - 1);
    assertFalse(otherGetsTheLock(), "the holder's lease runs a whole ttl from the restart");
    h.keepAlive(holder); // the holder re-attached in time
    h.advance(TTL - 1);
    assertFalse(otherGetsTheLock(), "the holder renewed its lease after the restart");
    h.call(holder, Call.newBuilder().setObjectList(ObjectListRequest.getDefaultInstance())).reply();
  }

  @Test
  void aSessionThatDoesNotComeBack_expiresAWholeLeaseAfterTheRestart_andItsLockPassesOn() {
    h.create(holder, "L", ObjectType.LOCK);
    h.call(holder, acquire("L", 1, FOREVER)).reply();

    restartAfter(60_000);
    h.advance(TTL - 1);
    h.keepAlive(other);
    assertFalse(otherGetsTheLock());
    h.advance(1);
    assertTrue(otherGetsTheLock(), "the holder's lease ran out a ttl after the restart");
    var late =
        h.call(holder, Call.newBuilder().setObjectList(ObjectListRequest.getDefaultInstance()));
    assertEquals(ErrorReason.SESSION_NOT_FOUND, late.failure().getReason());
  }
}
