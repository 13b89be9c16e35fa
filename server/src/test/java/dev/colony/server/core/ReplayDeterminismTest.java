package dev.colony.server.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.colony.proto.v1.CommandBatch;
import dev.colony.server.core.CommandStreams.Generator;
import dev.colony.server.core.CommandStreams.Recording;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The core is a deterministic state machine: a seeded generator drives it with random command
 * streams (see {@link CommandStreams}), and each stream, written as the log would write it and read
 * back, is replayed into a fresh core. The replay must produce the same outputs, byte for byte, and
 * the same state.
 */
class ReplayDeterminismTest {
  static final int STREAMS = 1_000;

  @Test
  void replayingAStream_givesTheSameOutputsAndState_for1000SeededStreams() throws IOException {
    long outputsSeen = 0;
    for (int seed = 1; seed <= STREAMS; seed++) {
      Recording original = new Generator(seed).run();
      Recording replayed = replay(original.log, original.options);
      String where = "stream with seed " + seed;
      assertEquals(original.batches(), replayed.batches(), where + ": batch count");
      for (int i = 0; i < original.outputs.size(); i++) {
        assertArrayEquals(
            original.outputs.get(i), replayed.outputs.get(i), where + ": outputs of batch " + i);
      }
      assertEquals(original.digest, replayed.digest, where + ": state after the replay");
      outputsSeen += original.outputCount;
    }
    // The streams must exercise the core, not bounce off it.
    assertTrue(outputsSeen > STREAMS * 50L, "too few outputs to mean anything: " + outputsSeen);
  }

  private static Recording replay(List<ByteString> log, CoreOptions options) throws IOException {
    CoordinatorCore core = CommandStreams.newCore(options);
    Recording recording = new Recording();
    for (ByteString entry : log) {
      recording.record(core, CommandBatch.parseFrom(entry));
    }
    recording.digest = core.digest();
    return recording;
  }
}
