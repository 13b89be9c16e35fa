package dev.colony.server.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.proto.v1.CommandBatch;
import dev.colony.proto.v1.CoreSnapshot;
import dev.colony.proto.v1.ObjectSnapshot;
import dev.colony.server.core.CommandStreams.Generator;
import dev.colony.server.core.CommandStreams.Recording;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Recovery from a snapshot is recovery from the whole log: for each of the seeded streams of {@link
 * ReplayDeterminismTest}, a snapshot taken after a random batch k, written to bytes, read back and
 * restored into a fresh core, then fed batches k+1..n, gives the outputs of those batches byte for
 * byte and the final state of the original run.
 */
class SnapshotReplayTest {

  @Test
  void restoringASnapshotTakenMidStream_givesTheSameOutputsAndState_for1000SeededStreams()
      throws IOException {
    Random picks = new Random(20_240_601);
    long waitersRestored = 0;
    long timersRestored = 0;
    long outputsCompared = 0;
    int streamsStoring = 0;
    for (int seed = 1; seed <= ReplayDeterminismTest.STREAMS; seed++) {
      int k = picks.nextInt(CommandStreams.BATCHES_PER_STREAM);
      Recording original = new Generator(seed, k).run();
      String where = "stream with seed " + seed + ", snapshot after batch " + k;

      CoreSnapshot snapshot = CoreSnapshot.parseFrom(original.snapshot.toByteArray());
      CoordinatorCore restored =
          CoordinatorCore.restore(CommandStreams.limits(), original.options, snapshot);
      assertEquals(snapshot, restored.snapshot(), where + ": snapshot of the restored core");
      assertEquals(
          original.storedBytesAtSnapshot,
          restored.storedBytes(),
          where + ": stored bytes counted again on restore");

      Recording rest = new Recording();
      for (int i = k + 1; i < original.log.size(); i++) {
        rest.record(restored, CommandBatch.parseFrom(original.log.get(i)));
      }
      for (int i = k + 1; i < original.outputs.size(); i++) {
        assertArrayEquals(
            original.outputs.get(i),
            rest.outputs.get(i - k - 1),
            where + ": outputs of batch " + i + " after the restore");
      }
      assertEquals(original.digest, restored.digest(), where + ": state at the end");
      assertEquals(
          original.storedBytes, restored.storedBytes(), where + ": stored bytes at the end");
      // Counted from scratch, the final state must hold what was counted put by put and take by
      // take: a change that forgot to count shows here.
      assertEquals(
          original.storedBytes,
          CoordinatorCore.restore(CommandStreams.limits(), original.options, original.finalSnapshot)
              .storedBytes(),
          where + ": stored bytes counted as it went and from scratch");

      for (var session : snapshot.getSessionsList()) {
        waitersRestored += session.getPendingCallIdsCount();
      }
      timersRestored += snapshot.getTimersCount();
      outputsCompared += rest.outputCount;
      if (original.storedBytes > 0) {
        streamsStoring++;
      }
    }
    // The snapshots must hold parked calls and deadlines, not just empty cores (the streams park
    // about 275 calls across their 1,000 snapshots: restarts and detaches withdraw most waits).
    assertTrue(waitersRestored > 200, "too few parked calls restored: " + waitersRestored);
    assertTrue(timersRestored > 1_000, "too few deadlines restored: " + timersRestored);
    assertTrue(outputsCompared > 10_000, "too few outputs compared: " + outputsCompared);
    assertTrue(streamsStoring > 100, "too few streams end storing bytes: " + streamsStoring);
  }

  /** What kinds of state the streams' snapshots reach, so that a weak generator shows. */
  @Test
  void theStreamsSnapshotsCoverEveryObjectType() throws IOException {
    java.util.EnumSet<ObjectSnapshot.StateCase> seen =
        java.util.EnumSet.noneOf(ObjectSnapshot.StateCase.class);
    boolean cycles = false;
    boolean detachedTasks = false;
    for (int seed = 1; seed <= 200; seed++) {
      CoreSnapshot snapshot = new Generator(seed, 100).run().snapshot;
      for (ObjectSnapshot object : snapshot.getObjectsList()) {
        seen.add(object.getStateCase());
      }
      cycles |= snapshot.getDeadlocks().getCyclesCount() > 0;
      detachedTasks |= snapshot.getTasks().getDetachedCount() > 0;
    }
    seen.add(ObjectSnapshot.StateCase.STATE_NOT_SET);
    assertEquals(
        java.util.EnumSet.allOf(ObjectSnapshot.StateCase.class), seen, "object types reached");
    assertTrue(detachedTasks, "no snapshot held a finished task off the board");
    // Cycles need two locks held across each other's waits; the streams reach them rarely.
    System.out.println("deadlock cycles in snapshots: " + cycles);
  }
}
